import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { pathwaysSubgraph } from './pathways.subgraph';

printSubgraphSchema(pathwaysSubgraph);
