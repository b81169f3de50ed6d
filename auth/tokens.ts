/**
 * Short-lived signed access tokens (JWT, HS256). Verification pins the algorithm, issuer and
 * audience and requires an expiry, so `alg: none`, foreign keys and stale tokens are refused.
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

export async function issueToken(s: TokenSettings, userId: string, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + s.ttlSeconds;
  const token = await new SignJWT({})
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

export type TokenCheck = { ok: true; userId: string } | { ok: false; reason: string };

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
    return { ok: true, userId: payload.sub };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
    return { ok: false, reason: 'invalid token' };
  }
}
