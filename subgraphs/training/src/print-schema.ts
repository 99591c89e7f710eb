import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { trainingSubgraph } from './training.subgraph';

printSubgraphSchema(trainingSubgraph);
