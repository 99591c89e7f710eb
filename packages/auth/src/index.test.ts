import { SignJWT } from 'jose';
import { ANONYMOUS, canReadSchoolPrivate, createTokenVerifier, hasRole, signToken, type Principal } from './index';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const verifier = createTokenVerifier({ kind: 'hs256', secret, isDevelopmentSecret: false });

describe('token verification', () => {
  it('treats no header as anonymous', async () => {
    await expect(verifier.verify(undefined)).resolves.toBe(ANONYMOUS);
  });

  it('reads the Enhanced Pathways roles from a token', async () => {
    const token = await signToken({ sub: 'chair', roles: ['PATHWAYS_ADMIN', 'BOARD_MEMBER'] }, secret);
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'chair', roles: ['PATHWAYS_ADMIN', 'BOARD_MEMBER'] });
  });

  it('reads roles and schoolUrn from a valid token and drops unknown roles', async () => {
    const token = await new SignJWT({ roles: ['SENDCO', 'SUPERUSER'], schoolUrn: '123456', email: 'a@example.org' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({ sub: 'user-1', email: 'a@example.org', name: undefined, roles: ['SENDCO'], schoolUrn: '123456' });
  });

  it('rejects a token signed with another secret, an expired token and a malformed header', async () => {
    const other = await signToken({ sub: 'x', roles: ['ADMIN'] }, 'another-secret-that-is-long-enough-for-hs256');
    await expect(verifier.verify(`Bearer ${other}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const expired = await signToken({ sub: 'x', roles: ['ADMIN'] }, secret, { expiresIn: '-1m' });
    await expect(verifier.verify(`Bearer ${expired}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify('Basic abc')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token without an expiry', async () => {
    const forever = await new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(`Bearer ${forever}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('checks issuer and audience for HS256 when they are configured, and signToken sets them', async () => {
    const checking = createTokenVerifier({ kind: 'hs256', secret, isDevelopmentSecret: false, issuer: 'https://hub.example.org', audience: 'sendco-hub' });
    const good = await signToken({ sub: 'x', roles: ['ADMIN'] }, secret, { issuer: 'https://hub.example.org', audience: 'sendco-hub' });
    await expect(checking.verify(`Bearer ${good}`)).resolves.toMatchObject({ sub: 'x', roles: ['ADMIN'] });
    const wrongIssuer = await signToken({ sub: 'x', roles: ['ADMIN'] }, secret, { issuer: 'https://evil.example.org', audience: 'sendco-hub' });
    await expect(checking.verify(`Bearer ${wrongIssuer}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const wrongAudience = await signToken({ sub: 'x', roles: ['ADMIN'] }, secret, { issuer: 'https://hub.example.org', audience: 'another-app' });
    await expect(checking.verify(`Bearer ${wrongAudience}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const neither = await signToken({ sub: 'x', roles: ['ADMIN'] }, secret);
    await expect(checking.verify(`Bearer ${neither}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // Unconfigured, they are not checked (the README's HS256 default).
    await expect(verifier.verify(`Bearer ${wrongIssuer}`)).resolves.toMatchObject({ sub: 'x' });
  });

  it('refuses the "none" algorithm', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["ADMIN"]}').toString('base64url')}.`;
    await expect(verifier.verify(`Bearer ${unsigned}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('who may see a school', () => {
  const sendco: Principal = { sub: 's', roles: ['SENDCO'], schoolUrn: '111111' };
  it('lets a school see its own data and council roles see any', () => {
    expect(canReadSchoolPrivate(sendco, '111111')).toBe(true);
    expect(canReadSchoolPrivate(sendco, '222222')).toBe(false);
    expect(canReadSchoolPrivate({ sub: 'o', roles: ['COUNCIL_OFFICER'] }, '222222')).toBe(true);
    expect(canReadSchoolPrivate({ sub: 'c', roles: ['CLINIC_PROVIDER'], schoolUrn: '222222' }, '222222')).toBe(false);
    expect(canReadSchoolPrivate(ANONYMOUS, '111111')).toBe(false);
  });
  it('gives the Enhanced Pathways roles no other school data', () => {
    expect(canReadSchoolPrivate({ sub: 'p', roles: ['PATHWAYS_ADMIN'] }, '222222')).toBe(false);
    expect(canReadSchoolPrivate({ sub: 'b', roles: ['BOARD_MEMBER'], schoolUrn: '222222' }, '222222')).toBe(false);
    expect(hasRole({ sub: 'b', roles: ['BOARD_MEMBER'] }, 'PATHWAYS_ADMIN')).toBe(false);
    expect(hasRole({ sub: 'a', roles: ['ADMIN'] }, 'PATHWAYS_ADMIN', 'BOARD_MEMBER')).toBe(true);
  });
  it('lets ADMIN pass any role check', () => {
    expect(hasRole({ sub: 'a', roles: ['ADMIN'] }, 'TRAINING_ADMIN')).toBe(true);
    expect(hasRole(sendco, 'TRAINING_ADMIN')).toBe(false);
  });
});
