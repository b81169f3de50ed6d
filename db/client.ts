/**
 * One connection pool per process, shared by everything in it. The pool outlives the database's
 * restarts: a connection the server drops is reported and replaced, never the end of the process,
 * and no call waits on an absent server longer than the deadlines below.
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { DatabaseUnavailableError } from './connection-errors';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** How long to wait for a connection (a new one, or a free one of the pool) before giving up. */
  connectTimeoutMs?: number;
  /** The server cancels a statement running longer; unset: no limit (migrations, scripts). */
  statementTimeoutMs?: number;
  /** Told of every connection lost; the pool has already dropped it and will open another. */
  onConnectionError?: (error: Error) => void;
}

// DATE columns stay 'YYYY-MM-DD' strings: a deadline is a calendar date, not an instant.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

type Callback = (err: Error | undefined, ...rest: unknown[]) => void;

/**
 * A connection that listens for its own loss for its whole life. The pool listens only while a
 * connection is idle; one held for a transaction that the server drops would otherwise raise an
 * 'error' nobody hears, and that ends the process. Once lost, the driver marks it unusable (the
 * pool discards it on release) and every query on it fails: those failures are reported as a
 * database away, whatever the driver's error.
 */
function connectionClass(report: (error: Error) => void): typeof pg.Client {
  return class DatabaseConnection extends pg.Client {
    #lost = false;

    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error) => {
        this.#lost = true;
        report(error);
      });
    }

    #classify = (error: Error | undefined): Error | undefined =>
      error && this.#lost && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;

    // The driver settles a query on a lost connection after its 'error' event, so #lost is set by then.
    override query(...args: any[]): any {
      const last = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = (err: Error | undefined, ...rest: unknown[]) => (last as Callback)(this.#classify(err), ...rest);
        return (super.query as (...a: unknown[]) => unknown)(...args);
      }
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) {
        return result.catch((error: Error) => {
          throw this.#classify(error);
        });
      }
      return result;
    }
  };
}

/**
 * A pool whose failures to hand out a connection (server down, restarting, refusing logins, or the
 * pool's own wait running out) are all one type, whatever error the driver raised.
 */
class DatabasePool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: any) => void) => void): Promise<pg.PoolClient> | void {
    // pg-pool's own query() comes through here too, with a callback.
    if (callback) return super.connect((err, client, done) => callback(err ? new DatabaseUnavailableError(err) : undefined, client, done));
    return super.connect().catch((error: Error) => {
      throw new DatabaseUnavailableError(error);
    });
  }
}

/**
 * `role`: the database role the application acts as (set on every connection), so its
 * rights are the role's — notably, no UPDATE or DELETE on audit rows. Migrations and tests that
 * need the owner's rights connect without one.
 */
export function connectDatabase(url: string, poolSize = 10, role?: string, opts: PoolOptions = {}): DatabaseHandle {
  if (role && !/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a role name: ${role}`);
  const pool = new DatabasePool({
    Client: connectionClass(opts.onConnectionError ?? (() => undefined)),
    connectionString: url,
    max: poolSize,
    // The role is a start-up parameter of each connection: set before any query can run.
    ...(role ? { options: `-c role=${role}` } : {}),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    // A server that vanished without closing the socket is noticed, not waited on forever.
    keepAlive: true,
  });
  // An idle connection losing its server is reported by its own listener (above); the pool
  // repeats it here and drops the connection, and the next query opens another.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
