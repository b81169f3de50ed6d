/**
 * Fixed-window rate limits kept in Postgres, so every API process counts against the same
 * numbers (a limit per process would multiply with the number of processes).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { problems } from './problem';

export interface Limit {
  max: number;
  windowSeconds: number;
}

/** Counts one hit against `key`; throws 429 once the window's allowance is spent. */
export async function consume(db: Database, key: string, limit: Limit, now = Date.now()): Promise<void> {
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const result = await db.execute<{ hits: number }>(sql`
    insert into rate_limits (key, window_start, hits) values (${key}, ${windowStart}, 1)
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning hits`);
  const hits = Number(result.rows[0]?.hits ?? 0);
  if (hits > limit.max) {
    const retryAfter = Math.ceil((windowStart.getTime() + windowMs - now) / 1000);
    throw problems.tooMany(`too many attempts; try again in ${retryAfter} s`, retryAfter);
  }
}

/** Old windows are of no further use. */
export async function pruneRateLimits(db: Database, olderThan: Date): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < ${olderThan}`);
}
