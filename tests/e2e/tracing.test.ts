/**
 * One booking's trace, end to end: the stack runs with tracing on, exporting by OTLP/HTTP to a
 * receiver in this test process (tests/support/otlp-receiver.ts), and the booking is sent with a
 * W3C `traceparent` of the test's own, as a front end's tracing would. That one trace id must
 * cover the gateway's request, the training subgraph's request and its SQL, and, across the
 * outbox and the queue, the jobs worker's send of the delegate's confirmation.
 */
import { randomBytes } from 'node:crypto';
import { OTLP_KIND, OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { contractOperation, startTestStack, type TestStack } from '../support/stack';
import { schoolAndOnlineEvent } from '../support/training';

const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');

let receiver: OtlpReceiver;
let stack: TestStack;

beforeAll(async () => {
  receiver = await new OtlpReceiver().start();
  stack = await startTestStack('tracing', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url() } });
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const isSendOf = (template: string) => (span: ReceivedSpan) => span.service === 'jobs' && span.name === 'email send' && span.attributes['email.template'] === template;

it("carries one booking's trace from the gateway through the training subgraph and its SQL to the jobs worker's send of the confirmation", async () => {
  const event = await schoolAndOnlineEvent(stack, { urn: '940001', name: 'Tracing Primary', phase: 'PRIMARY' }, { title: 'Preparation for Adulthood', category: 'PREPARATION_FOR_ADULTHOOD', capacity: 5, daysAhead: 20 });
  const sendco = await stack.token('SENDCO', { schoolUrn: '940001', email: 'sendco@tracing.example.org' });
  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sendco}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    body: JSON.stringify({
      query: BOOK_EVENT,
      variables: { input: { eventId: event.id, schoolUrn: '940001', idempotencyKey: 'tracing-1', delegates: [{ name: 'Tia Trace', email: 'tia.trace@tracing.example.org' }] } },
    }),
  });
  const booked = (await response.json()) as { data?: { bookEvent: { places: { status: string }[] } }; errors?: unknown[] };
  expect(booked.errors).toBeUndefined();
  expect(booked.data!.bookEvent.places.map((place) => place.status)).toEqual(['CONFIRMED']);
  await stack.mailbox.waitForCount('tia.trace@tracing.example.org', 1, 60_000);

  const spans = await receiver.waitForTrace(traceId, (received) => received.some(isSendOf('booking-confirmation')) && received.some(isSendOf('booking-summary')));
  const byId = new Map(spans.map((span) => [span.spanId, span]));

  // The gateway's request, continuing the caller's trace, and its fetch from the training subgraph.
  const gatewayRequest = spans.find((span) => span.service === 'gateway' && span.kind === OTLP_KIND.SERVER);
  expect(gatewayRequest).toBeDefined();
  // The training subgraph's request, a child of one of the gateway's spans (traceparent crossed the hop).
  const trainingRequest = spans.find((span) => span.service === 'training' && span.kind === OTLP_KIND.SERVER);
  expect(trainingRequest).toBeDefined();
  expect(byId.get(trainingRequest!.parentSpanId!)?.service).toBe('gateway');
  // Its SQL, with the statement and without the values.
  const query = spans.find((span) => span.service === 'training' && span.kind === OTLP_KIND.CLIENT && span.attributes['db.system.name'] === 'postgresql' && 'db.query.text' in span.attributes);
  expect(query).toBeDefined();
  expect(String(query!.attributes['db.query.text'])).toMatch(/\b(SELECT|INSERT|UPDATE|WITH)\b/i);
  // The confirmation's send in the jobs worker, inside the job's consumer span, whose parent is the training subgraph's.
  const send = spans.find(isSendOf('booking-confirmation'))!;
  const consume = byId.get(send.parentSpanId!);
  expect(consume).toMatchObject({ service: 'jobs', kind: OTLP_KIND.CONSUMER, name: 'email process' });
  expect(byId.get(consume!.parentSpanId!)?.service).toBe('training');

  // Nobody's address or name is in the trace (the statement texts have placeholders; the send span has the domain only).
  expect(JSON.stringify(spans)).not.toMatch(/tia\.trace@|Tia Trace|sendco@tracing/);
  expect(send.attributes['email.recipient_domain']).toBe('tracing.example.org');
  // Health probes are not traced, and every export was OTLP/JSON to /v1/traces.
  expect(receiver.spans.filter((span) => /\/(healthz|readyz|metrics)/.test(String(span.attributes['http.target'] ?? span.attributes['url.path'] ?? '')))).toEqual([]);
  expect(receiver.refused).toEqual([]);
});
