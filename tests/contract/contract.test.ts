/**
 * The API contract: every operation the front ends send (../shared/contract/*.graphql) must
 * validate against the committed supergraph (gateway/supergraph.graphql, what the gateway serves).
 * Each subgraph's checked-in schema.graphql must be what its code prints, and the supergraph
 * must be what they compose into, so this test sees the real schema.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { SUBGRAPHS } from '@sendco/config';
import { composeSupergraph, SUPERGRAPH_FILE, subgraphSchemaFile } from '@sendco/gateway';
import { CONTRACT_DIR, REPO_ROOT } from '../support/stack';
import { supergraphApiSchema } from '../support/supergraph';

/**
 * Operations whose subgraph (or fields) have not been built yet, with the issue that brings them.
 * This list only shrinks: an entry that already validates fails the test below.
 */
const PENDING: Record<string, string> = {
};


/** The project's own additions to the contract, in the same style (Enhanced Pathways). */
const PROJECT_CONTRACT_DIR = __dirname;

function contractOperations(): { file: string; name: string; document: DocumentNode }[] {
  const files = [CONTRACT_DIR, PROJECT_CONTRACT_DIR].flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).map((f) => path.join(dir, f)));
  return files.flatMap((filePath) => {
    const file = path.basename(filePath);
    const document = parse(fs.readFileSync(filePath, 'utf8'));
    return document.definitions
      .filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')
      .map((operation) => ({ file, name: operation.name!.value, document: { kind: document.kind, definitions: [operation] } as DocumentNode }));
  });
}


describe('the subgraph schemas', () => {
  it.each(SUBGRAPHS)('%s: schema.graphql is what the code prints (run `npm run schema` after changing the API)', (name) => {
    const printed = spawnSync(process.execPath, [path.join(REPO_ROOT, 'subgraphs', name, 'dist', 'print-schema.js')], { encoding: 'utf8' });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(fs.readFileSync(subgraphSchemaFile(name), 'utf8'));
  });

  it('compose into the committed gateway/supergraph.graphql (run `npm run schema` after changing a subgraph or SUBGRAPHS)', () => {
    expect(composeSupergraph()).toBe(fs.readFileSync(SUPERGRAPH_FILE, 'utf8'));
  });
});

describe('the front-end contract', () => {
  const operations = contractOperations();
  const supergraph = supergraphApiSchema();

  it('is there to check (../shared/contract)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(28);
  });

  it("includes the project's own operations (tests/contract/pathways.graphql)", () => {
    expect(operations.filter((o) => o.file.endsWith('pathways.graphql')).map((o) => o.name)).toContain('PublishFundingRound');
  });

  const ready = operations.filter((o) => !(o.name in PENDING));
  it.each(ready.map((o) => [`${o.file} ${o.name}`, o] as const))('%s validates against the supergraph', (_label, operation) => {
    expect(validate(supergraph, operation.document).map((e) => e.message)).toEqual([]);
  });

  it('lists as pending only operations that really do not validate yet', () => {
    const pendingThatValidate = operations.filter((o) => o.name in PENDING && validate(supergraph, o.document).length === 0).map((o) => o.name);
    expect(pendingThatValidate).toEqual([]);
  });

  it('lists as pending only operations that exist in the contract', () => {
    const names = new Set(operations.map((o) => o.name));
    expect(Object.keys(PENDING).filter((name) => !names.has(name))).toEqual([]);
  });
});
