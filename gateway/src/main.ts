import './tracing';
// First: before @apollo/gateway is loaded (see the module).
import './apollo-telemetry';
import { loadConfigOrExit } from '@sendco/config';
import { runService } from '@sendco/federation';
import { createLogger } from '@sendco/logger';
import { startGateway } from './gateway';

const config = loadConfigOrExit();
const logger = createLogger('gateway', config.logLevel);
if (config.auth.kind === 'hs256' && config.auth.isDevelopmentSecret) {
  // Only on the all-embedded default: with any real service configured, loadConfig refuses the development secret.
  logger.warn('AUTH_JWT_SECRET is not set: tokens are checked with the published development secret (npm run token makes tokens for it), accepted only on the embedded defaults.');
}
runService('gateway', logger, async () => {
  const gateway = await startGateway(config, logger);
  return () => gateway.close();
});
