import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies documented defaults and selects the embedded backends when nothing is set', () => {
    const config = loadConfig({});
    expect(config.gateway.port).toBe(4000);
    expect(config.database).toEqual({ url: 'postgres://postgres@127.0.0.1:54329/postgres', embedded: true, poolSize: 10 });
    expect(config.queue).toEqual({ backend: 'postgres', databaseUrl: 'postgres://postgres@127.0.0.1:54329/postgres', prefix: 'sendco' });
    expect(config.mail.devMailbox).toBe(true);
    expect(config.auth).toMatchObject({ kind: 'hs256', isDevelopmentSecret: true });
    expect(config.subgraphs.training.url).toBe('http://127.0.0.1:4002/graphql');
  });

  it('uses each real service independently when its variable is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/sendco' });
    expect(config.database.embedded).toBe(false);
    expect(config.queue).toEqual({ backend: 'postgres', databaseUrl: 'postgres://u@db:5432/sendco', prefix: 'sendco' });
    const withRedis = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
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

  it('requires real services and a real secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET is required in production/);
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
});
