import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { bandingSubgraph } from './banding.subgraph';

printSubgraphSchema(bandingSubgraph);
