/** The API the gateway serves, from the committed gateway/supergraph.graphql (its join__ machinery removed). */
import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { SUPERGRAPH_FILE } from '@sendco/gateway';

export function supergraphApiSchema(): GraphQLSchema {
  return Supergraph.build(fs.readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();
}
