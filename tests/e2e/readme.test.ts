/**
 * A newcomer's first hour: the README's booking example, run as written (with bash, curl and
 * node, as a newcomer would) against a fresh stack with the demo data, and the commands the
 * README names exist. Only the gateway's port is changed, since tests run on free ports.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SUBGRAPHS } from '@sendco/config';
import { REPO_ROOT, startTestStack, type TestStack } from '../support/stack';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SECRET = randomBytes(32).toString('hex');

/** The fenced `sh` block after a heading. */
function shellBlockAfter(heading: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!README.includes(heading) || !match) throw new Error(`README.md has no sh block after "${heading}"`);
  return match[1];
}

/** The JSON documents printed one after another (curl prints no newline after each). */
function jsonDocuments(output: string): any[] {
  const documents: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < output.length; i += 1) {
    const c = output[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) documents.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  return documents;
}

describe('the README', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('readme', { env: { DEMO_DATA: 'true', AUTH_JWT_SECRET: SECRET } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('books a place with the "Try a booking" commands, exactly as written but for the port', async () => {
    const block = shellBlockAfter('### Try a booking');
    expect(block).toContain('localhost:4000/graphql');
    const script = block.replaceAll('localhost:4000', new URL(stack.gatewayUrl).host);
    // --norc: with stdin a socket, bash would take itself for a remote shell and read bashrc.
    // (`npm run token` builds first: quick when the build is fresh, as it is in `npm test`.)
    const { stdout } = await promisify(execFile)('bash', ['--norc', '-euo', 'pipefail', '-c', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AUTH_JWT_SECRET: SECRET },
      timeout: 150_000,
    });
    const [events, booking] = jsonDocuments(stdout);
    expect(events.errors).toBeUndefined();
    expect(events.data.events.edges.length).toBeGreaterThan(0);
    expect(booking.errors).toBeUndefined();
    expect(booking.data.bookEvent).toEqual({ reference: expect.any(String), places: [{ delegateName: 'Sam Patel', status: 'CONFIRMED' }] });
    const [confirmation] = await stack.mailbox.waitForCount('sam.patel@example.org', 1, 90_000);
    expect(confirmation.subject).toContain(events.data.events.edges[0].node.title);
  }, 240_000);

  it("lists the demo programme: the briefing's whole programme, ahead, with SEND Live's three workshops", async () => {
    const listed = await stack.gql('{ events(first: 50) { edges { node { title startsAt workshops { phase } } } } }');
    const titles = listed.data.events.edges.map((e: { node: { title: string } }) => e.node.title.replace(/ \d{4}$/, ''));
    for (const title of [
      'Preparation for Adulthood (PFA)',
      'School-age Phase Transfer',
      'Post-16 Phase Transfer',
      'SENDCO Essentials: Preparing for Ofsted',
      'SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions',
      'SEND Live',
    ]) {
      expect(titles).toContain(title);
    }
    const sendLive = listed.data.events.edges.find((e: { node: { title: string } }) => e.node.title.startsWith('SEND Live')).node;
    expect(sendLive.workshops.map((w: { phase: string }) => w.phase)).toEqual(['PRIMARY', 'SECONDARY', 'SPECIAL']);
    expect(listed.data.events.edges.every((e: { node: { startsAt: string } }) => new Date(e.node.startsAt) > new Date())).toBe(true);
  });

  it('names only npm scripts and files that exist', () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    const named = [...README.matchAll(/npm (?:run (?:--silent )?)?([a-z][a-z:-]*)/g)].map((m) => m[1]).filter((name) => !['ci', 'install', 'run'].includes(name));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
    const files = [...README.matchAll(/node ((?:packages|subgraphs|gateway|jobs)\/[\w/.<>-]+\.js)/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(2);
    const missing = files.flatMap((file) => (file.includes('<name>') ? SUBGRAPHS.map((name) => file.replace('<name>', name)) : [file])).filter((file) => !fs.existsSync(path.join(REPO_ROOT, file)));
    expect(missing).toEqual([]);
  });
});
