/**
 * Tokens from identity providers, against a JWKS and a role hook served over real HTTP on
 * loopback (the e2e test tests/e2e/identity.test.ts does the same with a real OIDC server through
 * the whole stack).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type KeyLike } from 'jose';
import { loadConfig, type OidcProviderConfig } from '@sendco/config';
import { createRoleHook, createTokenVerifier, mapClaims, readClaim, type TokenVerifier } from './index';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A small HTTP server: `handler` answers; `requests` counts what it was asked, `authorizations` with which header. */
async function serve(handler: (url: string) => { status: number; body: unknown }) {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    authorizations.push(req.headers.authorization);
    const { status, body } = handler(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, authorizations, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ISSUER = 'https://id.example.org';
const AUDIENCE = 'sendco-hub';

function providers(list: Record<string, unknown>[]): OidcProviderConfig[] {
  const config = loadConfig({ AUTH_PROVIDERS: JSON.stringify(list) });
  if (config.auth.kind !== 'jwks') throw new Error('expected providers');
  return config.auth.providers;
}

async function token(key: SigningKey, claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresIn?: string | number | null } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '1h');
  return `Bearer ${await jwt.sign(key.privateKey)}`;
}

describe('claim paths', () => {
  it('reads nested claims, inside JSON text too, and nothing through arrays or missing steps', () => {
    const payload = { organisation: { urn: '123456', category: { id: '001' } }, asText: JSON.stringify({ urn: '654321' }), list: [{ a: 1 }] };
    expect(readClaim(payload, 'organisation.urn')).toBe('123456');
    expect(readClaim(payload, 'organisation.category.id')).toBe('001');
    expect(readClaim(payload, 'asText.urn')).toBe('654321');
    expect(readClaim(payload, 'list.a')).toBeUndefined();
    expect(readClaim(payload, 'organisation.missing.deeper')).toBeUndefined();
    expect(readClaim(payload, 'constructor')).toBeUndefined();
  });

  it('maps a DfE Sign-in token (organisation object, given and family names) and an Entra ID token (oid, app roles)', () => {
    const [dfe, entra] = providers([
      { issuer: 'https://dfe.example', jwksUrl: 'https://dfe.example/certs', audience: AUDIENCE, claims: { name: ['given_name', 'family_name'], roles: null, schoolUrn: 'organisation.urn' } },
      { issuer: 'https://entra.example', jwksUrl: 'https://entra.example/keys', audience: AUDIENCE, claims: { subject: 'oid', email: ['email', 'preferred_username'], schoolUrn: null } },
    ]);
    expect(
      mapClaims({ sub: 'dfe-user', email: 'sam@school.example', given_name: 'Sam', family_name: 'Patel', organisation: { id: 'org-1', urn: '900001', name: 'Demo School', category: { id: '001', name: 'Establishment' } } }, dfe.claims),
    ).toEqual({ sub: 'dfe-user', email: 'sam@school.example', name: 'Sam Patel', roleCodes: [], schoolUrn: '900001' });
    expect(mapClaims({ sub: 'pairwise', oid: 'oid-1', tid: 'tenant', preferred_username: 'ann@council.example', name: 'Ann Officer', roles: ['Training.Admin'], schoolUrn: '900001' }, entra.claims)).toEqual({
      sub: 'oid-1',
      email: 'ann@council.example',
      name: 'Ann Officer',
      roleCodes: ['Training.Admin'],
      schoolUrn: undefined,
    });
    // Not a URN: no school.
    expect(mapClaims({ sub: 'x', organisation: { urn: '12345' } }, dfe.claims).schoolUrn).toBeUndefined();
  });
});

describe('tokens from identity providers', () => {
  let key1: SigningKey;
  let key2: SigningKey;
  let published: JWK[];
  let jwksUp = true;
  let jwks: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    [key1, key2] = await Promise.all([signingKey('key-1'), signingKey('key-2')]);
    jwks = await serve(() => (jwksUp ? { status: 200, body: { keys: published } } : { status: 503, body: { error: 'down' } }));
  });
  beforeEach(() => {
    published = [key1.jwk];
    jwksUp = true;
  });
  afterAll(() => jwks.close());

  const verifierFor = (extra: Record<string, unknown> = {}): TokenVerifier =>
    createTokenVerifier({ kind: 'jwks', providers: providers([{ issuer: ISSUER, jwksUrl: `${jwks.base}/jwks`, audience: AUDIENCE, jwksCooldownSeconds: 0, ...extra }]) });

  it('accepts a good token and refuses a wrong issuer, a wrong audience, an expired token, one without exp, and an unknown kid', async () => {
    const verifier = verifierFor();
    await expect(verifier.verify(await token(key1, { sub: 'u1', roles: ['SENDCO', 'SUPERUSER'], schoolUrn: '900001' }))).resolves.toEqual({
      sub: 'u1',
      email: undefined,
      name: undefined,
      roles: ['SENDCO'],
      schoolUrn: '900001',
    });
    for (const bad of [
      await token(key1, { sub: 'u1' }, { issuer: 'https://evil.example.org' }),
      await token(key1, { sub: 'u1' }, { audience: 'another-app' }),
      await token(key1, { sub: 'u1' }, { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
      await token(key1, { sub: 'u1' }, { expiresIn: null }),
      await token(key2, { sub: 'u1' }),
    ]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('accepts a rotated key without a restart, and the old key until it is withdrawn', async () => {
    const verifier = verifierFor();
    const old = await token(key1, { sub: 'u1' });
    await expect(verifier.verify(old)).resolves.toMatchObject({ sub: 'u1' });
    await expect(verifier.verify(await token(key2, { sub: 'u2' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    published = [key1.jwk, key2.jwk];
    await expect(verifier.verify(await token(key2, { sub: 'u2' }))).resolves.toMatchObject({ sub: 'u2' });
    await expect(verifier.verify(old)).resolves.toMatchObject({ sub: 'u1' });
  });

  it('keeps the keys it fetched while the JWKS is down, past their freshness', async () => {
    const verifier = verifierFor({ jwksCacheMaxAgeSeconds: 1 });
    const good = await token(key1, { sub: 'u1' });
    await expect(verifier.verify(good)).resolves.toMatchObject({ sub: 'u1' });
    jwksUp = false;
    await sleep(1100); // past the set's freshness, so it is fetched again and that fails
    const asked = jwks.requests.length;
    await expect(verifier.verify(good)).resolves.toMatchObject({ sub: 'u1' });
    expect(jwks.requests.length).toBeGreaterThan(asked);
    // Still refused: a key it never had, a bad audience.
    await expect(verifier.verify(await token(key2, { sub: 'u2' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(await token(key1, { sub: 'u1' }, { audience: 'another-app' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('chooses the provider by issuer, each with its own mapping', async () => {
    const verifier = createTokenVerifier({
      kind: 'jwks',
      providers: providers([
        { issuer: ISSUER, jwksUrl: `${jwks.base}/jwks`, audience: AUDIENCE, claims: { subject: 'oid', schoolUrn: null }, roleMap: { 'Training.Admin': 'TRAINING_ADMIN' } },
        { issuer: 'https://dfe.example', jwksUrl: `${jwks.base}/jwks`, audience: 'dfe-client', claims: { roles: null, schoolUrn: 'organisation.urn' } },
      ]),
    });
    await expect(verifier.verify(await token(key1, { sub: 'p', oid: 'oid-1', roles: ['Training.Admin', 'ADMIN'], schoolUrn: '900001' }))).resolves.toMatchObject({
      sub: 'oid-1',
      roles: ['TRAINING_ADMIN'],
      schoolUrn: undefined,
    });
    await expect(verifier.verify(await token(key1, { sub: 'd', roles: ['ADMIN'], organisation: { urn: '900002' } }, { issuer: 'https://dfe.example', audience: 'dfe-client' }))).resolves.toMatchObject({
      sub: 'd',
      roles: [],
      schoolUrn: '900002',
    });
    // An issuer that is not configured, even signed with a known key.
    await expect(verifier.verify(await token(key1, { sub: 'x' }, { issuer: 'https://other.example' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  describe('the role hook', () => {
    let hook: Awaited<ReturnType<typeof serve>>;
    let answer: { status: number; body: unknown };
    beforeAll(async () => {
      hook = await serve(() => answer);
    });
    afterAll(() => hook.close());
    beforeEach(() => {
      answer = { status: 200, body: { roles: [{ id: 'r1', code: 'HUB_SENDCO' }, { code: 'SOMETHING_ELSE' }, 'HUB_STAFF'] } };
      hook.requests.length = 0;
      hook.authorizations.length = 0;
    });

    const dfeVerifier = (cacheSeconds: number) =>
      verifierFor({
        claims: { roles: null, schoolUrn: 'organisation.urn' },
        roleMap: { HUB_SENDCO: 'SENDCO', HUB_STAFF: 'SCHOOL_STAFF' },
        roleHook: { url: `${hook.base}/services/hub/organisations/{organisation.id}/users/{sub}?urn={urn}`, bearerToken: 'api-token', cacheSeconds },
      });
    const dfeToken = (sub = 'user 1') => token(key1, { sub, organisation: { id: 'org-1', urn: '900001' } });

    it('asks for the person at their organisation, maps the codes, ignores unknown ones, and caches the answer', async () => {
      const verifier = dfeVerifier(1);
      const bearer = await dfeToken();
      await expect(verifier.verify(bearer)).resolves.toMatchObject({ sub: 'user 1', roles: ['SENDCO', 'SCHOOL_STAFF'], schoolUrn: '900001' });
      expect(hook.requests).toEqual(['/services/hub/organisations/org-1/users/user%201?urn=900001']);
      await Promise.all([verifier.verify(bearer), verifier.verify(bearer)]);
      expect(hook.requests).toHaveLength(1);
      // Another person is asked for separately.
      await verifier.verify(await dfeToken('user-2'));
      expect(hook.requests).toHaveLength(2);
      // After the cache's lifetime the hook is asked again (a role withdrawn takes effect).
      answer = { status: 200, body: { roles: [] } };
      await sleep(1100);
      await expect(verifier.verify(bearer)).resolves.toMatchObject({ roles: [] });
      expect(hook.requests).toHaveLength(3);
    });

    it('gives no roles for a 404, refuses while the hook fails, and does not cache the failure', async () => {
      const verifier = dfeVerifier(60);
      answer = { status: 404, body: {} };
      await expect(verifier.verify(await dfeToken('nobody'))).resolves.toMatchObject({ roles: [] });
      answer = { status: 500, body: {} };
      const bearer = await dfeToken();
      await expect(verifier.verify(bearer)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      answer = { status: 200, body: { roles: ['HUB_SENDCO'] } };
      await expect(verifier.verify(bearer)).resolves.toMatchObject({ roles: ['SENDCO'] });
    });

    it('sends the fixed bearer token it is given', async () => {
      await dfeVerifier(0).verify(await dfeToken());
      expect(hook.authorizations).toEqual(['Bearer api-token']);
    });

    it("signs its own bearer JWT as DfE Sign-in's API asks (HS256, iss = client id, aud), reused until half its lifetime, then a new one", async () => {
      const secret = 'the-service-api-secret';
      const signedBearer = { secret, issuer: 'sendco-hub-client-id', lifetimeSeconds: 300 };
      const [config] = providers([{ issuer: ISSUER, jwksUrl: `${hook.base}/jwks`, audience: AUDIENCE, roleHook: { url: `${hook.base}/users/{sub}`, signedBearer, cacheSeconds: 0 } }]);
      expect(config.roleHook?.signedBearer?.audience).toBe('signin.education.gov.uk');
      let clock = Date.UTC(2026, 11, 4, 9, 0, 0);
      const roleHook = createRoleHook(config.roleHook!, () => clock);
      const identity = { sub: 'a' } as Parameters<typeof roleHook.roleCodes>[1];
      await expect(roleHook.roleCodes({ sub: 'a' }, identity)).resolves.toEqual(['HUB_SENDCO', 'SOMETHING_ELSE', 'HUB_STAFF']);
      clock += 149_000;
      await roleHook.roleCodes({ sub: 'b' }, { ...identity, sub: 'b' });
      clock += 1_000; // 150 s: half of the lifetime
      await roleHook.roleCodes({ sub: 'c' }, { ...identity, sub: 'c' });

      expect(hook.requests).toEqual(['/users/a', '/users/b', '/users/c']);
      const [first, second, third] = hook.authorizations.map((header) => header!.replace(/^Bearer /, ''));
      expect(second).toBe(first);
      expect(third).not.toBe(first);
      // What the API checks: the signature with the shared secret, the issuer, the audience, and a lifetime.
      const key = new TextEncoder().encode(secret);
      for (const [jwt, issuedAt] of [[first, clock / 1000 - 150], [third, clock / 1000]] as const) {
        const { payload, protectedHeader } = await jwtVerify(jwt, key, { issuer: 'sendco-hub-client-id', audience: 'signin.education.gov.uk', currentDate: new Date(issuedAt * 1000) });
        expect(protectedHeader.alg).toBe('HS256');
        expect(payload).toMatchObject({ iat: issuedAt, exp: issuedAt + 300 });
      }
      await expect(jwtVerify(first, new TextEncoder().encode('another-secret'))).rejects.toThrow();
      expect(decodeJwt(third).iat).toBe(decodeJwt(first).iat! + 150);
    });

    it('is not asked when a placeholder has no value in the token', async () => {
      const verifier = dfeVerifier(60);
      await expect(verifier.verify(await token(key1, { sub: 'no-org' }))).resolves.toMatchObject({ roles: [], schoolUrn: undefined });
      expect(hook.requests).toHaveLength(0);
    });
  });
});

describe('AUTH_PROVIDERS', () => {
  it('names what is wrong inside the JSON and hides the value', () => {
    expect(() => loadConfig({ AUTH_PROVIDERS: '{' })).toThrow(/AUTH_PROVIDERS must be JSON/);
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify([{ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', claims: { schoolUrn: 'organisation urn' } }]) })).toThrow(
      /AUTH_PROVIDERS\[0\]\.claims\.schoolUrn must be a claim path.*<hidden>/,
    );
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', roleMap: { X: 'SUPERUSER' } }) })).toThrow(/AUTH_PROVIDERS\[0\]\.roleMap\.X/);
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', roleHook: { url: 'https://api.example/{who}' } }) })).not.toThrow();
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', roleHook: { url: 'https://api.example/{a b}' } }) })).toThrow(/roleHook\.url placeholders/);
    expect(() =>
      loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', roleHook: { url: 'https://api.example/{sub}', bearerToken: 't', signedBearer: { secret: 's', issuer: 'c' } } }) }),
    ).toThrow(/roleHook must give bearerToken or signedBearer, not both/);
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a', roleHook: { url: 'https://api.example/{sub}', signedBearer: { secret: 's' } } }) })).toThrow(
      /roleHook\.signedBearer\.issuer/,
    );
    expect(() => loadConfig({ AUTH_PROVIDERS: JSON.stringify([{ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a' }, { issuer: 'i', jwksUrl: 'https://y.example/jwks', audience: 'b' }]) })).toThrow(
      /each issuer once/,
    );
    expect(() =>
      loadConfig({ AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a' }), AUTH_JWKS_URL: 'https://x.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }),
    ).toThrow(/AUTH_PROVIDERS cannot be set with AUTH_JWKS_URL/);
  });

  it('keeps the short form: AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE with the contract claim names', () => {
    const config = loadConfig({ AUTH_JWKS_URL: 'https://id.example.org/jwks', AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
    expect(config.auth).toEqual({
      kind: 'jwks',
      providers: [expect.objectContaining({ issuer: ISSUER, audience: AUDIENCE, claims: { subject: 'sub', email: ['email'], name: ['name'], roles: 'roles', schoolUrn: 'schoolUrn' }, jwksCooldownSeconds: 30 })],
    });
    // Providers count as a real way to sign in: the development secret is not needed beside real services.
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/x', AUTH_PROVIDERS: JSON.stringify({ issuer: 'i', jwksUrl: 'https://x.example/jwks', audience: 'a' }) }).auth.kind).toBe('jwks');
  });
});
