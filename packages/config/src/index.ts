/**
 * The one place that reads process.env. Every service calls loadConfig() once at start;
 * everything else receives the typed, validated AppConfig.
 *
 * Unset DATABASE_URL / REDIS_URL / SMTP_URL select the embedded defaults (see README):
 * an embedded PostgreSQL server that `npm start` runs on loopback, BullMQ on its Postgres
 * backend, and a development mailbox.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { authProvidersSchema, providerFromJwksVariables, type OidcProviderConfig } from './auth-providers';

export { ROLES, type Role, type OidcProviderConfig, type ClaimMapping, type RoleHookConfig } from './auth-providers';

/**
 * Every subgraph's name and default port. Adding a subgraph is one line here: its
 * `<NAME>_PORT` / `<NAME>_URL` variables, the launcher, the gateway, the test stack and the
 * contract check all follow from this table.
 */
export const SUBGRAPH_DEFAULT_PORTS = {
  directory: 4001,
  training: 4002,
  clinics: 4003,
  banding: 4004,
  bulletin: 4005,
  pathways: 4006,
} as const;
export type SubgraphName = keyof typeof SUBGRAPH_DEFAULT_PORTS;
export const SUBGRAPHS = Object.keys(SUBGRAPH_DEFAULT_PORTS) as SubgraphName[];

/** `training` → `TRAINING`, the prefix of its `_PORT` and `_URL` variables. */
export const subgraphEnvPrefix = (name: SubgraphName): string => name.toUpperCase();

/**
 * Published in this repository, so it proves nothing about who signed a token: it serves only the
 * all-embedded default (nothing real configured). Any real service without AUTH_JWT_SECRET or a
 * JWKS stops the process (see the refinement below).
 */
const DEV_JWT_SECRET = 'sendco-hub-development-secret-not-for-production-use';

/** The variables that point a process at real services; any of them ends the all-embedded default. */
const REAL_SERVICE_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL'] as const;

const port = (fallback: number) =>
  z.coerce.number().int('must be a whole number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535').default(fallback);

const url = (protocols: string[]) =>
  z
    .string()
    .url('must be a URL')
    .refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: port(4000),
    LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
    ...Object.fromEntries(
      SUBGRAPHS.flatMap((name) => [
        [`${subgraphEnvPrefix(name)}_PORT`, port(SUBGRAPH_DEFAULT_PORTS[name])],
        [`${subgraphEnvPrefix(name)}_URL`, url(['http', 'https']).optional()],
      ]),
    ) as Record<string, ReturnType<typeof port> | z.ZodOptional<ReturnType<typeof url>>>,
    GATEWAY_URL: url(['http', 'https']).optional(),
    DATABASE_URL: url(['postgres', 'postgresql']).optional(),
    REDIS_URL: url(['redis', 'rediss']).optional(),
    SMTP_URL: url(['smtp', 'smtps']).optional(),
    // auto: STARTTLS required for an smtp:// URL with credentials in production (README "Configuration").
    SMTP_REQUIRE_TLS: z.enum(['auto', 'true', 'false']).default('auto'),
    MAIL_FROM: z.string().min(3).default('SENDCO Hub <no-reply@sendco-hub.example.org>'),
    PUBLIC_URL: url(['http', 'https']).default('http://localhost:4000'),
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a strong secret)').optional(),
    AUTH_JWKS_URL: url(['http', 'https']).optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    // Identity providers with claim mapping and a role hook, as JSON (README "Identity").
    AUTH_PROVIDERS: authProvidersSchema.optional(),
    APOLLO_TELEMETRY_DISABLED: z.enum(['true', 'false', '1', '0']).optional(),
    EMBEDDED_DATA_DIR: z.string().min(1).default('.data'),
    EMBEDDED_PG_PORT: port(54329),
    EMBEDDED_SMTP_PORT: port(2525),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _')
      .default('sendco'),
    OUTBOX_POLL_MS: z.coerce.number().int().min(100, 'must be at least 100').default(2000),
    // Outbox rows: failed hand-overs before a row is set aside as dead, days relayed rows are kept.
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(300),
    OUTBOX_RETENTION_DAYS: z.coerce.number().positive('must be more than 0').default(7),
    // Job retries (emails above all): how long a failing job is retried, the longest single wait.
    EMAIL_RETRY_HOURS: z.coerce.number().positive('must be more than 0').max(24 * 30, 'must be at most 720 (30 days)').default(24),
    EMAIL_RETRY_MAX_DELAY_SECONDS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(3600),
    MAX_QUERY_DEPTH: z.coerce.number().int().min(2, 'must be at least 2').default(12),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024').default(1_000_000),
    // Abuse limits at the gateway (README "Access and limits").
    MAX_QUERY_TOKENS: z.coerce.number().int().min(100, 'must be at least 100').default(2000),
    MAX_QUERY_FIELDS: z.coerce.number().int().min(10, 'must be at least 10').default(250),
    MAX_QUERY_COST: z.coerce.number().int().min(100, 'must be at least 100').default(3000),
    MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
    MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(50),
    ANONYMOUS_MUTATIONS_PER_WINDOW: z.coerce.number().int().min(0).default(30),
    ANONYMOUS_MUTATIONS_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    SUBGRAPH_CONNECTIONS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(64),
    DEMO_DATA: z.enum(['auto', 'true', 'false']).default('auto'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // Database timeouts per connection (README "Configuration"; 0 = none): a statement running, or
    // waiting for a lock, longer than this is cancelled and answered as a retryable CONFLICT.
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int('must be a whole number').min(0, 'must be 0 (none) or more').default(15_000),
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int('must be a whole number').min(0, 'must be 0 (none) or more').default(5_000),
    // banding: the council's inbox for returns waiting for quality assurance
    BANDING_QA_EMAIL: z.string().email('must be an email address').optional(),
    // Operations (metrics, queue dashboard): see README "Operations".
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    JOBS_METRICS_PORT: port(4090),
    QUEUE_DASHBOARD: z.enum(['true', 'false']).default('true'),
    // Email throughput (BENCHMARKS.md): SMTP connections kept open, messages per connection, emails in flight.
    SMTP_POOL_CONNECTIONS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(20),
    SMTP_POOL_MESSAGES: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(100),
    EMAIL_WORKER_CONCURRENCY: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(100),
    // bulletin
    BULLETIN_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BULLETIN_SEND_RATE: z.coerce.number().int().min(0, 'must be 0 (no limit) or more').default(50),
    BULLETIN_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
    BULLETIN_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BULLETIN_DIGEST_CRON: z.string().min(9).default('0 7 * * 1'),
    // Tracing (README "Operations: tracing"): OpenTelemetry spans by OTLP/HTTP (JSON) to a collector; off when unset.
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional(),
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'must be key=value pairs separated by commas')
      .optional(),
    OTEL_SERVICE_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ".", "_" and "-"').optional(),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(1),
    // launcher: services it restarts when they die instead of stopping everything (tests)
    RESTART_ON_EXIT: z.string().regex(/^[a-z,]*$/, 'must be service names separated by commas').default(''),
  })
  .superRefine((env, ctx) => {
    // A JWKS needs both; with HS256 either may be set alone (then only that claim is checked).
    if (env.AUTH_JWKS_URL) {
      for (const [key, value] of [['AUTH_ISSUER', env.AUTH_ISSUER], ['AUTH_AUDIENCE', env.AUTH_AUDIENCE]] as const) {
        if (!value) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when AUTH_JWKS_URL is set (tokens from an identity provider are checked for both)' });
      }
    }
    if (env.AUTH_PROVIDERS && env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_PROVIDERS'], message: 'cannot be set with AUTH_JWKS_URL (give that provider in AUTH_PROVIDERS instead)' });
    }
    if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL && !env.AUTH_PROVIDERS) {
      const real = REAL_SERVICE_VARIABLES.filter((key) => env[key]);
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_SECRET'], message: 'is required in production (or set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE)' });
      } else if (real.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_JWT_SECRET'],
          message:
            `is required because ${real.join(' and ')} ${real.length > 1 ? 'are' : 'is'} set: the development secret that signs tokens otherwise is published in this repository, ` +
            'so anyone could sign in as ADMIN. Set AUTH_JWT_SECRET (at least 32 characters, e.g. `openssl rand -hex 32`) or AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE; ' +
            `the development secret serves only the all-embedded default (none of ${REAL_SERVICE_VARIABLES.join(', ')} set)`,
        });
      }
    }
    if (env.NODE_ENV === 'production' && !env.BANDING_QA_EMAIL) {
      ctx.addIssue({ code: 'custom', path: ['BANDING_QA_EMAIL'], message: "is required in production (the council's inbox for submitted banding returns)" });
    }
    if (env.NODE_ENV === 'production') {
      for (const key of ['DATABASE_URL', 'SMTP_URL', 'BULLETIN_TOKEN_SECRET'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production (the embedded default is for trying the product only)' });
      }
    }
  });

export type RawEnv = z.infer<typeof envSchema>;

export type AuthConfig =
  /** `issuer` / `audience`: checked against the token's `iss` / `aud` when set. */
  | { kind: 'hs256'; secret: string; isDevelopmentSecret: boolean; issuer?: string; audience?: string }
  /** Tokens from identity providers (RS256/ES256 from each one's JWKS), chosen by the token's `iss`. */
  | { kind: 'jwks'; providers: OidcProviderConfig[] };

export interface AppConfig {
  env: RawEnv['NODE_ENV'];
  logLevel: RawEnv['LOG_LEVEL'];
  /** Interface every HTTP server binds to: loopback unless a container needs 0.0.0.0. */
  listenHost: string;
  /** `url`: where services reach the gateway themselves (public data of other subgraphs, e.g. a school's phase). */
  gateway: {
    port: number;
    url: string;
    maxQueryDepth: number;
    maxBodyBytes: number;
    /** Parse-time and validation limits on one operation. */
    limits: { tokens: number; fields: number; cost: number; aliases: number; directives: number };
    /** Mutations an anonymous client address may send per window (0 = no limit). */
    anonymousMutations: { points: number; windowSeconds: number };
    /** Reverse proxies in front of the gateway whose X-Forwarded-For is trusted for the client address. */
    trustProxyHops: number;
    /** Most connections the gateway opens to each subgraph; requests beyond them wait for a free one. */
    subgraphConnections: number;
  };
  subgraphs: Record<SubgraphName, { port: number; url: string }>;
  /** `statementTimeoutMs`, `lockTimeoutMs`: Postgres's statement_timeout and lock_timeout on every connection (0 = none). */
  database: { url: string; embedded: boolean; poolSize: number; statementTimeoutMs: number; lockTimeoutMs: number };
  /** Redis when REDIS_URL is set; otherwise BullMQ's Postgres backend in the same database. */
  queue: ({ backend: 'redis'; redisUrl: string; prefix: string } | { backend: 'postgres'; databaseUrl: string; prefix: string }) & { retry?: RetrySchedule };
  outboxPollMs: number;
  /** Outbox rows: `maxAttempts` failed hand-overs before a row is dead (kept, not relayed); relayed rows deleted after `retentionMs`. */
  outbox: { maxAttempts: number; retentionMs: number };
  /** Load the seeds' demo schools and programme into empty tables (default: only on the embedded database). */
  demoData: boolean;
  /**
   * `from` as written in MAIL_FROM; `sender` the same split into name and address (e.g. a calendar organizer);
   * `pool`: SMTP connections kept open and reused, each for up to `messagesPerConnection` emails.
   */
  mail: {
    smtpUrl: string;
    devMailbox: boolean;
    from: string;
    sender: { name?: string; email: string };
    pool: { connections: number; messagesPerConnection: number };
    /** Refuse to send unless the relay upgrades the connection with STARTTLS (no credentials or mail in clear). */
    requireTls: boolean;
  };
  /** How many emails the jobs worker sends at once (enough to keep every pooled connection busy). */
  emailWorker: { concurrency: number };
  publicUrl: string;
  auth: AuthConfig;
  /** `dataDirChosen`: EMBEDDED_DATA_DIR was set (the launcher then never moves the database elsewhere). */
  embedded: { dataDir: string; dataDirChosen: boolean; pgPort: number; smtpPort: number };
  /** EHCP banding returns: `qaEmail` is told of every submitted return. */
  banding: { qaEmail: string };
  /** `/metrics` on every service: open outside production, or behind `token` when it is set. */
  metrics: { token?: string };
  /** The jobs worker's own small HTTP server (/metrics, /healthz, /readyz). */
  jobs: { metricsPort: number };
  /** The bull-board queue dashboard behind the gateway, for ADMIN only. */
  queueDashboard: boolean;
  bulletin: BulletinConfig;
  /** Services the launcher restarts when they die, instead of stopping everything (for tests that kill a worker). */
  restartOnExit: string[];
  tracing: TracingConfig;
}

/**
 * OpenTelemetry tracing: on only when `endpoint` is set (spans go to `<endpoint>/v1/traces`).
 * `serviceName` unset: each process names itself (`gateway`, `training`, `jobs`, ...).
 */
export interface TracingConfig {
  endpoint?: string;
  headers: Record<string, string>;
  serviceName?: string;
  /** Share of new traces kept (0 to 1); a request that arrives with a trace context follows its sampled flag. */
  sampleRatio: number;
}

/** `key=value,key2=value2` (OTEL_EXPORTER_OTLP_HEADERS, values URL-encoded as the OpenTelemetry spec says). */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  if (!value) return {};
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
    }),
  );
}

/**
 * How a failing job is retried: waits doubling from `firstDelayMs` up to `maxDelayMs` each, for
 * as many attempts as it takes to cover `windowMs` (packages/queue computes them).
 */
export interface RetrySchedule {
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface BulletinConfig {
  /** Signs subscribers' confirm / unsubscribe / preferences links (HS256). */
  tokenSecret: string;
  /** Emails a second at most (BullMQ limiter across every worker); 0 = no limit. */
  sendRatePerSecond: number;
  /** Bulletin emails each jobs process sends at once. */
  sendConcurrency: number;
  /** Bearer secret of the bounce webhook; unset = the webhook is off. */
  webhookSecret?: string;
  /** When the weekly digest goes out (cron, Europe/London). */
  digestCron: string;
}

/** "Name <address>" or a bare address, as MAIL_FROM allows. */
export function parseMailbox(from: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1] || undefined, email: match[2] } : { email: from.trim() };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the configuration table in README.md.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings count as unset, the way shells and compose files usually mean them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? 'environment');
        // Inside a JSON variable, the place too: AUTH_PROVIDERS[1].claims.schoolUrn.
        const where = issue.path.slice(1).map((step) => (typeof step === 'number' ? `[${step}]` : `.${String(step)}`)).join('');
        const value = cleaned[key];
        const shown = value === undefined ? '' : ` (got "${/SECRET|PASSWORD|TOKEN|URL|PROVIDERS|HEADERS|ENDPOINT/.test(key) ? '<hidden>' : value}")`;
        return `${key}${where} ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.EMBEDDED_DATA_DIR);
  const embeddedDb = !env.DATABASE_URL;
  const databaseUrl = env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/postgres`;
  const subgraph = (name: SubgraphName) => {
    const values = env as unknown as Record<string, unknown>;
    const subgraphPort = values[`${subgraphEnvPrefix(name)}_PORT`] as number;
    const override = values[`${subgraphEnvPrefix(name)}_URL`] as string | undefined;
    return { port: subgraphPort, url: override ?? `http://127.0.0.1:${subgraphPort}/graphql` };
  };

  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    listenHost: env.LISTEN_HOST,
    gateway: {
      port: env.PORT,
      url: env.GATEWAY_URL ?? `http://127.0.0.1:${env.PORT}/graphql`,
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxBodyBytes: env.MAX_BODY_BYTES,
      limits: { tokens: env.MAX_QUERY_TOKENS, fields: env.MAX_QUERY_FIELDS, cost: env.MAX_QUERY_COST, aliases: env.MAX_QUERY_ALIASES, directives: env.MAX_QUERY_DIRECTIVES },
      anonymousMutations: { points: env.ANONYMOUS_MUTATIONS_PER_WINDOW, windowSeconds: env.ANONYMOUS_MUTATIONS_WINDOW_SECONDS },
      trustProxyHops: env.TRUST_PROXY_HOPS,
      subgraphConnections: env.SUBGRAPH_CONNECTIONS,
    },
    subgraphs: Object.fromEntries(SUBGRAPHS.map((name) => [name, subgraph(name)])) as Record<SubgraphName, { port: number; url: string }>,
    database: {
      url: databaseUrl,
      embedded: embeddedDb,
      poolSize: env.DB_POOL_SIZE,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS,
    },
    queue: {
      ...(env.REDIS_URL ? { backend: 'redis' as const, redisUrl: env.REDIS_URL } : { backend: 'postgres' as const, databaseUrl }),
      prefix: env.QUEUE_PREFIX,
      retry: { windowMs: Math.round(env.EMAIL_RETRY_HOURS * 3600_000), firstDelayMs: 1000, maxDelayMs: env.EMAIL_RETRY_MAX_DELAY_SECONDS * 1000 },
    },
    outboxPollMs: env.OUTBOX_POLL_MS,
    outbox: { maxAttempts: env.OUTBOX_MAX_ATTEMPTS, retentionMs: Math.round(env.OUTBOX_RETENTION_DAYS * 24 * 3600_000) },
    demoData: env.DEMO_DATA === 'auto' ? embeddedDb : env.DEMO_DATA === 'true',
    mail: {
      smtpUrl: env.SMTP_URL ?? `smtp://127.0.0.1:${env.EMBEDDED_SMTP_PORT}`,
      devMailbox: !env.SMTP_URL,
      from: env.MAIL_FROM,
      sender: parseMailbox(env.MAIL_FROM),
      pool: { connections: env.SMTP_POOL_CONNECTIONS, messagesPerConnection: env.SMTP_POOL_MESSAGES },
      requireTls: smtpRequiresTls(env),
    },
    emailWorker: { concurrency: env.EMAIL_WORKER_CONCURRENCY },
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
    auth: env.AUTH_PROVIDERS
      ? { kind: 'jwks', providers: env.AUTH_PROVIDERS }
      : env.AUTH_JWKS_URL
      ? { kind: 'jwks', providers: [providerFromJwksVariables(env.AUTH_JWKS_URL, env.AUTH_ISSUER!, env.AUTH_AUDIENCE!)] }
      : { kind: 'hs256', secret: env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, isDevelopmentSecret: !env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    embedded: { dataDir, dataDirChosen: cleaned.EMBEDDED_DATA_DIR !== undefined, pgPort: env.EMBEDDED_PG_PORT, smtpPort: env.EMBEDDED_SMTP_PORT },
    banding: { qaEmail: env.BANDING_QA_EMAIL ?? 'banding-qa@council.example.org' },
    metrics: { token: env.METRICS_TOKEN },
    jobs: { metricsPort: env.JOBS_METRICS_PORT },
    queueDashboard: env.QUEUE_DASHBOARD === 'true',
    bulletin: {
      // Outside production a missing secret is derived from the JWT secret, so links keep working across restarts.
      tokenSecret: env.BULLETIN_TOKEN_SECRET ?? createHash('sha256').update(`bulletin-tokens:${env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET}`).digest('hex'),
      sendRatePerSecond: env.BULLETIN_SEND_RATE,
      sendConcurrency: env.BULLETIN_SEND_CONCURRENCY,
      webhookSecret: env.BULLETIN_WEBHOOK_SECRET,
      digestCron: env.BULLETIN_DIGEST_CRON,
    },
    restartOnExit: env.RESTART_ON_EXIT.split(',').filter(Boolean),
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, ''),
      headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
      serviceName: env.OTEL_SERVICE_NAME,
      sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
    },
  };
}

/**
 * STARTTLS required: `smtp://` with a user name in production unless SMTP_REQUIRE_TLS=false, or
 * always on `smtp://` with SMTP_REQUIRE_TLS=true. `smtps://` is TLS from the first byte already.
 */
function smtpRequiresTls(env: RawEnv): boolean {
  if (!env.SMTP_URL || !env.SMTP_URL.startsWith('smtp:')) return false;
  if (env.SMTP_REQUIRE_TLS !== 'auto') return env.SMTP_REQUIRE_TLS === 'true';
  return env.NODE_ENV === 'production' && new URL(env.SMTP_URL).username !== '';
}

/**
 * For service entry points: load the config or stop the process with a message that names
 * the variable and why. Never returns on bad configuration.
 */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * Apollo Gateway reports anonymous usage to Apollo unless APOLLO_TELEMETRY_DISABLED is true: this
 * product turns that off unless the operator set it. Call before @apollo/gateway is loaded.
 */
export function applyApolloTelemetryDefault(env: NodeJS.ProcessEnv = process.env): void {
  if (env.APOLLO_TELEMETRY_DISABLED === undefined || env.APOLLO_TELEMETRY_DISABLED === '') env.APOLLO_TELEMETRY_DISABLED = 'true';
}
