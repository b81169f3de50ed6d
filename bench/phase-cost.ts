/**
 * What one phase of a benchmark cost, beside its rate: CPU seconds of this process and of the
 * servers it started (Temporal, Postgres: its descendants, by command name), and the Postgres
 * round trips, transactions and writing statements sent from this process (counted as they are
 * sent: the server's own statistics reach pg_stat_database up to seconds late). Divided by the
 * phase's lives it says where a life's time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../db/client';

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
    if (/^\s*begin\b/i.test(text)) sent.transactions++;
    if (/^\s*(with\b[\s\S]*\b)?(insert|update|delete)\b/i.test(text)) sent.writes++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds of each descendant of `root`, summed by command name (live ones, and the reaped children they waited for). */
function descendantsCpu(root: number): Record<string, number> {
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const f = text.slice(close + 2).split(' ');
      // Fields after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15), counted from state = 1.
      stats.set(Number(entry), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // The process ended while we read.
    }
  }
  const under = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid, hops = 0; p && hops < 64; p = stats.get(p)?.ppid, hops++) if (p === root) return true;
    return false;
  };
  const out: Record<string, number> = {};
  for (const [pid, s] of stats) {
    if (!under(pid)) continue;
    const name = /^postgres|^postmaster/.test(s.comm) ? 'postgres' : /^temporal/.test(s.comm) ? 'temporal' : s.comm;
    out[name] = (out[name] ?? 0) + s.ticks / TICK;
  }
  return out;
}

/** CPU seconds each of these processes has used so far (its own threads; none for one that has ended). */
export function processCpuSeconds(pids: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out[pid] = (Number(f[11]) + Number(f[12])) / TICK;
    } catch {
      // The process has ended.
    }
  }
  return out;
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
