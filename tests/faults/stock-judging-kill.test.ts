/**
 * The worker judging an uploaded stock file is killed (SIGKILL) mid-file: another worker takes
 * the judging over after its heartbeat timeout and resumes after the last page on record. Every
 * row is judged and recorded once (the rows recorded before the kill are the same rows after it,
 * the totals count each row once), and the page in flight at the kill is not half-recorded. The
 * page in flight is held by a lock on the rows' table, so the kill falls inside it.
 */
import { Client, Connection } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockImports } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { stockJudgingWorkflowId } from '../../workflows/stock-import.messages';
import { stockCsv } from '../support/stock-sheet';
import { caller, logIn, startPrivateServers, until, type PrivateServers, type Process } from '../support/private-servers';

const ROWS = 40_000;

let servers: PrivateServers;
let connection: Connection;
let api: Process;
let base = '';
const workers: Process[] = [];

beforeAll(async () => {
  servers = await startPrivateServers('faults-judging');
  workers.push(servers.startWorker());
  const started = await servers.startApi();
  api = started.process;
  base = started.base;
  connection = await Connection.connect({ address: servers.temporal.address });
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await Promise.all([api?.stop(), ...workers.map((w) => w.stop())]);
  await servers?.close();
}, 90_000);

describe('a worker killed while it judges a stock file', () => {
  it('is replaced by another that resumes after the last page on record, judging every row once', async () => {
    const call = caller(() => base);
    const token = await logIn(call, 'admin');
    const today = shanghaiDate(Date.now());
    const rows = Array.from({ length: ROWS }, (_, i) => ['', '甲化工有限公司', `断点续校 ${i}`, '消防安全', '一般', '', addDays(today, -30), addDays(today, 10), i % 2 ? '未销号' : '已销号', i % 2 ? '' : addDays(today, -1), 'supervisor-a']);
    const form = new FormData();
    form.append('file', new Blob([stockCsv(rows)]), 'kill.csv');
    const upload = await fetch(`${base}/api/stock-imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(upload.status).toBe(202);
    const id = ((await upload.json()) as { id: string }).id;
    const batch = async () => (await call('GET', `/api/stock-imports/${id}`, token)).body;

    // A few pages in, the next page's rows wait on a lock: the kill falls inside that page.
    await until('a few pages judged', async () => ((await batch()).judging.rowsJudged >= 3_000 ? true : undefined), 120_000, 50);
    const locker = new pg.Client({ connectionString: servers.pg.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table stock_import_rows in exclusive mode');
    const before = await locker.query<{ row_no: number; xmin: string }>('select row_no, xmin::text from stock_import_rows where import_id = $1 order by row_no', [id]);
    const reached = (await batch()).judging.rowsJudged;
    expect(reached).toBe(before.rows.length);
    expect(reached).toBeLessThan(ROWS);
    // Its worker blocked in the page's transaction (its totals moved, its rows waiting).
    await until('the next page waits on the lock', async () => {
      const { rows: waiting } = await locker.query<{ n: number }>("select count(*)::int as n from pg_locks where relation = 'stock_import_rows'::regclass and not granted");
      return waiting[0]!.n > 0 ? true : undefined;
    }, 60_000, 50);
    await workers[0]!.kill();
    await locker.query('commit');
    await locker.end();
    workers.push(servers.startWorker());

    const done = await until('the judging ends on the new worker', async () => {
      const b = await batch();
      return b.status === 'judging' ? undefined : b;
    }, 300_000, 500);
    expect(done).toMatchObject({ status: 'validated', failure: null, counts: { total: ROWS, valid: ROWS, duplicate: 0, invalid: 0, open: ROWS / 2 } });

    // Every row once, in order; those recorded before the kill untouched (the same row versions).
    const after = await servers.owner.db.execute<{ row_no: number; xmin: string }>(sql`select row_no, xmin::text from stock_import_rows where import_id = ${id} order by row_no`);
    expect(after.rows.map((r) => r.row_no)).toEqual(rows.map((_, i) => i + 2));
    expect(after.rows.slice(0, before.rows.length)).toEqual(before.rows);
    const [record] = await servers.owner.db.select().from(stockImports).where(eq(stockImports.id, id));
    expect(record!.bytesJudged).toBe(record!.fileBytes);

    // The judging's one activity was taken over: its attempt after the kill began where the beats said.
    const history = await new Client({ connection }).workflow.getHandle(stockJudgingWorkflowId(id)).fetchHistory();
    const started = history.events!.find((e) => e.activityTaskStartedEventAttributes)!.activityTaskStartedEventAttributes!;
    expect(started.attempt).toBeGreaterThanOrEqual(2);
    expect(started.lastFailure?.timeoutFailureInfo).toBeTruthy();
  }, 600_000);
});
