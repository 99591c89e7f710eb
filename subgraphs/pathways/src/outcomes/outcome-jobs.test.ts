import type { PathwayApplication } from '../applications/application.entity';
import { PathwayDecisionOutcome } from '../pathways.enums';
import type { FundingRound } from '../rounds/round.entity';
import { bulletinSourceKey, outcomeBulletin, outcomeEmails } from './outcome-jobs';

const round = { id: 'r1', title: 'Round 2', pathwaysFunded: 2, contactEmail: 'pathways@council.example.org', nameApprovedSchools: true } as FundingRound;
const app = (id: string, schoolUrn: string, decision: PathwayDecisionOutcome | null) =>
  ({ id, schoolUrn, decision, decisionReason: `because ${id}`, contactEmail: `${id}@school.example.org`, contactName: null }) as PathwayApplication;
const apps = [app('a', '900001', PathwayDecisionOutcome.APPROVED), app('b', '900002', PathwayDecisionOutcome.DECLINED), app('c', '900003', PathwayDecisionOutcome.APPROVED)];
const names = new Map([['900001', 'Oak Primary'], ['900002', 'Elm Academy'], ['900003', 'Ash School']]);

describe('what publishing sends', () => {
  it('one pathway-outcome email per decided application, to its contact, with the decision and reason', () => {
    const jobs = outcomeEmails(round, [...apps, app('d', '900004', null)], names);
    expect(jobs.map((j) => [j.name, j.data.to.email])).toEqual([
      ['pathway-outcome', 'a@school.example.org'],
      ['pathway-outcome', 'b@school.example.org'],
      ['pathway-outcome', 'c@school.example.org'],
    ]);
    expect(jobs[1].data.vars).toMatchObject({ decision: 'DECLINED', reason: 'because b', schoolName: 'Elm Academy', roundTitle: 'Round 2', contactEmail: 'pathways@council.example.org' });
  });

  it('one bulletin draft per round, naming approved schools only when the round allows', () => {
    const named = outcomeBulletin(round, apps, names);
    expect(named).toMatchObject({ queue: 'bulletin-drafts', name: 'bulletin-draft', data: { sourceKey: bulletinSourceKey(round) } });
    const body = (named.data as { items: { body: string; topic: string }[] }).items[0];
    expect(body.topic).toBe('enhanced-pathways');
    expect(body.body).toContain('- Ash School\n- Oak Primary');
    expect(body.body).not.toContain('Elm Academy');
    const unnamed = (outcomeBulletin({ ...round, nameApprovedSchools: false } as FundingRound, apps, names).data as { items: { body: string }[] }).items[0].body;
    expect(unnamed).toContain('2 of the 2 funded pathways approved from 3 applications');
    expect(unnamed).not.toMatch(/Oak Primary|Ash School/);
  });
});
