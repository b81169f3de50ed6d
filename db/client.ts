/** One connection pool per process, shared by everything in it. */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

// DATE columns stay 'YYYY-MM-DD' strings: a deadline is a calendar date, not an instant.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * `role`: the database role the application acts as (set on every connection), so its
 * rights are the role's — notably, no UPDATE or DELETE on audit rows. Migrations and tests that
 * need the owner's rights connect without one.
 */
export function connectDatabase(url: string, poolSize = 10, role?: string): DatabaseHandle {
  if (role && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a role name: ${role}`);
  // The role is a start-up parameter of each connection: set before any query can run.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, ...(role ? { options: `-c role=${role}` } : {}) });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
