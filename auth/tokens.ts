/**
 * Short-lived signed access tokens (JWT, HS256). Verification pins the algorithm, issuer and
 * audience and requires an expiry, so `alg: none`, foreign keys and stale tokens are refused.
 * Each carries its account's session generation: the API refuses it once the account has moved
 * on (a password reset, a deactivation, another reach), whatever time it has left.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export const TOKEN_ALGORITHM = 'HS256';
export const TOKEN_ISSUER = 'duban';
export const TOKEN_AUDIENCE = 'duban-api';

export interface TokenSettings {
  secret: Uint8Array;
  ttlSeconds: number;
}

/** The claim naming the account's session generation the token was issued at (users.session_generation). */
export const SESSION_CLAIM = 'gen';

export async function issueToken(s: TokenSettings, userId: string, sessionGeneration: number, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + s.ttlSeconds;
  const token = await new SignJWT({ [SESSION_CLAIM]: sessionGeneration })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    // Each log-in its own token, even twice in one second: other tabs tell a new sign-in by it.
    .setJti(randomUUID())
    .sign(s.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Why a token of a sign-in that has since ended is refused. */
export const SESSION_ENDED = 'this sign-in has ended (the password was reset, or the account deactivated or moved): sign in again';

export type TokenCheck = { ok: true; userId: string; sessionGeneration: number } | { ok: false; reason: string; sessionEnded?: true };

/** Each secret as a key object, made once: jose imports raw bytes anew on every verification. */
const keys = new WeakMap<Uint8Array, KeyObject>();

function keyOf(secret: Uint8Array): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(secret)));
  return key;
}

export async function verifyToken(s: TokenSettings, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keyOf(s.secret), {
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: s.ttlSeconds,
    });
    if (typeof payload.sub !== 'string' || !payload.sub) return { ok: false, reason: 'token has no subject' };
    const generation = payload[SESSION_CLAIM];
    // A token from before sessions could be ended might outlive a password reset: it is refused
    // (its holder signs in once more) rather than taken for a generation it cannot prove.
    if (!Number.isSafeInteger(generation) || (generation as number) < 0) return { ok: false, reason: SESSION_ENDED, sessionEnded: true };
    return { ok: true, userId: payload.sub, sessionGeneration: generation as number };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
    return { ok: false, reason: 'invalid token' };
  }
}
