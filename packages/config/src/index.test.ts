import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies documented defaults and selects the embedded backends when nothing is set', () => {
    const config = loadConfig({});
    expect(config.gateway.port).toBe(4000);
    expect(config.database).toEqual({ url: 'postgres://postgres@127.0.0.1:54329/postgres', embedded: true, poolSize: 10, statementTimeoutMs: 15_000, lockTimeoutMs: 5_000 });
    expect(config.queue).toEqual({ backend: 'postgres', databaseUrl: 'postgres://postgres@127.0.0.1:54329/postgres', prefix: 'sendco', retry: { windowMs: 24 * 3600_000, firstDelayMs: 1000, maxDelayMs: 3600_000 } });
    expect(config.outbox).toEqual({ maxAttempts: 300, retentionMs: 7 * 24 * 3600_000 });
    expect(config.mail.devMailbox).toBe(true);
    expect(config.auth).toMatchObject({ kind: 'hs256', isDevelopmentSecret: true });
    expect(config.subgraphs.training.url).toBe('http://127.0.0.1:4002/graphql');
  });

  it('uses each real service independently when its variable is set', () => {
    // A real service needs a real secret (see below); the secret changes nothing else here.
    const secret = { AUTH_JWT_SECRET: 's'.repeat(32) };
    const config = loadConfig({ ...secret, DATABASE_URL: 'postgres://u@db:5432/sendco' });
    expect(config.database.embedded).toBe(false);
    expect(config.queue).toEqual({ backend: 'postgres', databaseUrl: 'postgres://u@db:5432/sendco', prefix: 'sendco', retry: { windowMs: 24 * 3600_000, firstDelayMs: 1000, maxDelayMs: 3600_000 } });
    const withRedis = loadConfig({ ...secret, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(withRedis.queue.backend).toBe('redis');
    expect(withRedis.database.embedded).toBe(true);
  });

  it('names the variable and the reason for each bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x' });
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toMatch(/PORT .*number/);
      expect(message).toMatch(/REDIS_URL must start with redis:\/\//);
    }
  });

  it('refuses a short HS256 secret and a half-configured JWKS', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET must be at least 32/);
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://id.example.org/jwks' })).toThrow(/AUTH_ISSUER is required/);
  });

  it('refuses the published development secret as soon as any real service is configured, whatever NODE_ENV', () => {
    const real = { DATABASE_URL: 'postgres://u@db:5432/sendco', REDIS_URL: 'redis://127.0.0.1:6379', SMTP_URL: 'smtp://relay.example.org:587' };
    for (const [key, value] of Object.entries(real)) {
      for (const nodeEnv of [undefined, 'development', 'test']) {
        const env = { [key]: value, ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}) };
        expect(() => loadConfig(env)).toThrow(ConfigError);
        // Names the variables to set, the one that made it necessary, and why.
        expect(() => loadConfig(env)).toThrow(new RegExp(`AUTH_JWT_SECRET is required because ${key} is set.*development secret.*published.*AUTH_JWKS_URL`));
      }
    }
    // A real secret or a JWKS lifts it; the all-embedded default keeps the development secret.
    expect(loadConfig({ ...real, AUTH_JWT_SECRET: 's'.repeat(32) }).auth).toMatchObject({ kind: 'hs256', isDevelopmentSecret: false });
    expect(loadConfig({ ...real, AUTH_JWKS_URL: 'https://id.example.org/jwks', AUTH_ISSUER: 'https://id.example.org', AUTH_AUDIENCE: 'sendco' }).auth.kind).toBe('jwks');
    expect(loadConfig({}).auth).toMatchObject({ kind: 'hs256', isDevelopmentSecret: true });
  });

  it('checks issuer and audience of HS256 tokens when they are set (without a JWKS)', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ISSUER: 'https://hub.example.org', AUTH_AUDIENCE: 'sendco-hub' }).auth).toEqual({
      kind: 'hs256',
      secret: 's'.repeat(32),
      isDevelopmentSecret: false,
      issuer: 'https://hub.example.org',
      audience: 'sendco-hub',
    });
    expect(loadConfig({ AUTH_ISSUER: 'https://hub.example.org' }).auth).toMatchObject({ kind: 'hs256', issuer: 'https://hub.example.org', audience: undefined });
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://id.example.org/jwks', AUTH_ISSUER: 'https://id.example.org' })).toThrow(/AUTH_AUDIENCE is required when AUTH_JWKS_URL is set/);
  });

  it('requires TLS for SMTP credentials in production, with an opt-out', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/sendco', AUTH_JWT_SECRET: 's'.repeat(32), BULLETIN_TOKEN_SECRET: 'b'.repeat(32), BANDING_QA_EMAIL: 'qa@council.example.org' };
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://user:pass@relay.example.org:587' }).mail.requireTls).toBe(true);
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://user:pass@relay.example.org:587', SMTP_REQUIRE_TLS: 'false' }).mail.requireTls).toBe(false);
    // No credentials to protect, TLS from the first byte (smtps), or not production: as before unless asked for.
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://relay.example.org:25' }).mail.requireTls).toBe(false);
    expect(loadConfig({ ...production, SMTP_URL: 'smtps://user:pass@relay.example.org:465' }).mail.requireTls).toBe(false);
    expect(loadConfig({ AUTH_JWT_SECRET: 's'.repeat(32), SMTP_URL: 'smtp://user:pass@relay.example.org:587' }).mail.requireTls).toBe(false);
    expect(loadConfig({ AUTH_JWT_SECRET: 's'.repeat(32), SMTP_URL: 'smtp://relay.example.org:587', SMTP_REQUIRE_TLS: 'true' }).mail.requireTls).toBe(true);
    expect(loadConfig({}).mail.requireTls).toBe(false);
    expect(() => loadConfig({ SMTP_REQUIRE_TLS: 'yes' })).toThrow(/SMTP_REQUIRE_TLS/);
  });

  it('requires real services and a real secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET is required in production/);
  });

  it('pools SMTP connections and sizes the email worker to match, by default and when set', () => {
    const defaults = loadConfig({});
    expect(defaults.mail.pool).toEqual({ connections: 20, messagesPerConnection: 100 });
    expect(defaults.emailWorker).toEqual({ concurrency: 100 });
    const set = loadConfig({ SMTP_POOL_CONNECTIONS: '8', SMTP_POOL_MESSAGES: '1', EMAIL_WORKER_CONCURRENCY: '16' });
    expect(set.mail.pool).toEqual({ connections: 8, messagesPerConnection: 1 });
    expect(set.emailWorker).toEqual({ concurrency: 16 });
    expect(() => loadConfig({ SMTP_POOL_CONNECTIONS: '0' })).toThrow(/SMTP_POOL_CONNECTIONS must be at least 1/);
    expect(() => loadConfig({ SMTP_POOL_MESSAGES: '2.5' })).toThrow(/SMTP_POOL_MESSAGES must be a whole number/);
    expect(() => loadConfig({ EMAIL_WORKER_CONCURRENCY: 'many' })).toThrow(/EMAIL_WORKER_CONCURRENCY/);
  });

  it('bulletin: requires its own token secret in production, derives a stable one elsewhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/BULLETIN_TOKEN_SECRET is required in production/);
    const dev = loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) });
    expect(dev.bulletin.tokenSecret).toBe(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }).bulletin.tokenSecret);
    expect(dev.bulletin.tokenSecret).not.toBe('x'.repeat(32));
    expect(loadConfig({ BULLETIN_TOKEN_SECRET: 'b'.repeat(32) }).bulletin.tokenSecret).toBe('b'.repeat(32));
    expect(() => loadConfig({ BULLETIN_TOKEN_SECRET: 'short' })).toThrow(/BULLETIN_TOKEN_SECRET must be at least 32 characters/);
  });

  it('bulletin: send rate 0 means no limit; a negative rate is refused', () => {
    expect(loadConfig({}).bulletin.sendRatePerSecond).toBe(50);
    expect(loadConfig({ BULLETIN_SEND_RATE: '0' }).bulletin.sendRatePerSecond).toBe(0);
    expect(() => loadConfig({ BULLETIN_SEND_RATE: '-1' })).toThrow(/BULLETIN_SEND_RATE must be 0 \(no limit\) or more/);
  });

  it('reads the services the launcher restarts', () => {
    expect(loadConfig({}).restartOnExit).toEqual([]);
    expect(loadConfig({ RESTART_ON_EXIT: 'jobs,bulletin' }).restartOnExit).toEqual(['jobs', 'bulletin']);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.embedded).toBe(true);
  });

  it("has the gateway's abuse limits, each configurable", () => {
    expect(loadConfig({}).gateway).toMatchObject({
      limits: { tokens: 2000, fields: 250, cost: 3000, aliases: 30, directives: 50 },
      anonymousMutations: { points: 30, windowSeconds: 60 },
      trustProxyHops: 0,
    });
    const tuned = loadConfig({ MAX_QUERY_TOKENS: '500', MAX_QUERY_FIELDS: '40', ANONYMOUS_MUTATIONS_PER_WINDOW: '0', TRUST_PROXY_HOPS: '1' }).gateway;
    expect(tuned.limits).toMatchObject({ tokens: 500, fields: 40 });
    expect(tuned.anonymousMutations.points).toBe(0);
    expect(tuned.trustProxyHops).toBe(1);
    expect(() => loadConfig({ MAX_QUERY_TOKENS: '5' })).toThrow(/MAX_QUERY_TOKENS must be at least 100/);
  });

  it('reads the operations settings: metrics token, jobs metrics port, queue dashboard', () => {
    expect(loadConfig({})).toMatchObject({ metrics: { token: undefined }, jobs: { metricsPort: 4090 }, queueDashboard: true });
    const set = loadConfig({ METRICS_TOKEN: 'a-long-enough-token', JOBS_METRICS_PORT: '9464', QUEUE_DASHBOARD: 'false' });
    expect(set).toMatchObject({ metrics: { token: 'a-long-enough-token' }, jobs: { metricsPort: 9464 }, queueDashboard: false });
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(/METRICS_TOKEN must be at least 16 characters \(got "<hidden>"\)/);
    expect(() => loadConfig({ QUEUE_DASHBOARD: 'yes' })).toThrow(/QUEUE_DASHBOARD/);
  });
});

describe('banding settings', () => {
  it("default the council's QA inbox outside production, take BANDING_QA_EMAIL, and insist on it in production", () => {
    expect(loadConfig({}).banding.qaEmail).toBe('banding-qa@council.example.org');
    expect(loadConfig({ BANDING_QA_EMAIL: 'send.qa@county.example.org' }).banding.qaEmail).toBe('send.qa@county.example.org');
    expect(() => loadConfig({ BANDING_QA_EMAIL: 'not an address' })).toThrow(/BANDING_QA_EMAIL must be an email address/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/BANDING_QA_EMAIL is required in production/);
  });
});

describe('database timeouts', () => {
  it('default to 15 s per statement and 5 s per lock wait, take 0 for none, and refuse a negative or fractional value', () => {
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '2000', DB_LOCK_TIMEOUT_MS: '0' }).database).toMatchObject({ statementTimeoutMs: 2000, lockTimeoutMs: 0 });
    expect(() => loadConfig({ DB_LOCK_TIMEOUT_MS: '-1' })).toThrow(/DB_LOCK_TIMEOUT_MS must be 0 \(none\) or more/);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '1.5' })).toThrow(/DB_STATEMENT_TIMEOUT_MS must be a whole number/);
  });
});

describe('tracing settings', () => {
  it('are off without an OTLP endpoint, and read the endpoint, headers, service name and sample ratio when set', () => {
    expect(loadConfig({}).tracing).toEqual({ endpoint: undefined, headers: {}, serviceName: undefined, sampleRatio: 1 });
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc, x-scope-orgid=council',
      OTEL_SERVICE_NAME: 'sendco-gateway',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).tracing;
    expect(tracing).toEqual({ endpoint: 'http://collector:4318', headers: { authorization: 'Basic abc', 'x-scope-orgid': 'council' }, serviceName: 'sendco-gateway', sampleRatio: 0.25 });
  });

  it('refuses a bad endpoint, headers, service name or ratio, naming the variable and hiding the headers', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must start with http:\/\/ or https:\/\//);
    expect(() => loadConfig({ OTEL_SERVICE_NAME: 'two words' })).toThrow(/OTEL_SERVICE_NAME must be letters/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG must be between 0 and 1/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key secret-value' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas \(got "<hidden>"\)/);
  });
});
