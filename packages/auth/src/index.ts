/**
 * Who is asking, and what they may do. Tokens are verified here and nowhere else: HS256 with
 * AUTH_JWT_SECRET, or RS256/ES256 from identity providers' JWKS with their claim mapping (./oidc.ts). "Who may see what"
 * rules that depend only on the principal (roles, own school) live here too, so that every
 * subgraph answers them the same way.
 */
import { createSecretKey } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { AuthChecker } from 'type-graphql';
import type { AuthConfig, Role } from '@sendco/config';
import { forbidden, unauthenticated } from '@sendco/errors';
import { CONTRACT_CLAIMS, invalidToken, mapClaims, productRoles } from './claims';
import { createOidcVerifier, type TokenToPrincipal } from './oidc';

// The product's roles are listed in packages/config, which validates providers' role maps against them.
export { ROLES, type Role } from '@sendco/config';
export { readClaim, mapClaims, productRoles } from './claims';
export { createOidcVerifier, lastGoodRemoteKeys } from './oidc';
export { createRoleHook, roleHookUrl, roleCodesFromAnswer } from './role-hook';

/** Roles that act for one school (their token carries schoolUrn). */
export const SCHOOL_ROLES: readonly Role[] = ['SENDCO', 'SCHOOL_STAFF'];
/** Council roles that may read any school's non-public data. */
export const COUNCIL_ROLES: readonly Role[] = ['ADMIN', 'TRAINING_ADMIN', 'COUNCIL_OFFICER'];

export interface Principal {
  sub: string;
  email?: string;
  name?: string;
  roles: Role[];
  schoolUrn?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ sub: 'anonymous', roles: [] as Role[] });

export function isAnonymous(principal: Principal): boolean {
  return principal.sub === ANONYMOUS.sub && principal.roles.length === 0;
}

/** ADMIN may do everything any role may do. */
export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.includes('ADMIN') || roles.some((role) => principal.roles.includes(role));
}

/** Staff of that school (a school role with a matching schoolUrn). */
export function isStaffOf(principal: Principal, schoolUrn: string): boolean {
  return principal.schoolUrn === schoolUrn && principal.roles.some((role) => SCHOOL_ROLES.includes(role));
}

/** May read a school's non-public data (bookings, clinic bookings, banding return): its own staff or council roles. */
export function canReadSchoolPrivate(principal: Principal, schoolUrn: string): boolean {
  return isStaffOf(principal, schoolUrn) || hasRole(principal, ...COUNCIL_ROLES);
}

export function requireSignedIn(principal: Principal): void {
  if (isAnonymous(principal)) throw unauthenticated();
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  requireSignedIn(principal);
  if (!hasRole(principal, ...roles)) throw forbidden();
}

export function requireSchoolPrivate(principal: Principal, schoolUrn: string): void {
  requireSignedIn(principal);
  if (!canReadSchoolPrivate(principal, schoolUrn)) throw forbidden("You may only see your own school's information.");
}

export interface TokenVerifier {
  /** The principal for an `Authorization` header value; ANONYMOUS when there is none. Throws UNAUTHENTICATED for a bad token. */
  verify(authorization: string | undefined): Promise<Principal>;
}

/**
 * What every user token must satisfy besides its signature (jose checks each): an expiry (`exp`,
 * in the future; a token without one would be good for ever once leaked), and the configured
 * issuer and audience (`iss`, `aud`), for HS256 as for a JWKS, so a token minted for another
 * application with the same secret or identity provider is refused.
 */
function claimChecks(config: Extract<AuthConfig, { kind: 'hs256' }>): Pick<JWTVerifyOptions, 'requiredClaims' | 'issuer' | 'audience'> {
  return { requiredClaims: ['exp'], issuer: config.issuer, audience: config.audience };
}

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  // Identity providers (JWKS, claim mapping, role hook): ./oidc.ts.
  const toPrincipal: TokenToPrincipal = config.kind === 'jwks' ? createOidcVerifier(config.providers) : hs256Verifier(config);
  return {
    async verify(authorization) {
      if (!authorization) return ANONYMOUS;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      return toPrincipal(match[1]);
    },
  };
}

function hs256Verifier(config: Extract<AuthConfig, { kind: 'hs256' }>): TokenToPrincipal {
  const checks = claimChecks(config);
  // A KeyObject made once: given the raw bytes, jose would make one for every request it verifies.
  const key = createSecretKey(Buffer.from(config.secret, 'utf8'));
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], ...checks }));
    } catch {
      throw invalidToken();
    }
    return principalFromClaims(payload);
  };
}

/** The Principal of a verified token with the contract's claim names (`sub`, `email`, `name`, `roles`, `schoolUrn`). */
export function principalFromClaims(payload: JWTPayload): Principal {
  const identity = mapClaims(payload, CONTRACT_CLAIMS);
  return { sub: identity.sub, email: identity.email, name: identity.name, roles: productRoles(identity.roleCodes), schoolUrn: identity.schoolUrn };
}

export interface SignTokenOptions {
  /** jose's time span (`8h`, `-1m`) or a NumericDate; always set: tokens without `exp` are refused. */
  expiresIn?: string | number;
  /** `iss` / `aud`: pass the configured AUTH_ISSUER / AUTH_AUDIENCE (the verifier checks them when set). */
  issuer?: string;
  audience?: string;
}

/** HS256 token for development, tests and `npm run token`. */
export async function signToken(
  claims: { sub: string; email?: string; name?: string; roles: Role[]; schoolUrn?: string },
  secret: string,
  { expiresIn = '8h', issuer, audience }: SignTokenOptions = {},
): Promise<string> {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(expiresIn);
  if (issuer) jwt.setIssuer(issuer);
  if (audience) jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Anything a resolver needs to know about the caller. */
export interface AuthContext {
  principal: Principal;
}

/** type-graphql auth checker: `@Authorized()` = signed in; `@Authorized('X', 'Y')` = has one of the roles (ADMIN always passes). */
export const authChecker: AuthChecker<AuthContext> = ({ context }, roles) => {
  // No token: say so (UNAUTHENTICATED), rather than type-graphql's "access denied".
  if (isAnonymous(context.principal)) throw unauthenticated();
  if (roles.length === 0) return true;
  return hasRole(context.principal, ...(roles as Role[]));
};

/**
 * Signed links for people without an account (a bulletin subscriber's confirm, unsubscribe and
 * preferences links): HS256 with a secret of their own, a `purpose` claim and an expiry. A
 * token made for one purpose never verifies for another, so a confirmation link cannot
 * unsubscribe anyone and an unsubscribe link cannot confirm.
 */
export interface PurposeToken {
  purpose: string;
  subject: string;
}

export type PurposeTokenProblem = 'malformed' | 'invalid' | 'expired' | 'wrong-purpose';

export class PurposeTokenError extends Error {
  constructor(public readonly problem: PurposeTokenProblem) {
    super(`token ${problem}`);
    this.name = 'PurposeTokenError';
  }
}

const PURPOSE_TOKEN_AUDIENCE = 'sendco-hub:link';

export function signPurposeToken(token: PurposeToken, secret: string, expiresInSeconds: number, now: Date = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ purpose: token.purpose })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(token.subject)
    .setAudience(PURPOSE_TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The token's subject, if it is genuine, unexpired and made for `purpose`; else a PurposeTokenError saying which. */
export async function verifyPurposeToken(value: string, purpose: string, secret: string, now: Date = new Date()): Promise<string> {
  if (typeof value !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) throw new PurposeTokenError('malformed');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(value, new TextEncoder().encode(secret), { algorithms: ['HS256'], audience: PURPOSE_TOKEN_AUDIENCE, currentDate: now }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new PurposeTokenError('expired');
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw new PurposeTokenError('invalid');
    throw new PurposeTokenError('malformed');
  }
  if (payload.purpose !== purpose) throw new PurposeTokenError('wrong-purpose');
  if (typeof payload.sub !== 'string' || !payload.sub) throw new PurposeTokenError('invalid');
  return payload.sub;
}
