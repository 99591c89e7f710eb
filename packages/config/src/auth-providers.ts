/**
 * Identity providers whose tokens the product accepts (README "Identity"): each one's issuer,
 * JWKS and audience, where its tokens keep the subject, email, name, roles and the school's URN
 * (claim paths such as `organisation.urn`), how its role codes map to the product's roles, and an
 * optional role lookup hook for providers that keep roles outside the token (DfE Sign-in).
 *
 * Given as JSON in AUTH_PROVIDERS (one object or a list); AUTH_JWKS_URL + AUTH_ISSUER +
 * AUTH_AUDIENCE stay the short form of one provider with the contract's claim names.
 */
import { z } from 'zod';

/**
 * Every role a token may carry (others are dropped). PATHWAYS_ADMIN runs Enhanced Pathways funding
 * rounds and chairs their boards; BOARD_MEMBER scores applications, but only in the rounds whose
 * board the pathways subgraph lists them on (keyed by their `sub`): the role alone opens no round.
 */
export const ROLES = [
  'ADMIN',
  'TRAINING_ADMIN',
  'COUNCIL_OFFICER',
  'CLINIC_PROVIDER',
  'BULLETIN_EDITOR',
  'PATHWAYS_ADMIN',
  'BOARD_MEMBER',
  'SENDCO',
  'SCHOOL_STAFF',
] as const;
export type Role = (typeof ROLES)[number];

/** `a.b.c`: keys separated by dots, each a claim name without dots. */
const claimPath = z.string().regex(/^[A-Za-z_$][\w$:-]*(\.[A-Za-z_$][\w$:-]*)*$/, 'must be a claim path such as organisation.urn');
/** One path, or several: the first present wins (for `name`, the present ones are joined with a space). */
const claimPaths = z.union([claimPath, z.array(claimPath).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));
const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((value) => /^https?:/.test(value), 'must start with http:// or https://');

const claimsSchema = z
  .object({
    subject: claimPath.default('sub'),
    email: claimPaths.default(['email']),
    name: claimPaths.default(['name']),
    /** null: the token carries no roles (they come from the role hook). */
    roles: claimPath.nullable().default('roles'),
    /** null: this provider's people act for no school (council staff). */
    schoolUrn: claimPath.nullable().default('schoolUrn'),
  })
  .strict();

const roleHookSchema = z
  .object({
    /** `{sub}`, `{urn}` and `{<claim path>}` are filled in (URL-encoded) from the verified token. */
    url: z
      .string()
      .min(1)
      .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
      .refine((value) => (value.match(/\{([^}]*)\}/g) ?? []).every((p) => p === '{sub}' || p === '{urn}' || claimPath.safeParse(p.slice(1, -1)).success), 'placeholders must be {sub}, {urn} or {<claim path>}'),
    /** Sent as `Authorization: Bearer <token>`. */
    bearerToken: z.string().min(1).optional(),
    /**
     * A bearer JWT made at the point of use instead (DfE Sign-in's public API: HS256 with the
     * service's API secret, `iss` its client id, `aud` signin.education.gov.uk), renewed when half
     * its lifetime has passed.
     */
    signedBearer: z
      .object({
        secret: z.string().min(1),
        issuer: z.string().min(1),
        audience: z.string().min(1).default('signin.education.gov.uk'),
        lifetimeSeconds: z.number().int().min(30).max(3600).default(300),
      })
      .strict()
      .optional(),
    /** Where the answer keeps its list of roles; each a role code, or an object with a `code`. */
    rolesPath: claimPath.default('roles'),
    cacheSeconds: z.number().int().min(0).max(3600).default(60),
    timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  })
  .strict()
  .refine((hook) => !(hook.bearerToken && hook.signedBearer), 'must give bearerToken or signedBearer, not both');

const providerSchema = z
  .object({
    name: z.string().min(1).optional(),
    issuer: z.string().min(1),
    jwksUrl: httpUrl,
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'])).min(1).default(['RS256', 'ES256']),
    claims: claimsSchema.default(() => claimsSchema.parse({})),
    /** Provider role code → product role. When given, only its codes count; otherwise role names are taken as they are. */
    roleMap: z.record(z.string().min(1), z.enum(ROLES)).optional(),
    roleHook: roleHookSchema.optional(),
    /** After a fetch, how long before an unknown `kid` may fetch the JWKS again. */
    jwksCooldownSeconds: z.number().min(0).max(3600).default(30),
    /** How long a fetched JWKS is fresh; afterwards it is fetched again (and kept if the fetch fails). */
    jwksCacheMaxAgeSeconds: z.number().min(1).max(86_400).default(600),
  })
  .strict();

export type OidcProviderConfig = z.infer<typeof providerSchema>;
export type ClaimMapping = OidcProviderConfig['claims'];
export type RoleHookConfig = z.infer<typeof roleHookSchema>;

/** AUTH_PROVIDERS: JSON of one provider or a list of them, issuers distinct. */
export const authProvidersSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      const value = JSON.parse(text) as unknown;
      return Array.isArray(value) ? value : [value];
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON (one provider object or a list of them)' });
      return z.NEVER;
    }
  })
  .pipe(z.array(providerSchema).min(1, 'must give at least one provider'))
  .refine((providers) => new Set(providers.map((p) => p.issuer)).size === providers.length, 'must give each issuer once');

/** The short form: AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, the contract's claim names (`roles`, `schoolUrn`). */
export function providerFromJwksVariables(jwksUrl: string, issuer: string, audience: string): OidcProviderConfig {
  return providerSchema.parse({ issuer, jwksUrl, audience });
}
