/**
 * A large ledger streams: 50,000 hazards (copied in SQL, not through the API) are exported while
 * the live heap is measured after forced collections, and it stays far below the workbook's
 * size (an in-memory workbook holds every row's cells, many times the file). A client that goes
 * away stops the reading at the next page. Sizes, not times, are asserted.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { formatMeasure, measureExport } from '../../bench/ledger-measure';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve } from '../support/http';
import { copyHazard } from '../support/ledger-rows';
import { PASSWORD } from '../support/world';

const ROWS = 50_000;
let h: ApiHarness;
let leaderToken: string;


beforeAll(async () => {
  h = await startApiHarness('ledger-streaming');
  const sup = await h.as('supervisor-a');
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '动火作业未审批', category: '动火作业', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10), location: '二号车间东侧', requiredMeasures: '办理动火审批，配备监护人和灭火器材后方可作业' },
  });
  expect(res.status).toBe(201);
  await copyHazard(h.database.db, res.body.id, ROWS - 1);
  leaderToken = (await h.http.request('POST', '/api/auth/login', { body: { username: 'leader-city', password: PASSWORD } })).body.token;
}, 300_000);
afterAll(async () => h?.stop());

describe('a large ledger', () => {
  it(`streams ${ROWS.toLocaleString('en')} rows with a live heap far below the workbook's size`, async () => {
    const m = await measureExport(`${h.http.baseUrl}/api/hazards/export.xlsx`, leaderToken);
    console.log(`ledger export: ${formatMeasure(m)}`);
    expect(m.status).toBe(200);
    expect(m.rows).toBe(ROWS);
    expect(m.bytes).toBeGreaterThan(2_000_000);
    // What one page and the writer's buffers hold, whatever the length: no more in the last quarter than in the first, and under the file's size.
    expect(m.peak).toBeLessThan(m.bytes);
    expect(m.quarters[3]!).toBeLessThan(m.quarters[0]! + 4_000_000);
  }, 300_000);

  it('stops reading when the client goes away', async () => {
    const lines: Array<{ msg: string; rows?: number; of?: number }> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const http = await serve(createApp({ ...h.deps, log: pino({ level: 'info' }, sink) }));
    try {
      const token = (await http.request('POST', '/api/auth/login', { body: { username: 'leader-city', password: PASSWORD } })).body.token;
      const abort = new AbortController();
      const res = await fetch(`${http.baseUrl}/api/hazards/export.xlsx`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
      expect(res.status).toBe(200);
      await res.body!.getReader().read();
      abort.abort();
      const stopped = await new Promise<{ rows?: number; of?: number }>((resolve, reject) => {
        const started = Date.now();
        const look = () => {
          const line = lines.find((l) => l.msg === 'ledger export stopped: the client went away');
          if (line) resolve(line);
          else if (Date.now() - started > 60_000) reject(new Error(`no stop logged: ${JSON.stringify(lines.slice(-3))}`));
          else setTimeout(look, 50);
        };
        look();
      });
      expect(stopped.of).toBe(ROWS);
      expect(stopped.rows).toBeLessThan(ROWS);
      expect(lines.find((l) => l.msg === 'ledger exported')).toMatchObject({ complete: false });
    } finally {
      await http.close();
    }
  }, 120_000);
});
