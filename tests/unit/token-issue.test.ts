/**
 * Each log-in is a session of its own: two tokens for one person are never alike, even when
 * issued in the same second (a tab told "signed in again" must see a new token to follow it).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../auth/tokens';

describe('issued tokens', () => {
  const settings = { secret: randomBytes(32), ttlSeconds: 900 };

  it('differ for one person in the same second, and each is accepted as that person', async () => {
    const now = Date.now();
    const first = await issueToken(settings, 'user-1', now);
    const second = await issueToken(settings, 'user-1', now);
    expect(second.token).not.toBe(first.token);
    expect(second.expiresAt).toEqual(first.expiresAt);
    for (const { token } of [first, second]) expect(await verifyToken(settings, token)).toEqual({ ok: true, userId: 'user-1' });
  });
});
