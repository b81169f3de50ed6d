/**
 * Who is making the request: a bearer token from log-in, or an API key for other systems. The
 * user's account is read at most PRINCIPAL_MEMO_MS before the request, so a deactivated account
 * stops working within that bound, and at once through the process that deactivated it. Requests
 * without valid credentials go on as anonymous, the reason noted; each route's access rule
 * decides (a stale token does not stop anyone reaching the log-in or health routes).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Principal } from '../../auth/principal';
import { verifyToken, type TokenSettings } from '../../auth/tokens';
import type { Database } from '../../db/client';
import { hashApiKey } from '../../db/directory';
import { apiKeys, regions, users } from '../../db/schema';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Why the credentials sent were refused; a route that needs a user answers 401 with it. */
    authFailure?: string;
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
const memos = new WeakMap<Database, Map<string, { row: PrincipalRow | null; until: number }>>();

/** Every account this process remembers is read again on its next request. */
export function forgetPrincipals(db: Database): void {
  memos.get(db)?.clear();
}

async function loadPrincipal(db: Database, userId: string, via: Principal['via']): Promise<Principal | null> {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Map()));
  // A monotonic clock: the memo's bound holds whatever the wall clock does.
  const now = performance.now();
  let kept = memo.get(userId);
  if (!kept || kept.until <= now) {
    let query = principalQueries.get(db);
    if (!query) principalQueries.set(db, (query = preparePrincipalQuery(db)));
    const [row] = await query.execute({ userId });
    const { active, ...principal } = row ?? { active: false };
    kept = { row: row && active ? (principal as PrincipalRow) : null, until: now + PRINCIPAL_MEMO_MS };
    if (memo.size > 10_000) memo.clear();
    memo.set(userId, kept);
  }
  return kept.row ? { ...kept.row, via } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function authenticate(db: Database, tokens: TokenSettings): RequestHandler {
  return async (req, _res, next) => {
    const refuse = (reason: string) => {
      req.authFailure = reason;
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
      const principal = row ? await loadPrincipal(db, row.userId, 'api_key') : null;
      if (!principal) return refuse('the API key is not valid');
      req.principal = principal;
      return next();
    }
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      return refuse('use "Authorization: Bearer <token>" or an API key');
    }
    const check = await verifyToken(tokens, credential);
    if (!check.ok) return refuse(check.reason);
    const principal = UUID.test(check.userId) ? await loadPrincipal(db, check.userId, 'token') : null;
    if (!principal) return refuse('the account behind this token is not active');
    req.principal = principal;
    next();
  };
}
