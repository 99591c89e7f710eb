import type { Principal } from '@sendco/auth';
import { isBoardMemberOf, mayApplyFor, mayManageRounds, mayReport, maySeeApplication } from './access';

const p = (roles: Principal['roles'], schoolUrn?: string, sub = 'x'): Principal => ({ sub, roles, schoolUrn });

describe('who may do what in Enhanced Pathways', () => {
  it('PATHWAYS_ADMIN (and ADMIN) run rounds; nobody else', () => {
    expect(mayManageRounds(p(['PATHWAYS_ADMIN']))).toBe(true);
    expect(mayManageRounds(p(['ADMIN']))).toBe(true);
    expect(mayManageRounds(p(['COUNCIL_OFFICER']))).toBe(false);
    expect(mayManageRounds(p(['BOARD_MEMBER']))).toBe(false);
  });

  it("a school's SENDCO or staff apply for their own school only", () => {
    expect(mayApplyFor(p(['SENDCO'], '900001'), '900001')).toBe(true);
    expect(mayApplyFor(p(['SCHOOL_STAFF'], '900001'), '900001')).toBe(true);
    expect(mayApplyFor(p(['SENDCO'], '900002'), '900001')).toBe(false);
    expect(mayApplyFor(p(['PATHWAYS_ADMIN']), '900001')).toBe(false);
  });

  it("the board is the round's listed BOARD_MEMBERs", () => {
    const board = new Set(['m1']);
    expect(isBoardMemberOf(p(['BOARD_MEMBER'], undefined, 'm1'), board)).toBe(true);
    expect(isBoardMemberOf(p(['BOARD_MEMBER'], undefined, 'm2'), board)).toBe(false);
    expect(isBoardMemberOf(p(['SENDCO'], '900001', 'm1'), board)).toBe(false);
    expect(isBoardMemberOf(p(['ADMIN'], undefined, 'm2'), board)).toBe(false);
  });

  it("another school never reads an application; the board only once it is submitted", () => {
    const app = { schoolUrn: '900001', submitted: true };
    expect(maySeeApplication(p(['SENDCO'], '900001'), app, false)).toBe(true);
    expect(maySeeApplication(p(['SENDCO'], '900002'), app, false)).toBe(false);
    expect(maySeeApplication(p(['COUNCIL_OFFICER']), app, false)).toBe(true);
    expect(maySeeApplication(p(['BOARD_MEMBER']), app, true)).toBe(true);
    expect(maySeeApplication(p(['BOARD_MEMBER']), { ...app, submitted: false }, true)).toBe(false);
    expect(mayReport(p(['COUNCIL_OFFICER']))).toBe(true);
    expect(mayReport(p(['SENDCO'], '900001'))).toBe(false);
  });
});
