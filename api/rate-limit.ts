/**
 * Fixed-window rate limits kept in Postgres, so every API process counts against the same
 * numbers (a limit per process would multiply with the number of processes).
 */
import { sql } from 'drizzle-orm';
import { KNOWN_ADDRESS_DAYS, LOGIN_BACKOFF } from '../auth/login-backoff';
import type { Database } from '../db/client';
import { rateLimitHit } from '../db/rate-limits';
import { problems } from './problem';

export interface Limit {
  max: number;
  windowSeconds: number;
}

export function windowStartOf(limit: Limit, now: number): Date {
  const windowMs = limit.windowSeconds * 1000;
  return new Date(Math.floor(now / windowMs) * windowMs);
}

/** Whole seconds until the window holding `now` ends. */
export function secondsLeftIn(limit: Limit, now: number): number {
  return Math.max(1, Math.ceil((windowStartOf(limit, now).getTime() + limit.windowSeconds * 1000 - now) / 1000));
}

/** Throws 429 when the window's hits (this one counted) pass the allowance. */
export function refuseBeyond(limit: Limit, hits: number, now: number): void {
  if (hits > limit.max) {
    const retryAfter = secondsLeftIn(limit, now);
    throw problems.tooMany(`too many attempts; try again in ${retryAfter} s`, retryAfter);
  }
}

/** Counts one hit against `key`; throws 429 once the window's allowance is spent. */
export async function consume(db: Database, key: string, limit: Limit, now = Date.now()): Promise<void> {
  const result = await db.execute<{ hits: number }>(rateLimitHit(key, windowStartOf(limit, now)));
  refuseBeyond(limit, Number(result.rows[0]?.hits ?? 0), now);
}

/** Old windows, runs of failed log-ins too old to count and long-unused log-in addresses are of no further use. */
export async function pruneRateLimits(db: Database, olderThan: Date): Promise<void> {
  const forgotten = new Date(Date.now() - LOGIN_BACKOFF.forgetAfterSeconds * 1000);
  await db.execute(sql`delete from rate_limits where window_start < ${olderThan}`);
  await db.execute(sql`delete from login_failures where last_failed_at < ${forgotten}`);
  await db.execute(sql`delete from login_addresses where last_success_at < ${new Date(Date.now() - KNOWN_ADDRESS_DAYS * 86_400_000)}`);
}
