/**
 * Each log-in is a session of its own: two tokens for one person are never alike, even when
 * issued in the same second (a tab told "signed in again" must see a new token to follow it).
 * Each carries the account's session generation, which the API holds against the account's; a
 * token that cannot say its generation is refused as a sign-in that has ended.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueToken, SESSION_CLAIM, TOKEN_AUDIENCE, TOKEN_ISSUER, verifyToken } from '../../auth/tokens';

describe('issued tokens', () => {
  const settings = { secret: randomBytes(32), ttlSeconds: 900 };

  /** A token signed with the right secret and claims, but for `claims` in its payload. */
  const signedWith = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('user-1').setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(settings.secret);

  it('differ for one person in the same second, and each is accepted as that person', async () => {
    const now = Date.now();
    const first = await issueToken(settings, 'user-1', 0, now);
    const second = await issueToken(settings, 'user-1', 0, now);
    expect(second.token).not.toBe(first.token);
    expect(second.expiresAt).toEqual(first.expiresAt);
    for (const { token } of [first, second]) expect(await verifyToken(settings, token)).toEqual({ ok: true, userId: 'user-1', sessionGeneration: 0 });
  });

  it('carry the session generation they were issued at', async () => {
    const { token } = await issueToken(settings, 'user-1', 7);
    expect(await verifyToken(settings, token)).toEqual({ ok: true, userId: 'user-1', sessionGeneration: 7 });
  });

  it('refuse, as an ended sign-in, a token without a generation or with one that is not a count', async () => {
    for (const claims of [{}, { [SESSION_CLAIM]: '0' }, { [SESSION_CLAIM]: -1 }, { [SESSION_CLAIM]: 1.5 }, { [SESSION_CLAIM]: null }, { [SESSION_CLAIM]: [0] }]) {
      const check = await verifyToken(settings, await signedWith(claims));
      expect(check, JSON.stringify(claims)).toMatchObject({ ok: false, sessionEnded: true });
    }
    // The control: the same token with a generation is accepted.
    expect(await verifyToken(settings, await signedWith({ [SESSION_CLAIM]: 0 }))).toEqual({ ok: true, userId: 'user-1', sessionGeneration: 0 });
  });
});
