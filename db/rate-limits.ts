/**
 * The fixed-window counters behind the API's rate limits, kept in Postgres so every API process
 * counts against the same numbers.
 */
import { sql, type SQL } from 'drizzle-orm';

/**
 * One hit against `key` in the window starting at `windowStart`, answering the window's hits so
 * far (`returning hits`): a statement of its own, or a CTE of a statement that reads what the
 * request needs beside it (the evidence upload's opening read).
 */
export function rateLimitHit(key: string, windowStart: Date): SQL {
  return sql`insert into rate_limits (key, window_start, hits) values (${key}, ${windowStart}, 1)
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning hits`;
}
