import { AuditEntry } from '@sendco/database';
import type { SubgraphDefinition, SubgraphDependencies } from '@sendco/federation';
import { createGatewayClient } from '@sendco/federation';
import { QUEUE_NAMES } from '@sendco/queue';
import { Bulletin } from './bulletins/bulletin.entity';
import { BulletinRenderer } from './bulletins/bulletin-render';
import { BulletinResolver } from './bulletins/bulletin.resolver';
import { BulletinService } from './bulletins/bulletin.service';
import { gatewayUpcoming } from './bulletins/upcoming';
import { seedDemoBulletin } from './demo-data';
import { DigestRun } from './digest/digest-run.entity';
import { WeeklyDigest } from './digest/weekly-digest';
import { CreateBulletin1764500000000 } from './migrations/1764500000000-CreateBulletin';
import { DigestSlots1764600000000 } from './migrations/1764600000000-DigestSlots';
import { BulletinSourceKey1764600000001 } from './migrations/1764600000001-BulletinSourceKey';
import { ConfirmationThrottle1765000000015 } from './migrations/1765000000015-ConfirmationThrottle';
import { BULLETIN_SCHEMA } from './schema-name';
import { Delivery } from './sending/delivery.entity';
import { startDraftWorker } from './sending/draft-worker';
import { BulletinSender } from './sending/fan-out';
import { createDeliveryQueue, startSendingWorker } from './sending/sending-worker';
import { Subscriber } from './subscribers/subscriber.entity';
import { SubscriberLinks } from './subscribers/subscriber-links';
import { SubscriberResolver } from './subscribers/subscriber.resolver';
import { SubscriberService } from './subscribers/subscriber.service';
import { Topic } from './topics/topic.entity';
import { TopicResolver } from './topics/topic.resolver';
import { TopicService } from './topics/topic.service';
import { bulletinRoutes } from './web/bulletin-routes';

/** The services of one running subgraph, built once and shared by its resolvers, workers and pages. */
const servicesByDeps = new WeakMap<SubgraphDependencies, ReturnType<typeof buildServices>>();
function services(deps: SubgraphDependencies) {
  let built = servicesByDeps.get(deps);
  if (!built) servicesByDeps.set(deps, (built = buildServices(deps)));
  return built;
}

function buildServices({ config, dataSource, outbox }: SubgraphDependencies) {
  const upcoming = gatewayUpcoming(createGatewayClient(config.gateway.url));
  const renderer = new BulletinRenderer(config.publicUrl);
  const links = new SubscriberLinks(config.bulletin.tokenSecret, config.publicUrl);
  return {
    upcoming,
    renderer,
    topics: new TopicService(dataSource),
    subscribers: new SubscriberService(dataSource, links, outbox),
    bulletins: new BulletinService(dataSource, renderer, upcoming, outbox),
  };
}

export const bulletinSubgraph: SubgraphDefinition = {
  name: 'bulletin',
  dbSchema: BULLETIN_SCHEMA,
  entities: [Topic, Subscriber, Bulletin, Delivery, DigestRun, AuditEntry],
  migrations: [CreateBulletin1764500000000, DigestSlots1764600000000, BulletinSourceKey1764600000001, ConfirmationThrottle1765000000015],
  resolvers: [TopicResolver, SubscriberResolver, BulletinResolver],
  usesQueue: true,
  extraQueues: [QUEUE_NAMES.bulletinSending],
  createResolvers: (deps) => {
    const { topics, subscribers, bulletins } = services(deps);
    return new Map<Function, object>([
      [TopicResolver, new TopicResolver(topics)],
      [SubscriberResolver, new SubscriberResolver(subscribers)],
      [BulletinResolver, new BulletinResolver(bulletins, deps.config.publicUrl)],
    ]);
  },
  startWorkers: async (deps) => {
    const { renderer, upcoming, bulletins } = services(deps);
    const deliveryQueue = createDeliveryQueue(deps.config);
    deliveryQueue.on('error', (error) => deps.logger.warn({ err: error }, 'bulletin delivery queue error'));
    const sender = new BulletinSender(deps.dataSource, renderer, upcoming, deliveryQueue, deps.logger);
    const digest = new WeeklyDigest(deps.dataSource, upcoming, deps.logger, deps.config.bulletin.digestCron, deps.outbox);
    return [...(await startSendingWorker(deps.config, sender, digest, deps.logger)), deliveryQueue, startDraftWorker(deps.config, bulletins, deps.logger)];
  },
  httpRouter: (deps) => {
    const { subscribers, bulletins, topics } = services(deps);
    return bulletinRoutes({ subscribers, bulletins, topics, publicUrl: deps.config.publicUrl, webhookSecret: deps.config.bulletin.webhookSecret, logger: deps.logger });
  },
  seedDemoData: (deps) => seedDemoBulletin(deps.dataSource, services(deps).renderer),
};
