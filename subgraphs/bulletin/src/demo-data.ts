/**
 * Demo data for the embedded default (DEMO_DATA): the bulletin's topics, three confirmed
 * subscribers at example.org, and one sent bulletin in the archive, on the Enhanced Pathways
 * expansion and SEND Live workshops from the council's briefing (../shared/seeds). Loaded only
 * into empty tables.
 */
import type { DataSource } from 'typeorm';
import { Bulletin } from './bulletins/bulletin.entity';
import { BulletinKind, BulletinStatus } from './bulletins/bulletin.enums';
import type { BulletinRenderer } from './bulletins/bulletin-render';
import { renderMarkdown } from './bulletins/markdown';
import { topicNames } from './sending/fan-out';
import { Subscriber } from './subscribers/subscriber.entity';
import { BulletinFrequency, SubscriptionStatus } from './subscribers/subscriber.enums';
import { Topic } from './topics/topic.entity';

const TOPICS = [
  { slug: 'enhanced-pathways', name: 'Enhanced Pathways', description: 'Funding rounds, application windows and board decisions.' },
  { slug: 'send-live', name: 'SEND Live', description: 'The conference and its workshops.' },
  { slug: 'training', name: 'SENDCO training', description: 'The termly CPD programme.' },
  { slug: 'clinics', name: 'SEND Clinics', description: 'Clinics run by schools and outreach teams.' },
  { slug: 'ehcp-banding', name: 'EHCP banding', description: 'Banding returns and the banding matrix.' },
];

const SUBSCRIBERS = [
  { email: 'sam.patel@example.org', name: 'Sam Patel', role: 'SENDCO', schoolUrn: '900001', topics: [], frequency: BulletinFrequency.EACH_BULLETIN },
  { email: 'alex.jones@example.org', name: 'Alex Jones', role: 'SENDCO', schoolUrn: '900002', topics: ['enhanced-pathways', 'send-live'], frequency: BulletinFrequency.EACH_BULLETIN },
  { email: 'jo.smith@example.org', name: 'Jo Smith', role: 'Headteacher', schoolUrn: '900003', topics: [], frequency: BulletinFrequency.WEEKLY_DIGEST },
];

export async function seedDemoBulletin(dataSource: DataSource, renderer: BulletinRenderer): Promise<void> {
  if ((await dataSource.getRepository(Topic).count()) > 0) return;
  await dataSource.transaction(async (manager) => {
    await manager.getRepository(Topic).insert(TOPICS);
    await manager.getRepository(Subscriber).insert(
      SUBSCRIBERS.map((s) => ({ ...s, status: SubscriptionStatus.CONFIRMED, source: 'demo', confirmedAt: new Date('2026-02-12T10:00:00Z') })),
    );
  });
  const items = [
    {
      heading: 'Enhanced Pathways: 20 more pathways',
      body: 'Cabinet has been asked to fund a further **20 pathways**. Schools apply during a 2–3-week window; applications are reviewed, scored and approved at *multi-agency boards*.\n\nEmail SENDStrategicEarlyIntervention@oxfordshire.gov.uk for the application form, cohort form and slides.',
      topic: 'enhanced-pathways',
      link: null,
    },
    {
      heading: 'SEND Live: workshops with an SEMH focus',
      body: 'Bringing our SEND community together: primary, secondary and special school workshops, with an SEMH focus across the day. Workshop speakers will follow in the next bulletin.',
      topic: 'send-live',
      link: null,
    },
  ].map((item) => ({ ...item, ...(({ html, text }) => ({ bodyHtml: html, bodyText: text }))(renderMarkdown(item.body)) }));
  const repo = dataSource.getRepository(Bulletin);
  const bulletin = await repo.save(
    repo.create({
      kind: BulletinKind.ISSUE,
      title: 'SENDCO bulletin: February 2026',
      intro: 'News for SENDCOs from the council: the Enhanced Pathways expansion and SEND Live.',
      topics: [],
      items,
      includeUpcoming: false,
      status: BulletinStatus.SENT,
      sendAt: new Date('2026-02-13T08:00:00Z'),
      sentAt: new Date('2026-02-13T08:00:00Z'),
      completedAt: new Date('2026-02-13T08:05:00Z'),
      fanoutDone: true,
      createdBy: 'demo',
    }),
  );
  await repo.update({ id: bulletin.id }, { rendered: renderer.render(bulletin, [], await topicNames(dataSource)), upcoming: [] });
}
