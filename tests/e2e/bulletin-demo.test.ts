/** The bulletin's demo data, as `npm start` loads it on the embedded default (DEMO_DATA). */
import { BULLETINS } from '../support/bulletin';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack('bulletin_demo', { env: { DEMO_DATA: 'true' } });
});

afterAll(async () => {
  await stack?.stop();
});

it('has the topics, confirmed subscribers and one sent bulletin in the archive, with its web page', async () => {
  const topics = await stack.gql(`query { bulletinTopics { slug name } }`);
  expect(topics.data.bulletinTopics.map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['enhanced-pathways', 'send-live', 'training', 'clinics', 'ehcp-banding']));

  const archive = await stack.gql(BULLETINS, { first: 10 });
  expect(archive.data.bulletins.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['SENDCO bulletin: February 2026']);
  const { id } = archive.data.bulletins.edges[0].node;
  const page = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/bulletin/archive/${id}`);
  expect(await page.text()).toContain('Enhanced Pathways: 20 more pathways');

  // The demo subscribers are confirmed: a bulletin sent now reaches the two who take each bulletin.
  const editor = await stack.token('BULLETIN_EDITOR');
  const created = await stack.gql(`mutation { createBulletin(input: { title: "Demo send", intro: "Hello." }) { id } }`, {}, editor);
  await stack.gql(`mutation($id: ID!) { scheduleBulletin(id: $id) { status } }`, { id: created.data.createBulletin.id }, editor);
  await stack.mailbox.waitFor((all) => all.filter((m) => m.subject === 'Demo send').length === 2, 'the demo send');
  expect(stack.mailbox.messages.filter((m) => m.subject === 'Demo send').flatMap((m) => m.envelopeTo).sort()).toEqual(['alex.jones@example.org', 'sam.patel@example.org']);
});
