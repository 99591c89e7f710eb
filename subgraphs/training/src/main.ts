import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { trainingSubgraph } from './training.subgraph';

runSubgraph(trainingSubgraph);
