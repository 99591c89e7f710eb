/**
 * The one federation helper (type-graphql's apollo-federation-2 example): build the type-graphql
 * schema, print it with its directives, prepend the Federation 2 @link, and hand the result with
 * the resolver map (plus __resolveReference for entities) to buildSubgraphSchema.
 */
import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { authChecker } from '@sendco/auth';

export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

/** Reference resolvers by type name, e.g. `{ School: { __resolveReference: ... } }`. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any) => unknown }>;

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as composed by the gateway (checked into the repo as schema.graphql). */
  sdl: string;
}

export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'authChecker' | 'validate'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<FederatedSchema> {
  const typeGraphqlSchema = await buildSchema({
    ...options,
    authChecker,
    // The contract's `DateTime`: ISO 8601 with an offset, the same scalar in every subgraph.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are validated with class-validator; unknown objects are not an error in GraphQL inputs.
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never });
  return { schema, sdl };
}
