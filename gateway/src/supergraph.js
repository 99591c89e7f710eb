"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.subgraphSchemaFile = exports.SUPERGRAPH_FILE = void 0;
exports.composeSupergraph = composeSupergraph;
exports.readSubgraphSchemas = readSubgraphSchemas;
exports.subgraphsOf = subgraphsOf;
exports.loadSupergraph = loadSupergraph;
/**
 * The supergraph, composed at build time: `npm run schema` prints each subgraph's schema
 * (subgraphs/<name>/schema.graphql) and then composes them with @apollo/composition into
 * gateway/supergraph.graphql, which is committed. The gateway starts from that file, so it never
 * waits for a subgraph to answer before serving, and a subgraph that is down costs only its own
 * fields. The contract test fails when the file is stale.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const composition_1 = require("@apollo/composition");
const graphql_1 = require("graphql");
const config_1 = require("@sendco/config");
/** gateway/supergraph.graphql, from gateway/src (ts-jest) or gateway/dist (node). */
exports.SUPERGRAPH_FILE = node_path_1.default.resolve(__dirname, '..', 'supergraph.graphql');
const REPO_ROOT = node_path_1.default.resolve(__dirname, '..', '..');
const subgraphSchemaFile = (name) => node_path_1.default.join(REPO_ROOT, 'subgraphs', name, 'schema.graphql');
exports.subgraphSchemaFile = subgraphSchemaFile;
const HEADER = `# The supergraph: every subgraph's schema.graphql composed by \`npm run schema\` (gateway/src/supergraph.ts).
# Do not edit; regenerate. The subgraph URLs below are placeholders: the gateway sends each
# subgraph's requests to its <NAME>_URL (packages/config).
`;
/** The subgraphs named in packages/config (SUBGRAPHS), composed from their printed schemas; throws with composition's own messages. */
function composeSupergraph(subgraphs = readSubgraphSchemas()) {
    const result = (0, composition_1.composeServices)(subgraphs.map(({ name, sdl }) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: (0, graphql_1.parse)(sdl) })));
    if (result.errors)
        throw new Error(`the subgraphs' schemas do not compose into one supergraph:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
    return `${HEADER}\n${result.supergraphSdl.trim()}\n`;
}
function readSubgraphSchemas() {
    return config_1.SUBGRAPHS.map((name) => {
        const file = (0, exports.subgraphSchemaFile)(name);
        if (!node_fs_1.default.existsSync(file))
            throw new Error(`${node_path_1.default.relative(REPO_ROOT, file)} is missing: run \`npm run schema\``);
        return { name, sdl: node_fs_1.default.readFileSync(file, 'utf8') };
    });
}
/** The names of the subgraphs a supergraph joins (its join__Graph values). */
function subgraphsOf(supergraphSdl) {
    return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]).sort();
}
/**
 * The committed supergraph, checked against the subgraphs this deployment runs: a subgraph added
 * to SUBGRAPHS without re-running `npm run schema` stops the gateway with a message saying so.
 */
function loadSupergraph(file = exports.SUPERGRAPH_FILE) {
    if (!node_fs_1.default.existsSync(file))
        throw new Error(`${file} is missing: run \`npm run schema\` to compose it`);
    const sdl = node_fs_1.default.readFileSync(file, 'utf8');
    const joined = subgraphsOf(sdl);
    const configured = [...config_1.SUBGRAPHS].sort();
    if (joined.join() !== configured.join()) {
        throw new Error(`${file} joins [${joined.join(', ')}] but packages/config lists [${configured.join(', ')}]: run \`npm run schema\``);
    }
    return sdl;
}
//# sourceMappingURL=supergraph.js.map