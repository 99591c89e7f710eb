import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { directorySubgraph } from './directory.subgraph';

runSubgraph(directorySubgraph);
