/**
 * The local stack: embedded stand-ins for Postgres and SMTP, and the pieces of the launcher,
 * exported so end-to-end tests can start the same things `npm start` does.
 */
export { startEmbeddedPostgres, EMBEDDED_MAX_CONNECTIONS, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { startDevMailbox, messageFileName, DEV_MAILBOX_MAX_BYTES, type DevMailbox, type DevMailboxOptions } from './dev-mailbox';
export {
  startInfrastructure,
  startEmbeddedPostgresFor,
  runQueueMigrations,
  devMailboxDir,
  repoRoot,
  serviceEntry,
  serviceEnv,
  spawnService,
  runServiceToCompletion,
  stopService,
  waitUntilReady,
  readyUrl,
  type Infrastructure,
  type ServiceName,
  type ServiceProcess,
  type ExitStatus,
} from './start-all';
