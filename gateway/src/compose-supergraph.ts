/** `npm run schema`'s last step: compose the subgraphs' printed schemas into gateway/supergraph.graphql. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from './supergraph';

try {
  fs.writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
  process.stdout.write(`composed ${SUPERGRAPH_FILE}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
