/**
 * Tokens from OpenID Connect providers (README "Identity"): the provider is chosen by the
 * token's `iss` (an unknown issuer is refused), the signature checked against that provider's
 * JWKS (RS256/ES256 by default), then `iss`, `aud` and `exp` (required), and the claims mapped to
 * a Principal, with roles from the token and/or the provider's role hook.
 *
 * Keys: jose's remote JWKS fetches the set when first needed, again when it is older than
 * `jwksCacheMaxAgeSeconds`, and at once for an unknown `kid` (a rotated key) unless it fetched
 * within `jwksCooldownSeconds`. When a fetch fails (the provider is down), the keys fetched last
 * stay in use, so signed-in people are not refused while their provider's JWKS is unreachable.
 */
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { OidcProviderConfig } from '@sendco/config';
import { mapClaims, invalidToken, productRoles } from './claims';
import { createRoleHook } from './role-hook';
import type { Principal } from './index';

/** The Principal for a raw token, or UNAUTHENTICATED. */
export type TokenToPrincipal = (token: string) => Promise<Principal>;

export function createOidcVerifier(providers: OidcProviderConfig[]): TokenToPrincipal {
  const byIssuer = new Map(providers.map((provider) => [provider.issuer, providerVerifier(provider)] as const));
  return async (token) => {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalidToken();
    }
    const verify = typeof issuer === 'string' ? byIssuer.get(issuer) : undefined;
    if (!verify) throw invalidToken();
    return verify(token);
  };
}

function providerVerifier(provider: OidcProviderConfig): TokenToPrincipal {
  const keys = lastGoodRemoteKeys(provider);
  const hook = provider.roleHook ? createRoleHook(provider.roleHook) : undefined;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { algorithms: provider.algorithms, issuer: provider.issuer, audience: provider.audience, requiredClaims: ['exp'] }));
    } catch {
      throw invalidToken();
    }
    const identity = mapClaims(payload, provider.claims);
    const codes = hook ? [...identity.roleCodes, ...(await hook.roleCodes(payload, identity))] : identity.roleCodes;
    return { sub: identity.sub, email: identity.email, name: identity.name, roles: productRoles(codes, provider.roleMap), schoolUrn: identity.schoolUrn };
  };
}

/**
 * jose's remote JWKS, except that a failed fetch falls back to the keys fetched last (and for a
 * cooldown after a failure they are used without asking again, so a JWKS that hangs does not
 * hold every request for the fetch timeout).
 */
export function lastGoodRemoteKeys(provider: Pick<OidcProviderConfig, 'jwksUrl' | 'jwksCooldownSeconds' | 'jwksCacheMaxAgeSeconds'>): JWTVerifyGetKey {
  const cooldownMs = provider.jwksCooldownSeconds * 1000;
  const remote = createRemoteJWKSet(new URL(provider.jwksUrl), { cooldownDuration: cooldownMs, cacheMaxAge: provider.jwksCacheMaxAgeSeconds * 1000, timeoutDuration: 3000 });
  let failedAt = -Infinity;
  const lastGood = () => {
    const jwks = remote.jwks();
    return jwks ? createLocalJWKSet(jwks) : undefined;
  };
  return async (header, token) => {
    const fallback = Date.now() - failedAt < cooldownMs ? lastGood() : undefined;
    if (fallback) return fallback(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      const local = lastGood();
      if (!local) throw error;
      // No such key in a set just fetched: refused as it is. Otherwise the fetch failed: the last keys serve.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
      failedAt = Date.now();
      return local(header, token);
    }
  };
}
