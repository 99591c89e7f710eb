/**
 * From a verified token's claims to the product's Principal, by a provider's claim mapping
 * (README "Identity"): where the subject, email, name, role codes and the school's URN are, and
 * how role codes become the product's roles. The contract's own claim names are the default
 * mapping, so HS256 tokens and the short JWKS form read the same way.
 */
import type { JWTPayload } from 'jose';
import { ROLES, type ClaimMapping, type Role } from '@sendco/config';
import { unauthenticated } from '@sendco/errors';

/** The contract's claims: `sub`, `email`, `name`, `roles`, `schoolUrn`. */
export const CONTRACT_CLAIMS: ClaimMapping = { subject: 'sub', email: ['email'], name: ['name'], roles: 'roles', schoolUrn: 'schoolUrn' };

export const invalidToken = () => unauthenticated('Your sign-in token is not valid or has expired. Please sign in again.');

/**
 * The value at a claim path (`organisation.urn`). A step that meets a string holding a JSON
 * object reads inside it: some providers (DfE Sign-in's `organisation`) send objects as JSON text.
 */
export function readClaim(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value === 'string' && value.trimStart().startsWith('{')) {
      try {
        value = JSON.parse(value);
      } catch {
        return undefined;
      }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A claim that is text (or a number, written as text); anything else counts as absent. */
export function claimText(payload: unknown, path: string): string | undefined {
  const value = readClaim(payload, path);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Role codes at a claim path: a list of texts, or one text. */
export function claimList(payload: unknown, path: string): string[] {
  const value = readClaim(payload, path);
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

/** Provider role codes → the product's roles: through `roleMap` when there is one (only its codes count), else as named. Unknown roles are dropped. */
export function productRoles(codes: string[], roleMap?: Record<string, Role>): Role[] {
  const named = roleMap ? codes.flatMap((code) => (Object.prototype.hasOwnProperty.call(roleMap, code) ? [roleMap[code]] : [])) : codes;
  return [...new Set(named)].filter((role): role is Role => (ROLES as readonly string[]).includes(role));
}

/** What a token says about its holder under a mapping, before roles are looked up anywhere else. */
export interface MappedIdentity {
  sub: string;
  email?: string;
  name?: string;
  /** The provider's role codes found in the token (not yet mapped). */
  roleCodes: string[];
  schoolUrn?: string;
}

export function mapClaims(payload: JWTPayload, mapping: ClaimMapping): MappedIdentity {
  const sub = claimText(payload, mapping.subject);
  if (!sub) throw unauthenticated('Your sign-in token has no subject.');
  const names = mapping.name.map((path) => claimText(payload, path)).filter((part): part is string => part !== undefined);
  const urn = mapping.schoolUrn ? claimText(payload, mapping.schoolUrn) : undefined;
  return {
    sub,
    email: mapping.email.map((path) => claimText(payload, path)).find((value) => value !== undefined),
    name: names.length ? names.join(' ') : undefined,
    roleCodes: mapping.roles ? claimList(payload, mapping.roles) : [],
    // A school's URN is six digits; anything else is no school.
    schoolUrn: urn && /^\d{6}$/.test(urn) ? urn : undefined,
  };
}
