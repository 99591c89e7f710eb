/**
 * `npm run token -- ROLE [schoolUrn] [email]`: prints a signed HS256 token for trying the product
 * (with the configured AUTH_JWT_SECRET, or the development secret when it is unset).
 */
import { ROLES, signToken, type Role } from '@sendco/auth';
import { loadConfigOrExit } from '@sendco/config';

const [role = 'ADMIN', schoolUrn, email] = process.argv.slice(2);
const config = loadConfigOrExit();
if (config.auth.kind !== 'hs256') {
  process.stderr.write('AUTH_JWKS_URL is set: tokens come from your identity provider.\n');
  process.exit(2);
}
if (!(ROLES as readonly string[]).includes(role)) {
  process.stderr.write(`Unknown role "${role}". Roles: ${ROLES.join(', ')}\n`);
  process.exit(2);
}
signToken(
  { sub: `dev-${role.toLowerCase()}${schoolUrn ? `-${schoolUrn}` : ''}`, roles: [role as Role], schoolUrn, email: email ?? `${role.toLowerCase()}@example.org`, name: `Demo ${role.replace('_', ' ').toLowerCase()}` },
  config.auth.secret,
  // The verifier checks iss / aud when AUTH_ISSUER / AUTH_AUDIENCE are set; the token carries them.
  { issuer: config.auth.issuer, audience: config.auth.audience },
).then((token) => process.stdout.write(`${token}\n`));
