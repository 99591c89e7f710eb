import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { bulletinSubgraph } from './bulletin.subgraph';

runSubgraph(bulletinSubgraph);
