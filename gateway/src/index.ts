/** What other workspaces (the tests) use of the gateway: the committed supergraph and how it is composed. */
export { composeSupergraph, loadSupergraph, readSubgraphSchemas, subgraphSchemaFile, subgraphsOf, SUPERGRAPH_FILE } from './supergraph';
