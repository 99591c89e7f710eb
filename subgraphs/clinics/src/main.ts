import './tracing';
import 'reflect-metadata';
import { runSubgraph } from '@sendco/federation';
import { clinicsSubgraph } from './clinics.subgraph';

runSubgraph(clinicsSubgraph);
