/** Log-in: a user name and password for a short-lived token; and who am I. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { clientNetwork } from '../../auth/login-backoff';
import { decoyHash, verifyPassword } from '../../auth/passwords';
import { issueToken } from '../../auth/tokens';
import { users } from '../../db/schema';
import { problems } from '../problem';
import { admitLogin, loginSucceeded } from '../login-guard';
import { route, type RouteSpec } from '../route-spec';
import type { AppDeps } from '../app';

const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

const loginResponse = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string(),
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), regionId: z.string(), enterpriseId: z.string().nullable() }),
});

/** A successful log-in's answer: the bearer token, when it expires, and who signed in. */
export function loginJson(token: string, expiresAt: Date, user: Pick<typeof users.$inferSelect, 'id' | 'username' | 'displayName' | 'role' | 'regionId' | 'enterpriseId'>) {
  return {
    token,
    tokenType: 'Bearer' as const,
    expiresAt: expiresAt.toISOString(),
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, regionId: user.regionId, enterpriseId: user.enterpriseId },
  };
}

export function authRoutes({ db, tokens, clock }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/api/auth/login',
      operationId: 'login',
      summary: 'Log in with a user name and password; returns a bearer token',
      tag: 'auth',
      access: 'public',
      body: loginBody,
      responses: {
        200: { description: 'signed in', schema: loginResponse },
        401: { description: 'wrong user name or password (which one is not said)' },
        429: { description: 'too many failed log-ins for this account or from this address: wait as Retry-After says (not for an account at an address it signed in from before)' },
      },
      secretAnswer: true,
      async handler({ req, res, body }) {
        const [user] = await db.select().from(users).where(eq(users.username, body.username));
        const address = clientNetwork(req.ip ?? req.socket.remoteAddress ?? 'unknown');
        const admitted = await admitLogin(db, { username: body.username.toLowerCase(), address, userId: user?.id ?? null }, clock());
        // Same work and same answer whether the account is missing, inactive, a service account
        // (which never signs in) or the password wrong.
        const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), body.password);
        if (!user || !user.active || user.kind !== 'person' || !user.passwordHash || !ok) throw problems.unauthenticated('wrong user name or password', 'wrong-credentials');
        await loginSucceeded(db, admitted, user.id);
        const { token, expiresAt } = await issueToken(tokens, user.id, user.sessionGeneration);
        res.json(loginJson(token, expiresAt, user));
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      operationId: 'whoAmI',
      summary: 'The signed-in user and their reach',
      tag: 'auth',
      access: 'authenticated',
      responses: { 200: { description: 'the caller' } },
      async handler({ res, principal }) {
        res.json(principal);
      },
    }),
  ];
}
