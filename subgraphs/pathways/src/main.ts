import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { pathwaysSubgraph } from './pathways.subgraph';

runSubgraph(pathwaysSubgraph);
