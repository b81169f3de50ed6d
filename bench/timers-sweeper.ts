/**
 * The timer benchmark's baseline: a cron sweeper, as the systems duban replaces do it. The burst's
 * due instants are rows of a table; every period, on the period's boundary (as `* * * * *`
 * does), one UPDATE marks those due. Its lateness is the sweep's time minus the due instant.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

const SWEEP_TABLE = sql.raw('bench_timer_sweep');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface Sweeper {
  /** Ends when every row is swept, or after `stop`: each sweep's milliseconds. */
  done: Promise<{ sweeps: number[] }>;
  stop(): void;
  /** Each swept row's lateness, ms. */
  lateness(): Promise<number[]>;
}

/** Writes the rows of run `run` (one per due instant) and starts sweeping them every `periodMs`. */
export async function startSweeper(db: Database, run: string, dues: number[], periodMs: number): Promise<Sweeper> {
  await db.execute(sql`create table if not exists ${SWEEP_TABLE} (run text not null, item int not null, due_at timestamptz not null, swept_at timestamptz, primary key (run, item))`);
  await db.execute(sql`create index if not exists bench_timer_sweep_due_idx on ${SWEEP_TABLE} (due_at) where swept_at is null`);
  await db.execute(sql`insert into ${SWEEP_TABLE} (run, item, due_at) select ${run}, i - 1, to_timestamp(d / 1000.0) from unnest(${sql.raw(`array[${dues.join(',')}]::bigint[]`)}) with ordinality as t(d, i)`);
  let stopped = false;
  const done = (async () => {
    const sweeps: number[] = [];
    let left = dues.length;
    while (left > 0 && !stopped) {
      await sleep(Math.ceil((Date.now() + 1) / periodMs) * periodMs - Date.now());
      if (stopped) break;
      const began = performance.now();
      const swept = await db.execute(sql`update ${SWEEP_TABLE} set swept_at = clock_timestamp() where swept_at is null and due_at <= now() and run = ${run}`);
      sweeps.push(performance.now() - began);
      left -= swept.rowCount ?? 0;
    }
    return { sweeps };
  })();
  return {
    done,
    stop: () => void (stopped = true),
    async lateness() {
      const rows = (await db.execute(sql`select extract(epoch from swept_at - due_at) * 1000 as ms from ${SWEEP_TABLE} where run = ${run} and swept_at is not null`)).rows as Array<{ ms: string }>;
      return rows.map((r) => Number(r.ms));
    },
  };
}
