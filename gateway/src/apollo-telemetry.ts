/**
 * Imported first by the gateway's entry point, before anything loads @apollo/gateway: Apollo
 * Gateway reports anonymous usage to Apollo unless APOLLO_TELEMETRY_DISABLED is true, and a
 * council deployment sends nothing to third parties it did not choose. An operator's own value wins.
 */
import { applyApolloTelemetryDefault } from '@sendco/config';

applyApolloTelemetryDefault();
