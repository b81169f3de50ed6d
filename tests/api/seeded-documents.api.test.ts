/**
 * A hazard of the city seed (`npm run seed:city`, rows written straight into Postgres) prints as
 * a live one does: its documents list holds the 整改复查意见书 of each review and the 延期审批意见书
 * of each decided extension, each under its official number, and each prints with that number.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAZARD_INSTRUMENT_OF_EVENT, hazardInstrumentTitle } from '../../domain/documents/hazard-instruments';
import { seedCity } from '../../scripts/seed-city';
import { DEMO_PASSWORD } from '../../scripts/seed-demo';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { createTestDatabase } from '../support/database';
import { pdfText } from '../support/pdf-text';

let h: ApiHarness;
let token: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  await seedCity({
    url: database.url,
    seed: 5,
    hazards: 400,
    sizes: { counties: 1, townships: 2, grids: 4, enterprises: 30 },
    asOf: new Date('2026-11-20T03:00:00Z'),
    progress: null,
    log: () => undefined,
  });
  h = await startApiHarness('seeded-documents', { database });
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'city5-leader', password: DEMO_PASSWORD } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  token = login.body.token;
}, 300_000);
afterAll(async () => h?.stop());

describe("a seeded hazard's documents", () => {
  it.each(Object.keys(HAZARD_INSTRUMENT_OF_EVENT))('list and print the instrument of each %s with its official number', async (type) => {
    const [found] = (await h.database.db.execute<{ hazard_id: string }>(sql`select hazard_id from hazard_events where type = ${type} order by hazard_id limit 1`)).rows;
    expect(found, `the seed decided no ${type}`).toBeDefined();
    const title = hazardInstrumentTitle(HAZARD_INSTRUMENT_OF_EVENT[type]!);
    const listed = await h.http.request('GET', `/api/hazards/${found!.hazard_id}/documents`, { token });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const docs = (listed.body.documents as Array<{ title: string; number: string | null; href: string }>).filter((d) => d.title === title);
    // One page per decision of that kind (a review or an extension decision numbers each).
    const sameKind = Object.keys(HAZARD_INSTRUMENT_OF_EVENT).filter((t) => HAZARD_INSTRUMENT_OF_EVENT[t] === HAZARD_INSTRUMENT_OF_EVENT[type]);
    const [decided] = (await h.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from hazard_events where hazard_id = ${found!.hazard_id} and type in (${sql.join(sameKind.map((t) => sql`${t}`), sql`, `)})`)).rows;
    expect(docs).toHaveLength(decided!.n);
    for (const d of docs) {
      expect(d.number).toMatch(/^.+应急〔\d{4}〕[1-9]\d*号$/);
      const res = await fetch(h.http.baseUrl + d.href, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const text = pdfText(new Uint8Array(await res.arrayBuffer()));
      expect(text).toContain(title);
      expect(text).toContain(d.number!);
    }
  });
});
