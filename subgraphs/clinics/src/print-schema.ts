import 'reflect-metadata';
import { printSubgraphSchema } from '@sendco/federation';
import { clinicsSubgraph } from './clinics.subgraph';

printSubgraphSchema(clinicsSubgraph);
