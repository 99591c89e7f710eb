/**
 * The development mailbox used when SMTP_URL is unset: an SMTP listener on loopback that
 * delivers nothing and keeps every message, byte for byte, as a `.eml` file. The gateway shows
 * them at /dev/mail (gateway/src/dev-mailbox.ts), so a developer can read what the product sent
 * without a mail account.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Logger } from '@sendco/logger';
import { once } from './embedded-postgres';

/** Generous for attachments; anything larger is refused with 552 rather than half-stored. */
export const DEV_MAILBOX_MAX_BYTES = 25 * 1024 * 1024;

/** Unfinished messages are written under this prefix and renamed when complete. */
const PARTIAL_PREFIX = '.partial-';

export interface DevMailboxOptions {
  /** Where the .eml files go; created if missing. */
  dir: string;
  /** Loopback port; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
}

export interface DevMailbox {
  port: number;
  close(): Promise<void>;
}

export async function startDevMailbox({ dir, port, logger }: DevMailboxOptions): Promise<DevMailbox> {
  fs.mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    banner: 'SENDCO Hub development mailbox (nothing is delivered)',
    // Loopback only and nothing leaves it: no TLS to negotiate, no credentials to check.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: DEV_MAILBOX_MAX_BYTES,
    logger: false,
    onData(stream, _session, callback) {
      storeMessage(stream, dir).then(
        (file) => {
          // File name only: recipients are personal data and stay out of the logs.
          logger.info({ file }, 'dev mailbox stored a message');
          callback(null);
        },
        (error: Error) => {
          logger.warn({ err: error }, 'dev mailbox refused a message');
          callback(error);
        },
      );
    },
  });
  const actualPort = await listen(server, port);
  server.on('error', (error) => logger.error({ err: error }, 'dev mailbox error'));
  logger.info({ port: actualPort, dir }, 'dev mailbox listening for SMTP');
  return {
    port: actualPort,
    close: once(() => new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** `2025-01-31T09-15-02-123Z-1a2b3c4d.eml`: sorts by arrival, and is a safe name on every OS and in a URL. */
export function messageFileName(receivedAt: Date = new Date()): string {
  const stamp = receivedAt.toISOString().replace(/[:.]/g, '-');
  return `${stamp}-${randomBytes(4).toString('hex')}.eml`;
}

/**
 * Writes the message to a partial file and renames it when complete, so the mailbox page never
 * lists a message that is still arriving (rename is atomic within one directory).
 */
async function storeMessage(stream: SMTPServerDataStream, dir: string): Promise<string> {
  const file = messageFileName();
  const partial = path.join(dir, `${PARTIAL_PREFIX}${file}`);
  try {
    await pipeline(stream, fs.createWriteStream(partial));
    if (stream.sizeExceeded) throw withResponseCode(new Error(`Message exceeds ${DEV_MAILBOX_MAX_BYTES} bytes`), 552);
    await fs.promises.rename(partial, path.join(dir, file));
    return file;
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}

function withResponseCode(error: Error, responseCode: number): Error {
  return Object.assign(error, { responseCode });
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is in use, so the dev mailbox cannot listen there. Stop whatever uses it or set EMBEDDED_SMTP_PORT.`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
