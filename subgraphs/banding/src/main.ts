import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { bandingSubgraph } from './banding.subgraph';

runSubgraph(bandingSubgraph);
