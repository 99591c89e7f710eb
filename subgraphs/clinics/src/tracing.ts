// The first import of main.ts: tracing starts before http, pg and graphql load (packages/tracing).
import { startTracing } from '@sendco/tracing';

startTracing('clinics');
