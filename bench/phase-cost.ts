/**
 * What one phase of a benchmark cost, beside its rate: CPU seconds of this process and of the
 * servers it started (Temporal, Postgres: its descendants, by command name), and the Postgres
 * round trips, transactions and writing statements sent from this process (counted as they are
 * sent: the server's own statistics reach pg_stat_database up to seconds late). Divided by the
 * phase's lives it says where a life's time goes.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../db/client';
import { descendantsCpu } from './proc';

export interface PhaseCost {
  /** CPU seconds: `node` is this process (every thread), the rest its descendants by command. */
  cpuSeconds: Record<string, number>;
  /** Queries sent from this process (each a round trip). */
  roundTrips: number;
  /** Transactions begun, and statements that insert, update or delete. */
  transactions: number;
  writes: number;
  /** Write-ahead log the database wrote meanwhile (every change's bytes, from whoever made it), when a database is given. */
  walBytes?: number;
}

const sent = { queries: 0, transactions: 0, writes: 0 };
/** The texts of the statements sent while a trace runs (statementsOf). */
let traced: string[] | null = null;
let counting = false;
/** Counts every query any pg client of this process sends from now on. */
function countQueries(): void {
  if (counting) return;
  counting = true;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first && 'text' in first ? String(first.text) : '';
    sent.queries++;
    traced?.push(text);
    if (/^\s*begin\b/i.test(text)) sent.transactions++;
    if (/^\s*(with\b[\s\S]*\b)?(insert|update|delete)\b/i.test(text)) sent.writes++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
}

/**
 * The statements this process sends to Postgres while `work` runs, in the order sent, one per
 * round trip: what a request costs, listed. Anything else the process sends meanwhile is listed
 * too, so trace a request while nothing else runs.
 */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  countQueries();
  if (traced) throw new Error('one trace at a time');
  const texts: string[] = [];
  traced = texts;
  try {
    await work();
  } finally {
    traced = null;
  }
  return texts;
}

/** Starts measuring; the returned function ends it and answers the phase's cost. */
export async function startPhase(db?: Database): Promise<() => Promise<PhaseCost>> {
  countQueries();
  const wal = async () => (db ? Number((await db.execute<{ lsn: string }>(sql`select (pg_current_wal_lsn() - '0/0'::pg_lsn)::text as lsn`)).rows[0]!.lsn) : 0);
  const wal0 = await wal();
  const cpu0 = process.cpuUsage();
  const tree0 = descendantsCpu(process.pid);
  const sent0 = { ...sent };
  return async () => {
    const cpu = process.cpuUsage(cpu0);
    const tree1 = descendantsCpu(process.pid);
    const cpuSeconds: Record<string, number> = { node: (cpu.user + cpu.system) / 1e6 };
    for (const [name, s] of Object.entries(tree1)) cpuSeconds[name] = s - (tree0[name] ?? 0);
    const counted = { cpuSeconds, roundTrips: sent.queries - sent0.queries, transactions: sent.transactions - sent0.transactions, writes: sent.writes - sent0.writes };
    return db ? { ...counted, walBytes: (await wal()) - wal0 } : counted;
  };
}

/** A phase's cost per life, for printing. */
export function perLife(c: PhaseCost, lives: number): PhaseCost {
  const cpuSeconds = Object.fromEntries(Object.entries(c.cpuSeconds).filter(([, s]) => s > 0.005).map(([k, s]) => [k, s / lives]));
  return { cpuSeconds, roundTrips: c.roundTrips / lives, transactions: c.transactions / lives, writes: c.writes / lives, ...(c.walBytes === undefined ? {} : { walBytes: c.walBytes / lives }) };
}
