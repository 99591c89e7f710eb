/**
 * Roles kept outside the token (DfE Sign-in keeps them per user and organisation behind its
 * public API): an HTTP GET to the provider's URL template with `{sub}`, `{urn}` and
 * `{<claim path>}` filled in from the verified token, answering JSON whose `rolesPath` lists role
 * codes (texts, or objects with a `code`). Answers are cached per URL for `cacheSeconds` (lru-cache,
 * which also makes concurrent look-ups for one person a single request); 404 means no roles. The
 * hook is called with a fixed bearer token or one it signs itself (roleHookAuthorization).
 */
import { SignJWT, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RoleHookConfig } from '@sendco/config';
import { unauthenticated } from '@sendco/errors';
import { claimText, readClaim, type MappedIdentity } from './claims';

export interface RoleHook {
  /** The person's role codes from the hook ([] when a placeholder has no value in the token). Throws UNAUTHENTICATED when the hook fails. */
  roleCodes(payload: JWTPayload, identity: MappedIdentity): Promise<string[]>;
}

/** The URL for this person, or undefined when one of its placeholders has no value. */
export function roleHookUrl(template: string, payload: JWTPayload, identity: MappedIdentity): string | undefined {
  let missing = false;
  const url = template.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = name === 'sub' ? identity.sub : name === 'urn' ? identity.schoolUrn : claimText(payload, name);
    if (value === undefined) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? undefined : url;
}

/** Role codes in a hook's answer. */
export function roleCodesFromAnswer(body: unknown, rolesPath: string): string[] {
  const list = readClaim(body, rolesPath);
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (typeof item === 'string') return [item];
    const code = item !== null && typeof item === 'object' ? (item as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? [code] : [];
  });
}

/**
 * The hook's `Authorization` value: the fixed `bearerToken`, or a JWT signed with `signedBearer`'s
 * secret (HS256), made when first needed and again once half its lifetime has passed, so a token
 * on its way is never about to expire. `now` (milliseconds) is the clock, for tests.
 */
function roleHookAuthorization(config: RoleHookConfig, now: () => number = Date.now): () => Promise<string | undefined> {
  if (config.bearerToken) {
    const fixed = `Bearer ${config.bearerToken}`;
    return async () => fixed;
  }
  const signing = config.signedBearer;
  if (!signing) return async () => undefined;
  const key = new TextEncoder().encode(signing.secret);
  let current: { value: Promise<string>; renewAt: number } | undefined;
  return () => {
    const seconds = Math.floor(now() / 1000);
    if (!current || seconds >= current.renewAt) {
      const value = new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(signing.issuer)
        .setAudience(signing.audience)
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + signing.lifetimeSeconds)
        .sign(key)
        .then((jwt) => `Bearer ${jwt}`);
      current = { value, renewAt: seconds + Math.floor(signing.lifetimeSeconds / 2) };
      // A token that could not be made is not kept: the next look-up tries again.
      const made = current;
      value.catch(() => {
        if (current === made) current = undefined;
      });
    }
    return current.value;
  };
}

export function createRoleHook(config: RoleHookConfig, now: () => number = Date.now): RoleHook {
  const authorization = roleHookAuthorization(config, now);
  async function fetchRoles(url: string): Promise<string[]> {
    const bearer = await authorization();
    const headers: Record<string, string> = { accept: 'application/json', ...(bearer ? { authorization: bearer } : {}) };
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(config.timeoutMs) });
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`role hook answered ${response.status}`);
    return roleCodesFromAnswer(await response.json(), config.rolesPath);
  }
  const cache =
    config.cacheSeconds > 0
      ? new LRUCache<string, string[]>({ max: 10_000, ttl: config.cacheSeconds * 1000, fetchMethod: (url) => fetchRoles(url) })
      : undefined;

  return {
    async roleCodes(payload, identity) {
      const url = roleHookUrl(config.url, payload, identity);
      if (!url) return [];
      try {
        return (cache ? await cache.fetch(url) : await fetchRoles(url)) ?? [];
      } catch {
        // Failures are not cached: the next request asks again.
        throw unauthenticated('Your roles could not be checked just now. Please try again in a moment.');
      }
    },
  };
}
