/**
 * README "Identity": the whole stack started with two identity providers (AUTH_PROVIDERS) served
 * by a real local OpenID Connect server (oauth2-mock-server): one shaped like DfE Sign-in (an
 * `organisation` object, roles from a role lookup hook, a small HTTP server here that, like DfE
 * Sign-in's public API, answers only a bearer JWT signed with the service's API secret), one like
 * Microsoft Entra ID (`oid`, app `roles`). Their tokens are accepted at the gateway and at every
 * subgraph; a wrong issuer, a wrong audience, an expired token and an unknown key are refused
 * everywhere; a new key is taken without a restart; and the JWKS being unreachable does not stop
 * the keys already fetched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { SUBGRAPHS } from '@sendco/config';
import { MockOidcProvider, type MockIssuer } from '../support/oidc';
import { codes, contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const SCHOOL_BOOKINGS = `query SchoolBookings($urn: ID!) { school(urn: $urn) { urn bookings { id } } }`;
const DFE_AUDIENCE = 'sendco-hub-dfe-client';
const ENTRA_AUDIENCE = 'api://sendco-hub';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let provider: MockOidcProvider;
let dfe: MockIssuer;
let entra: MockIssuer;
let stack: TestStack;
let hook: http.Server;
const hookRequests: { url: string; signedBearer: boolean }[] = [];
/** The bearer JWT DfE Sign-in's public API wants: HS256 with the service's API secret, `iss` its client id. */
const DFE_API_SECRET = 'the-dfe-api-secret-of-this-test';
const DFE_CLIENT_ID = DFE_AUDIENCE;

/** DfE Sign-in's public API, as far as the hook uses it: a user's roles in a service at an organisation. */
const DFE_ROLES: Record<string, string[]> = {
  '/services/sendco-hub/organisations/org-900001/users/dfe-sendco': ['sendco-hub-sendco'],
  '/services/sendco-hub/organisations/org-900001/users/dfe-head': ['sendco-hub-sendco'],
  '/services/sendco-hub/organisations/org-900001/users/dfe-staff': ['sendco-hub-staff', 'another-service-role'],
};

beforeAll(async () => {
  provider = await new MockOidcProvider().start();
  [dfe, entra] = await Promise.all([provider.issuer('dfe'), provider.issuer('entra')]);
  hook = http.createServer(async (req, res) => {
    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const signedBearer = bearer
      ? await jwtVerify(bearer, new TextEncoder().encode(DFE_API_SECRET), { issuer: DFE_CLIENT_ID, audience: 'signin.education.gov.uk', algorithms: ['HS256'] }).then(
          () => true,
          () => false,
        )
      : false;
    hookRequests.push({ url: req.url ?? '', signedBearer });
    if (!signedBearer) return void res.writeHead(401).end();
    const roles = DFE_ROLES[req.url ?? ''];
    if (!roles) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ roles: roles.map((code, i) => ({ id: `r${i}`, name: code, code, status: { id: 1 } })) }));
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookBase = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  stack = await startTestStack('identity', {
    authProviders: [
      {
        name: 'dfe-signin',
        issuer: dfe.issuer,
        jwksUrl: dfe.jwksUrl,
        audience: DFE_AUDIENCE,
        claims: { name: ['given_name', 'family_name'], roles: null, schoolUrn: 'organisation.urn' },
        roleMap: { 'sendco-hub-sendco': 'SENDCO', 'sendco-hub-staff': 'SCHOOL_STAFF' },
        roleHook: { url: `${hookBase}/services/sendco-hub/organisations/{organisation.id}/users/{sub}`, signedBearer: { secret: DFE_API_SECRET, issuer: DFE_CLIENT_ID }, cacheSeconds: 60 },
        // Short, so this file sees a rotation and an outage in seconds (defaults: 30 s and 10 min).
        jwksCooldownSeconds: 1,
        jwksCacheMaxAgeSeconds: 2,
      },
      {
        name: 'entra',
        issuer: entra.issuer,
        jwksUrl: entra.jwksUrl,
        audience: ENTRA_AUDIENCE,
        claims: { subject: 'oid', email: ['email', 'preferred_username'], schoolUrn: null },
        roleMap: { 'SendcoHub.Admin': 'ADMIN', 'SendcoHub.TrainingAdmin': 'TRAINING_ADMIN', 'SendcoHub.CouncilOfficer': 'COUNCIL_OFFICER' },
        jwksCooldownSeconds: 1,
        jwksCacheMaxAgeSeconds: 2,
      },
    ],
  });
});

afterAll(async () => {
  await stack?.stop();
  await provider?.stop();
  await new Promise((resolve) => (hook ? hook.close(resolve) : resolve(undefined)));
});

const dfeToken = (sub: string, extra: { kid?: string; expiresIn?: number; claims?: Record<string, unknown>; remove?: string[] } = {}) =>
  provider.token('dfe', {
    kid: extra.kid,
    remove: extra.remove,
    expiresIn: extra.expiresIn,
    claims: {
      sub,
      aud: DFE_AUDIENCE,
      email: `${sub}@school.example.org`,
      given_name: 'Sam',
      family_name: 'Patel',
      organisation: { id: 'org-900001', name: 'Demo Primary', urn: '900001', category: { id: '001', name: 'Establishment' } },
      ...extra.claims,
    },
  });

const entraToken = (roles: string[], extra: { claims?: Record<string, unknown> } = {}) =>
  provider.token('entra', {
    claims: { sub: 'pairwise-subject', oid: '5e1f0c3a-officer', tid: 'council-tenant', aud: ENTRA_AUDIENCE, preferred_username: 'ann.officer@council.example.org', name: 'Ann Officer', roles, ...extra.claims },
  });

async function post(url: string, query: string, token?: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** The gateway and each subgraph's own endpoint: every one verifies the token itself. */
const everyEndpoint = () => [stack.gatewayUrl, ...SUBGRAPHS.map((name) => stack.subgraphUrls[name])];

async function statusEverywhere(token: string): Promise<number[]> {
  return Promise.all(everyEndpoint().map(async (url) => (await post(url, '{ __typename }', token)).status));
}

describe('tokens from both providers', () => {
  it('are accepted at the gateway and at every subgraph', async () => {
    const tokens = [await dfeToken('dfe-sendco'), await entraToken(['SendcoHub.Admin'])];
    for (const token of tokens) {
      for (const url of everyEndpoint()) {
        const { status, body } = await post(url, '{ __typename }', token);
        expect({ url, status, errors: body.errors }).toEqual({ url, status: 200, errors: undefined });
      }
    }
  });

  it('map an Entra ID token: app roles through the role map, nothing else', async () => {
    const school = (urn: string) => ({ urn, name: `Identity School ${urn}`, phase: 'PRIMARY', ehcpCount: 3 });
    const upsert = await stack.gql(UPSERT_SCHOOLS, { schools: [school('900001'), school('900002')] }, await entraToken(['SendcoHub.Admin']));
    expect(upsert.errors).toBeUndefined();
    expect(upsert.data.upsertSchools.map((s: { urn: string }) => s.urn)).toEqual(['900001', '900002']);
    // A product role's own name in `roles` is not in the map, so it counts for nothing.
    expect(codes(await stack.gql(UPSERT_SCHOOLS, { schools: [school('900003')] }, await entraToken(['ADMIN'])))).toEqual(['FORBIDDEN']);
    // A council role reads any school's private data.
    const officer = await stack.gql(SCHOOL_BOOKINGS, { urn: '900002' }, await entraToken(['SendcoHub.CouncilOfficer']));
    expect(officer.errors).toBeUndefined();
    expect(officer.data.school).toEqual({ urn: '900002', bookings: [] });
  });

  it("map a DfE Sign-in token: the school from the organisation object, roles from the hook, cached", async () => {
    const before = hookRequests.length;
    // Someone no process has seen yet.
    const sendco = await dfeToken('dfe-head');
    const own = await stack.gql(SCHOOL_BOOKINGS, { urn: '900001' }, sendco);
    expect(own.errors).toBeUndefined();
    expect(own.data.school).toEqual({ urn: '900001', bookings: [] });
    expect(codes(await stack.gql(SCHOOL_BOOKINGS, { urn: '900002' }, sendco))).toEqual(['FORBIDDEN']);
    const asked = hookRequests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.url === '/services/sendco-hub/organisations/org-900001/users/dfe-head' && r.signedBearer)).toBe(true);
    // Each process asked once for this person; the same again asks nobody.
    const afterFirst = hookRequests.length;
    expect((await stack.gql(SCHOOL_BOOKINGS, { urn: '900001' }, sendco)).errors).toBeUndefined();
    expect(hookRequests.length).toBe(afterFirst);

    // A staff member (one role of theirs belongs to another service and is ignored).
    const staff = await stack.gql(SCHOOL_BOOKINGS, { urn: '900001' }, await dfeToken('dfe-staff'));
    expect(staff.errors).toBeUndefined();
    // Someone the service does not know (404 from the API): signed in, no roles.
    expect(codes(await stack.gql(SCHOOL_BOOKINGS, { urn: '900001' }, await dfeToken('dfe-stranger')))).toEqual(['FORBIDDEN']);
  });
});

describe('refused at the gateway and at every subgraph (401)', () => {
  const everywhere401 = SUBGRAPHS.map(() => 401).concat(401);

  it('a wrong issuer, a wrong audience, an expired token, one without an expiry and an unknown key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT({ sub: 'dfe-sendco', organisation: { id: 'org-900001', urn: '900001' } })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-published' })
      .setIssuer(dfe.issuer)
      .setAudience(DFE_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    const cases = {
      'wrong issuer': await dfeToken('dfe-sendco', { claims: { iss: 'https://evil.example.org' } }),
      'wrong audience': await dfeToken('dfe-sendco', { claims: { aud: 'another-service' } }),
      'expired': await dfeToken('dfe-sendco', { expiresIn: -120 }),
      'no expiry': await dfeToken('dfe-sendco', { remove: ['exp'] }),
      "one provider's token claiming the other's audience": await entraToken(['SendcoHub.Admin'], { claims: { aud: DFE_AUDIENCE } }),
      'unknown kid': unknownKid,
    };
    for (const [what, token] of Object.entries(cases)) {
      expect({ what, statuses: await statusEverywhere(token) }).toEqual({ what, statuses: everywhere401 });
    }
    const refused = await post(stack.gatewayUrl, '{ __typename }', cases['unknown kid']);
    expect(codes(refused.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('keys', () => {
  it('a new key is accepted without a restart, and tokens of the old one stay valid until they expire', async () => {
    const old = await dfeToken('dfe-sendco');
    expect(await statusEverywhere(old)).toEqual(everyEndpoint().map(() => 200));
    expect(await provider.publishKey('dfe', 'dfe-key-2')).toEqual(['dfe-key-1', 'dfe-key-2']);
    await sleep(1100); // past the cooldown after each process's last fetch
    const rotated = await dfeToken('dfe-sendco', { kid: 'dfe-key-2' });
    expect(await statusEverywhere(rotated)).toEqual(everyEndpoint().map(() => 200));
    expect(await statusEverywhere(old)).toEqual(everyEndpoint().map(() => 200));
  });

  it("the JWKS unreachable for a while does not stop the keys already fetched", async () => {
    const dfeUser = await dfeToken('dfe-sendco');
    const officer = await entraToken(['SendcoHub.CouncilOfficer']);
    expect(await statusEverywhere(dfeUser)).toEqual(everyEndpoint().map(() => 200));
    expect(await statusEverywhere(officer)).toEqual(everyEndpoint().map(() => 200));
    await Promise.all([provider.down('dfe'), provider.down('entra')]);
    try {
      await sleep(2500); // past the keys' freshness (2 s here): every process tries the JWKS again and fails
      expect(await statusEverywhere(dfeUser)).toEqual(everyEndpoint().map(() => 200));
      expect(await statusEverywhere(officer)).toEqual(everyEndpoint().map(() => 200));
      const own = await stack.gql(SCHOOL_BOOKINGS, { urn: '900001' }, dfeUser);
      expect(own.errors).toBeUndefined();
      // Still refused meanwhile: a key that was never published.
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'dfe-key-3' }).setIssuer(dfe.issuer).setAudience(DFE_AUDIENCE).setExpirationTime('1h').sign(privateKey);
      expect(await statusEverywhere(forged)).toEqual(everyEndpoint().map(() => 401));
    } finally {
      await Promise.all([provider.up('dfe'), provider.up('entra')]);
    }
  });
});
