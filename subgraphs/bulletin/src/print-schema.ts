import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { bulletinSubgraph } from './bulletin.subgraph';

printSubgraphSchema(bulletinSubgraph);
