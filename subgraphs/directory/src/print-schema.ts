import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { directorySubgraph } from './directory.subgraph';

printSubgraphSchema(directorySubgraph);
