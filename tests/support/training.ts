/** Shared steps of the training end-to-end tests. */
import { contractOperation, type TestStack } from './stack';

export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;
/** An ISO time `ms` from now. */
export const at = (ms: number) => new Date(Date.now() + ms).toISOString();

const CREATE_EVENT = `mutation CreateEvent($input: CreateEventInput!) { createEvent(input: $input) { id status workshops { id title } } }`;
const PUBLISH_EVENT = contractOperation('training.graphql', 'PublishEvent');

export interface PublishedEvent {
  id: string;
  workshops: { id: string; title: string }[];
}

/** Creates the event as the training team and publishes it, asserting both steps worked. */
export async function createPublishedEvent(stack: TestStack, trainingAdmin: string, input: Record<string, unknown>): Promise<PublishedEvent> {
  const created = await stack.gql(CREATE_EVENT, { input }, trainingAdmin);
  expect(created.errors).toBeUndefined();
  const { id, workshops } = created.data.createEvent;
  expect((await stack.gql(PUBLISH_EVENT, { id }, trainingAdmin)).data.publishEvent.status).toBe('PUBLISHED');
  return { id, workshops };
}

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');

/**
 * A school (made as ADMIN) and a published online event for its phase, `daysAhead` days from
 * now and three hours long: the set-up of tests about something other than events.
 */
export async function schoolAndOnlineEvent(
  stack: TestStack,
  school: { urn: string; name: string; phase: string },
  event: { title: string; category: string; capacity: number; daysAhead: number },
): Promise<PublishedEvent> {
  const upserted = await stack.gql(UPSERT_SCHOOLS, { schools: [school] }, await stack.token('ADMIN'));
  expect(upserted.errors).toBeUndefined();
  return createPublishedEvent(stack, await stack.token('TRAINING_ADMIN'), {
    title: event.title,
    category: event.category,
    summary: `${event.title}: an online session.`,
    startsAt: at(event.daysAhead * DAY),
    endsAt: at(event.daysAhead * DAY + 3 * HOUR),
    format: 'ONLINE',
    joiningUrl: 'https://meet.example.org/sendco-programme',
    capacity: event.capacity,
    cpdHours: 3,
    audience: [school.phase],
  });
}
