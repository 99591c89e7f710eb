/**
 * Entry-point helper for every process: start it, log a clear line if start-up fails, and shut
 * down cleanly on SIGTERM/SIGINT (finish in-flight work, close pools).
 */
import type { Logger } from '@sendco/logger';
import { stopTracing } from '@sendco/tracing';

export function runService(name: string, logger: Logger, start: () => Promise<() => Promise<void>>): void {
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await stop?.();
      await stopTracing(); // the spans still buffered, once the service has finished its work
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, `${name} did not stop cleanly`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  start()
    .then((stopFn) => {
      stop = stopFn;
    })
    .catch((error) => {
      logger.fatal({ err: error }, `${name} could not start: ${(error as Error).message}`);
      process.exit(1);
    });
}
