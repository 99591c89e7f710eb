/**
 * The supergraph, composed at build time: `npm run schema` prints each subgraph's schema
 * (subgraphs/<name>/schema.graphql) and then composes them with @apollo/composition into
 * gateway/supergraph.graphql, which is committed. The gateway starts from that file, so it never
 * waits for a subgraph to answer before serving, and a subgraph that is down costs only its own
 * fields. The contract test fails when the file is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from '@sendco/config';

/** gateway/supergraph.graphql, from gateway/src (ts-jest) or gateway/dist (node). */
export const SUPERGRAPH_FILE = path.resolve(__dirname, '..', 'supergraph.graphql');
const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const subgraphSchemaFile = (name: string): string => path.join(REPO_ROOT, 'subgraphs', name, 'schema.graphql');

const HEADER = `# The supergraph: every subgraph's schema.graphql composed by \`npm run schema\` (gateway/src/supergraph.ts).
# Do not edit; regenerate. The subgraph URLs below are placeholders: the gateway sends each
# subgraph's requests to its <NAME>_URL (packages/config).
`;

/** The subgraphs named in packages/config (SUBGRAPHS), composed from their printed schemas; throws with composition's own messages. */
export function composeSupergraph(subgraphs: { name: string; sdl: string }[] = readSubgraphSchemas()): string {
  const result = composeServices(subgraphs.map(({ name, sdl }) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(`the subgraphs' schemas do not compose into one supergraph:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return `${HEADER}\n${result.supergraphSdl.trim()}\n`;
}

export function readSubgraphSchemas(): { name: string; sdl: string }[] {
  return SUBGRAPHS.map((name) => {
    const file = subgraphSchemaFile(name);
    if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`npm run schema\``);
    return { name, sdl: fs.readFileSync(file, 'utf8') };
  });
}

/** The names of the subgraphs a supergraph joins (its join__Graph values). */
export function subgraphsOf(supergraphSdl: string): string[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]).sort();
}

/**
 * The committed supergraph, checked against the subgraphs this deployment runs: a subgraph added
 * to SUBGRAPHS without re-running `npm run schema` stops the gateway with a message saying so.
 */
export function loadSupergraph(file: string = SUPERGRAPH_FILE): string {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run schema\` to compose it`);
  const sdl = fs.readFileSync(file, 'utf8');
  const joined = subgraphsOf(sdl);
  const configured = [...SUBGRAPHS].sort();
  if (joined.join() !== configured.join()) {
    throw new Error(`${file} joins [${joined.join(', ')}] but packages/config lists [${configured.join(', ')}]: run \`npm run schema\``);
  }
  return sdl;
}
