/**
 * Who is making the request: a bearer token from log-in, or an API key for other systems. The
 * user's account is read at most PRINCIPAL_MEMO_MS before the request, so a deactivated account
 * stops working within that bound, and at once through the process that deactivated it; so does
 * a token whose sign-in has ended (its session generation is no longer the account's). Requests
 * without valid credentials go on as anonymous, the reason noted; each route's access rule
 * decides (a stale token does not stop anyone reaching the log-in or health routes).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Principal } from '../../auth/principal';
import { SESSION_ENDED, verifyToken, type TokenSettings } from '../../auth/tokens';
import type { Database } from '../../db/client';
import { hashApiKey } from '../../db/directory';
import { apiKeys, regions, users } from '../../db/schema';
import type { ProblemCode } from '../problem';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Why the credentials sent were refused; a route that needs a user answers 401 with it. */
    authFailure?: { detail: string; code?: ProblemCode };
  }
}

/** Runs on every request: built once per database and prepared on the server. */
const principalQueries = new WeakMap<Database, ReturnType<typeof preparePrincipalQuery>>();

function preparePrincipalQuery(db: Database) {
  return db
    .select({
      userId: users.id,
      username: users.username,
      kind: users.kind,
      role: users.role,
      regionId: users.regionId,
      regionPath: regions.path,
      enterpriseId: users.enterpriseId,
      active: users.active,
      sessionGeneration: users.sessionGeneration,
    })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('duban_load_principal');
}

/**
 * How long this process trusts an account it read (active, role, jurisdiction): reading the
 * caller's row on every request was a round trip per request. A change made through this process
 * (deactivating, moving an enterprise's people) drops every memo at once (forgetPrincipals); a
 * change made elsewhere (another API process, the database itself) is seen within this bound.
 */
export const PRINCIPAL_MEMO_MS = 1_000;

type PrincipalRow = Omit<Principal, 'via'>;
interface Account {
  /** null: no such account, or not active. */
  principal: PrincipalRow | null;
  /** Tokens issued at another generation are refused (users.session_generation). */
  sessionGeneration: number;
}
const memos = new WeakMap<Database, Map<string, Account & { until: number }>>();

/** Every account this process remembers is read again on its next request. */
export function forgetPrincipals(db: Database): void {
  memos.get(db)?.clear();
}

/**
 * The account `userId` as read at most PRINCIPAL_MEMO_MS ago. Generations only rise, so a token
 * newer than the memo (a sign-in after a reset made through another process) proves the memo
 * stale: the account is read again rather than the new sign-in refused.
 */
async function loadAccount(db: Database, userId: string, atLeastGeneration = 0): Promise<Account> {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Map()));
  // A monotonic clock: the memo's bound holds whatever the wall clock does.
  const now = performance.now();
  let kept = memo.get(userId);
  if (!kept || kept.until <= now || kept.sessionGeneration < atLeastGeneration) {
    let query = principalQueries.get(db);
    if (!query) principalQueries.set(db, (query = preparePrincipalQuery(db)));
    const [row] = await query.execute({ userId });
    const { active, sessionGeneration, ...principal } = row ?? { active: false, sessionGeneration: 0 };
    kept = { principal: row && active ? (principal as PrincipalRow) : null, sessionGeneration, until: now + PRINCIPAL_MEMO_MS };
    if (memo.size > 10_000) memo.clear();
    memo.set(userId, kept);
  }
  return kept;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function authenticate(db: Database, tokens: TokenSettings): RequestHandler {
  return async (req, _res, next) => {
    const refuse = (detail: string, code?: ProblemCode) => {
      req.authFailure = { detail, code };
      next();
    };
    const header = req.get('authorization');
    const apiKey = req.get('x-api-key');
    if (!header && !apiKey) return next();
    const [scheme, credential] = (header ?? '').split(' ');
    if (apiKey || scheme?.toLowerCase() === 'apikey') {
      const key = apiKey ?? credential ?? '';
      const [row] = await db
        .select({ userId: apiKeys.userId })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
      // A key is a credential of its own: a password reset leaves it standing (deactivation does not).
      const principal = row ? (await loadAccount(db, row.userId)).principal : null;
      if (!principal) return refuse('the API key is not valid');
      req.principal = { ...principal, via: 'api_key' };
      return next();
    }
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      return refuse('use "Authorization: Bearer <token>" or an API key');
    }
    const check = await verifyToken(tokens, credential);
    if (!check.ok) return refuse(check.reason, check.sessionEnded ? 'session-ended' : undefined);
    const account = UUID.test(check.userId) ? await loadAccount(db, check.userId, check.sessionGeneration) : null;
    if (!account?.principal) return refuse('the account behind this token is not active');
    if (account.sessionGeneration !== check.sessionGeneration) return refuse(SESSION_ENDED, 'session-ended');
    req.principal = { ...account.principal, via: 'token' };
    next();
  };
}
