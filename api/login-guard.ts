/**
 * What stands between a guesser and a password: every log-in attempt is admitted (or told to
 * wait) before its password is checked, and only failures are left on the record.
 *
 * - Per account and address: a run of failures slows down that account from that address,
 *   wherever it is; a success there clears the run.
 * - Per account: a run of failures slows down the account from every address it has never
 *   signed in from. The person at their usual desk is not slowed down by someone else's
 *   guessing, so nobody can lock anyone out.
 * - Per address: failures over all accounts in a minute (password spraying) slow the address
 *   down, again except for accounts that have signed in from it. An office behind one address
 *   is never stopped by its own successful log-ins.
 *
 * A try is counted as a failure when admitted and taken back when its password proves right,
 * all under per-account and per-address locks, so parallel guesses cannot slip past the count.
 * Answers are the same whether the account exists or not.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { failuresCounted, KNOWN_ADDRESS_DAYS, LOGIN_BACKOFF, waitSeconds, type FailureRun } from '../auth/login-backoff';
import type { Database } from '../db/client';
import { loginAddresses, loginFailures, rateLimits } from '../db/schema';
import { problems } from './problem';
import { secondsLeftIn, windowStartOf, type Limit } from './rate-limit';

/** Failed log-ins one address may make in a minute, over all accounts. */
export const ADDRESS_FAILURES: Limit = { max: 30, windowSeconds: 60 };

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface LoginAttempt {
  /** As typed, lower-cased: one count per name whether or not such an account exists. */
  username: string;
  address: string;
  /** The account of that name, if there is one. */
  userId: string | null;
}

/** An admitted try, counted as a failure until `succeeded` takes it back. */
export interface AdmittedLogin {
  attempt: LoginAttempt;
  at: Date;
  accountKey: string;
  pairKey: string;
  addressKey: string;
  windowStart: Date;
  /** The account's run before this try, restored when the try succeeds. */
  accountRunBefore: FailureRun | undefined;
}

const keysOf = (a: LoginAttempt) => ({
  accountKey: `login:user:${a.username}`,
  pairKey: `login:user-address:${a.username}|${a.address}`,
  addressKey: `login:fail:address:${a.address}`,
});

/** Account first, then address (separate lock spaces): two tries never wait on each other in a circle. */
async function lock(tx: Tx, a: LoginAttempt): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(1, hashtext(${a.username}))`);
  await tx.execute(sql`select pg_advisory_xact_lock(2, hashtext(${a.address}))`);
}

async function isKnownAddress(tx: Tx, a: LoginAttempt, now: number): Promise<boolean> {
  if (!a.userId) return false;
  const since = new Date(now - KNOWN_ADDRESS_DAYS * 86_400_000);
  const rows = await tx
    .select({ userId: loginAddresses.userId })
    .from(loginAddresses)
    .where(and(eq(loginAddresses.userId, a.userId), eq(loginAddresses.address, a.address), gt(loginAddresses.lastSuccessAt, since)));
  return rows.length > 0;
}

/** Admits the try (counting it as a failure for now) or throws 429 with Retry-After. */
export async function admitLogin(db: Database, attempt: LoginAttempt, now: number): Promise<AdmittedLogin> {
  const { accountKey, pairKey, addressKey } = keysOf(attempt);
  const at = new Date(now);
  const windowStart = windowStartOf(ADDRESS_FAILURES, now);
  return db.transaction(async (tx) => {
    await lock(tx, attempt);
    const known = await isKnownAddress(tx, attempt, now);
    const runs = await tx.select().from(loginFailures).where(inArray(loginFailures.key, [accountKey, pairKey]));
    const run = (key: string) => runs.find((r) => r.key === key);
    const waits = [waitSeconds(LOGIN_BACKOFF, run(pairKey), now)];
    if (!known) {
      waits.push(waitSeconds(LOGIN_BACKOFF, run(accountKey), now));
      const [window] = await tx
        .select({ hits: rateLimits.hits })
        .from(rateLimits)
        .where(and(eq(rateLimits.key, addressKey), eq(rateLimits.windowStart, windowStart)));
      if ((window?.hits ?? 0) >= ADDRESS_FAILURES.max) waits.push(secondsLeftIn(ADDRESS_FAILURES, now));
    }
    const wait = Math.max(...waits);
    // Not checked, not counted: the answer is the same for a right and a wrong password.
    if (wait > 0) throw problems.tooMany('too many failed log-ins; wait as long as Retry-After says, then try again', wait);

    for (const key of [accountKey, pairKey]) {
      const failures = failuresCounted(LOGIN_BACKOFF, run(key), now) + 1;
      await tx.insert(loginFailures).values({ key, failures, lastFailedAt: at }).onConflictDoUpdate({ target: loginFailures.key, set: { failures, lastFailedAt: at } });
    }
    await tx.execute(sql`
      insert into rate_limits (key, window_start, hits) values (${addressKey}, ${windowStart}, 1)
      on conflict (key, window_start) do update set hits = rate_limits.hits + 1`);
    const before = run(accountKey);
    return { attempt, at, accountKey, pairKey, addressKey, windowStart, accountRunBefore: failuresCounted(LOGIN_BACKOFF, before, now) ? before : undefined };
  });
}

/** The password was right: the try is no failure, the address's failures from here are cleared, and it is now known. */
export async function loginSucceeded(db: Database, admitted: AdmittedLogin, userId: string): Promise<void> {
  const { attempt, at } = admitted;
  await db.transaction(async (tx) => {
    await lock(tx, attempt);
    await tx.delete(loginFailures).where(eq(loginFailures.key, admitted.pairKey));
    const [account] = await tx.select().from(loginFailures).where(eq(loginFailures.key, admitted.accountKey));
    if (account) {
      const before = admitted.accountRunBefore;
      // Another failure since this try was admitted keeps its own time; otherwise the run is as it was.
      const lastFailedAt = account.lastFailedAt.getTime() === at.getTime() && before ? before.lastFailedAt : account.lastFailedAt;
      if (account.failures <= 1) await tx.delete(loginFailures).where(eq(loginFailures.key, admitted.accountKey));
      else await tx.update(loginFailures).set({ failures: account.failures - 1, lastFailedAt }).where(eq(loginFailures.key, admitted.accountKey));
    }
    await tx.execute(sql`
      update rate_limits set hits = hits - 1
      where key = ${admitted.addressKey} and window_start = ${admitted.windowStart} and hits > 0`);
    await tx
      .insert(loginAddresses)
      .values({ userId, address: attempt.address, lastSuccessAt: at })
      .onConflictDoUpdate({ target: [loginAddresses.userId, loginAddresses.address], set: { lastSuccessAt: at } });
  });
}
