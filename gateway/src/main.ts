import './tracing';
import { loadConfigOrExit } from '@sendco/config';
import { runService } from '@sendco/federation';
import { createLogger } from '@sendco/logger';
import { startGateway } from './gateway';

const config = loadConfigOrExit();
const logger = createLogger('gateway', config.logLevel);
if (config.auth.kind === 'hs256' && config.auth.isDevelopmentSecret) {
  logger.warn('AUTH_JWT_SECRET is not set: using the development secret (npm run token makes tokens for it). Never do this in production.');
}
runService('gateway', logger, async () => {
  const gateway = await startGateway(config, logger);
  return () => gateway.close();
});
