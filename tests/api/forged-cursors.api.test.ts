/**
 * Every list that pages by `?cursor=` takes back only cursors it wrote. Anything else — not
 * base64url, not JSON, the wrong shape or types, extra fields, a date that does not exist, an id
 * of another kind or of another table, very long text — is a 400 problem naming query.cursor,
 * never a 500 from the database. An empty cursor is the first page everywhere.
 *
 * So with every other query value of every route that reads its query: a choice not among its
 * own, a limit below 1, past its maximum or no whole number, an id that is no uuid, a day that
 * does not exist, a region id of other characters, a name given twice (`?status=a&status=b`)
 * are each a 400 naming `query.<name>`, never an empty page nor a 500.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routeTable } from '../../api/app';
import type { RouteSpec } from '../../api/route-spec';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('forged-cursors');
});
afterAll(async () => h?.stop());

/**
 * How a list writes its cursor: `instant|uuid` (newest-first lists of the read model), or a JSON
 * [key, id]; serial ids carry the letters of the tables the list reads (`letters`), and no other.
 */
type Format = { kind: 'pipe' } | { kind: 'key'; key: 'instant' | 'text' | 'inbox'; id: 'uuid' | 'region' } | { kind: 'key'; key: 'instant' | 'inbox'; id: 'serial'; letters: string };

const LISTS: Array<{ path: string; as: WorldUser; format: Format }> = [
  { path: '/api/hazards', as: 'supervisor-a', format: { kind: 'pipe' } },
  { path: '/api/notices', as: 'supervisor-a', format: { kind: 'pipe' } },
  { path: '/api/suspensions', as: 'supervisor-a', format: { kind: 'pipe' } },
  { path: '/api/inspections', as: 'supervisor-a', format: { kind: 'key', key: 'instant', id: 'uuid' } },
  { path: '/api/urges', as: 'leader-a', format: { kind: 'key', key: 'instant', id: 'uuid' } },
  { path: '/api/escalations', as: 'supervisor-a', format: { kind: 'key', key: 'instant', id: 'serial', letters: 'hn' } },
  { path: '/api/review-packs', as: 'leader-a', format: { kind: 'key', key: 'instant', id: 'uuid' } },
  { path: '/api/inbox', as: 'supervisor-a', format: { kind: 'key', key: 'inbox', id: 'serial', letters: 'd' } },
  { path: '/api/posts', as: 'admin', format: { kind: 'key', key: 'text', id: 'uuid' } },
  { path: '/api/regions', as: 'admin', format: { kind: 'key', key: 'text', id: 'region' } },
  { path: '/api/enterprises', as: 'admin', format: { kind: 'key', key: 'text', id: 'uuid' } },
  { path: '/api/users', as: 'admin', format: { kind: 'key', key: 'text', id: 'uuid' } },
];

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const keyCursor = (...value: unknown[]) => b64(JSON.stringify(value));
const INSTANT = '2026-03-04T05:06:07.089Z';
const IMPOSSIBLE_INSTANTS = [
  '2026-13-01T00:00:00.000Z',
  '2026-02-30T00:00:00.000Z',
  '2026-04-31T12:00:00.000Z',
  '2026-01-01T24:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '99999-01-01T00:00:00.000Z',
  '2026-12-02',
  '2026-12-02T06:05:04Z',
  'NaN',
  'Infinity',
  '-Infinity',
  'infinity',
  '1e309',
  '1764633600000',
];

/** Cursors of the list's own format that it could not have written. */
function forged(format: Format): Array<[string, string]> {
  const common: Array<[string, string]> = [
    ['not base64url', '!!!***'],
    ['base64 with padding and + /', 'a+b/c==='],
    ['base64url of text', b64('not json')],
    ['very long', 'A'.repeat(5000)],
    ['very long, well encoded', keyCursor('x'.repeat(3000), randomUUID())],
  ];
  if (format.kind === 'pipe') {
    const uuid = randomUUID();
    return [
      ...common,
      ...IMPOSSIBLE_INSTANTS.map((at): [string, string] => [`instant ${at}`, b64(`${at}|${uuid}`)]),
      ['id not a uuid', b64(`${INSTANT}|not-a-uuid`)],
      ['id a uuid with more', b64(`${INSTANT}|${uuid}x`)],
      ['no id', b64(`${INSTANT}|`)],
      ['no instant', b64(`|${uuid}`)],
      ['an extra field', b64(`${INSTANT}|${uuid}|x`)],
      ['spaces around', b64(` ${INSTANT}|${uuid} `)],
      ['a key cursor', keyCursor(INSTANT, uuid)],
      ['the cursor with junk after', `${b64(`${INSTANT}|${uuid}`)}!`],
      ['the cursor with padding', `${b64(`${INSTANT}|${uuid}`)}==`],
    ];
  }
  const id = format.id === 'serial' ? `${format.letters[0]}0000000000000000042` : { uuid: randomUUID(), region: 'r-county-a' }[format.id];
  const key = { instant: INSTANT, text: 'a/b', inbox: 'inbox' }[format.key];
  // Region ids are any short word of letters, digits and dashes: a uuid is one, so theirs is spoiled by a space.
  const otherId = { uuid: 'r0000000000000000042', region: 'not a region', serial: randomUUID() }[format.id];
  const cases: Array<[string, string]> = [
    ...common,
    ['JSON null', b64('null')],
    ['JSON string', b64('"x"')],
    ['JSON number', b64('42')],
    ['JSON object', b64(JSON.stringify({ key, id }))],
    ['empty array', keyCursor()],
    ['one element', keyCursor(key)],
    ['an extra field', keyCursor(key, id, 'x')],
    ['key a number', keyCursor(1, id)],
    ['key null', keyCursor(null, id)],
    ['key an array', keyCursor([key], id)],
    ['key an object', keyCursor({}, id)],
    ['id a number', keyCursor(key, 42)],
    ['id null', keyCursor(key, null)],
    ['id of another kind', keyCursor(key, otherId)],
    ['id with more', keyCursor(key, `${id}${format.id === 'region' ? '/x' : 'x'}`)],
    ['key with NUL', keyCursor('a\u0000b', id)],
    ['key with an unpaired surrogate', keyCursor('a\ud800b', id)],
    ['spaces in the JSON', b64(`[ ${JSON.stringify(key)} , ${JSON.stringify(id)} ]`)],
    ['the cursor with junk after', `${keyCursor(key, id)}!`],
    ['the cursor with padding', `${keyCursor(key, id)}==`],
  ];
  if (format.id === 'serial') {
    cases.push(['serial past the integers', keyCursor(key, `${format.letters[0]}9999999999999999999`)]);
    // A serial of a table this list does not read: some other list's cursor, or a letter nobody writes.
    for (const letter of 'adhnxz'.split('').filter((l) => !format.letters.includes(l))) cases.push([`serial of table ${letter}`, keyCursor(key, `${letter}0000000000000000042`)]);
    cases.push(['serial with a capital letter', keyCursor(key, `${format.letters.toUpperCase().charAt(0)}0000000000000000042`)]);
  }
  if (format.key === 'instant') cases.push(...IMPOSSIBLE_INSTANTS.map((at): [string, string] => [`instant ${at}`, keyCursor(at, id)]));
  if (format.key === 'inbox') cases.push(['another key', keyCursor('outbox', id)], ['an instant key', keyCursor(INSTANT, id)]);
  return cases;
}

describe('cursors a list did not write', () => {
  it('covers every list that takes a cursor', () => {
    const taking = routeTable(h.deps)
      .filter((spec) => spec.method === 'get' && spec.query && 'cursor' in ((spec.query as unknown as { shape?: object }).shape ?? {}))
      .map((spec) => spec.path)
      .sort();
    expect(taking).toEqual(LISTS.map((l) => l.path).sort());
  });

  it('are refused with 400 problem+json naming query.cursor, by every list', { timeout: 120_000 }, async () => {
    const wrong: string[] = [];
    for (const list of LISTS) {
      const as = await h.as(list.as);
      for (const [name, cursor] of forged(list.format)) {
        const res = await as('GET', `${list.path}?cursor=${encodeURIComponent(cursor)}`);
        const fields = Array.isArray(res.body?.errors) ? res.body.errors.map((e: { field: string }) => e.field) : [];
        const problem = /^application\/problem\+json/.test(res.headers.get('content-type') ?? '') && res.body?.status === res.status;
        if (res.status !== 400 || !problem || !fields.includes('query.cursor')) wrong.push(`${list.path} ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an empty cursor is the first page of every list', async () => {
    const wrong: string[] = [];
    for (const list of LISTS) {
      const as = await h.as(list.as);
      const first = await as('GET', `${list.path}?limit=5`);
      const empty = await as('GET', `${list.path}?limit=5&cursor=`);
      if (first.status !== 200 || empty.status !== 200 || JSON.stringify(empty.body.items) !== JSON.stringify(first.body.items)) wrong.push(`${list.path}: ${first.status} / ${empty.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a cursor a list wrote still reads its next page', async () => {
    const admin = await h.as('admin');
    const first = await admin('GET', '/api/regions?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin('GET', `/api/regions?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});

/** What a query value of a route is, read from its zod schema, to forge values it must refuse. */
type Kind =
  | { kind: 'enum'; values: string[] }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'uuid' }
  | { kind: 'date' }
  | { kind: 'region' }
  | { kind: 'uuid-or'; literal: string }
  | { kind: 'text'; max?: number };

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; entries?: Record<string, string>; options?: z.ZodType[]; values?: unknown[]; checks?: Array<{ _zod: { def: Record<string, unknown> } }>; format?: string };
const defOf = (t: z.ZodType) => (t as unknown as { _zod: { def: Def } })._zod.def;

function kindOf(t: z.ZodType): { kind: Kind; required: boolean } {
  let def = defOf(t);
  let required = true;
  while (['optional', 'default', 'prefault', 'nullable', 'pipe'].includes(def.type)) {
    if (def.type !== 'pipe') required = false;
    // A pipe reads its input side, but after a preprocess (numbers in URLs) the schema it feeds.
    def = defOf(def.type === 'pipe' ? (defOf(def.in!).type === 'transform' ? def.out! : def.in!) : def.innerType!);
  }
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  if (def.type === 'enum') return { kind: { kind: 'enum', values: Object.values(def.entries!) }, required };
  if (def.type === 'number') {
    const min = checks.find((c) => c.check === 'greater_than')?.value as number | undefined;
    const max = checks.find((c) => c.check === 'less_than')?.value as number | undefined;
    return { kind: { kind: 'number', min, max }, required };
  }
  if (def.type === 'union') {
    const literal = def.options!.map(defOf).find((d) => d.type === 'literal')?.values?.[0];
    return { kind: { kind: 'uuid-or', literal: String(literal) }, required };
  }
  if (def.type === 'string' && def.format === 'uuid') return { kind: { kind: 'uuid' }, required };
  if (def.type === 'string' && checks.some((c) => c.check === 'string_format' && c.format === 'regex')) return { kind: { kind: 'region' }, required };
  if (def.type === 'string' && checks.some((c) => c.check === 'custom')) return { kind: { kind: 'date' }, required };
  const max = checks.find((c) => c.check === 'max_length')?.maximum as number | undefined;
  return { kind: { kind: 'text', max }, required };
}

/** A value each kind takes (for the required ones, and for a name given twice). */
function fine(k: Kind): string {
  switch (k.kind) {
    case 'enum':
      return k.values[0]!;
    case 'number':
      return String(Math.max(1, k.min ?? 1));
    case 'uuid':
    case 'uuid-or':
      return randomUUID();
    case 'date':
      return '2026-03-04';
    case 'region':
      return 'r-county-a';
    case 'text':
      return 'x';
  }
}

/** Values of a kind its route must refuse. */
function refused(k: Kind): string[] {
  switch (k.kind) {
    case 'enum':
      return ['bogus', k.values[0]!.toUpperCase() === k.values[0] ? `${k.values[0]}x` : k.values[0]!.toUpperCase()];
    case 'number':
      return [String((k.min ?? 0) - 1), '1.5', 'abc', '1e400', 'NaN', String((k.max ?? Number.MAX_SAFE_INTEGER) + 1), '1e20', '0x10'];
    case 'uuid':
      return ['not-a-uuid', `${randomUUID()}x`, '00000000-0000-0000-0000-00000000000g'];
    case 'uuid-or':
      return ['not-a-uuid', `${k.literal}x`];
    case 'date':
      // The calendar's last day too: the days and periods counted past it are no dates.
      return ['2026-02-30', '2026-13-01', '2026-1-5', 'yesterday', '2026-03-04T00:00:00Z', '0000-01-01', '0001-01-01', '9999-12-31'];
    case 'region':
      return ['../x', 'a b', 'r'.repeat(41)];
    case 'text':
      return k.max ? ['x'.repeat(k.max + 1)] : [];
  }
}

/** The world's user of the first role a route admits. */
const USER_OF_ROLE: Record<string, WorldUser> = { supervisor: 'supervisor-a', leader: 'leader-a', admin: 'admin', enterprise: 'enterprise-a' };
const userFor = (spec: RouteSpec) => (spec.access === 'authenticated' ? 'supervisor-a' : USER_OF_ROLE[(spec.access as readonly string[])[0]!]!);

describe('query values a route cannot read', () => {
  it('are refused with 400 problem+json naming the value, by every route that reads a query', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    let probes = 0;
    for (const spec of routeTable(h.deps)) {
      if (spec.method !== 'get' || !spec.query) continue;
      const shape = (spec.query as unknown as { shape?: Record<string, z.ZodType> }).shape;
      if (!shape) throw new Error(`${spec.path}: a query that is not an object`);
      const fields = Object.entries(shape).filter(([name]) => name !== 'cursor').map(([name, t]) => ({ name, ...kindOf(t) }));
      const base = new URLSearchParams(fields.filter((f) => f.required).map((f): [string, string] => [f.name, fine(f.kind)]));
      const path = spec.path.replace(/:[a-zA-Z]+/g, randomUUID());
      const as = await h.as(userFor(spec));
      for (const field of fields) {
        const cases: Array<[string, URLSearchParams]> = [];
        for (const value of refused(field.kind)) {
          const q = new URLSearchParams(base);
          q.set(field.name, value);
          cases.push([`${field.name}=${value.slice(0, 20)}`, q]);
        }
        const twice = new URLSearchParams(base);
        twice.set(field.name, fine(field.kind));
        twice.append(field.name, fine(field.kind));
        cases.push([`${field.name} twice`, twice]);
        for (const [name, q] of cases) {
          probes++;
          const res = await as('GET', `${path}?${q}`);
          const named = Array.isArray(res.body?.errors) ? res.body.errors.map((e: { field: string }) => e.field) : [];
          const problem = /^application\/problem\+json/.test(res.headers.get('content-type') ?? '') && res.body?.status === res.status;
          if (res.status !== 400 || !problem || !named.includes(`query.${field.name}`)) wrong.push(`${spec.path} ${name}: ${res.status} ${JSON.stringify(res.body ?? null).slice(0, 140)}`);
        }
      }
    }
    expect(probes).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it('well-formed values at the ends of their range are answered, never a 5xx', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    const extremes = (k: Kind): string[] =>
      k.kind === 'date' ? ['1900-01-01', '2999-12-31', '2024-02-29'] : k.kind === 'number' ? [String(Math.max(k.min ?? 0, 0)), String(k.max ?? Number.MAX_SAFE_INTEGER)] : k.kind === 'region' ? ['r'.repeat(40), '-'] : [];
    for (const spec of routeTable(h.deps)) {
      if (spec.method !== 'get' || !spec.query) continue;
      const shape = (spec.query as unknown as { shape: Record<string, z.ZodType> }).shape;
      const fields = Object.entries(shape).map(([name, t]) => ({ name, ...kindOf(t) }));
      const base = fields.filter((f) => f.required).map((f): [string, string] => [f.name, fine(f.kind)]);
      const as = await h.as(userFor(spec));
      for (const field of fields) {
        for (const value of extremes(field.kind)) {
          const q = new URLSearchParams(base);
          q.set(field.name, value);
          const res = await as('GET', `${spec.path.replace(/:[a-zA-Z]+/g, randomUUID())}?${q}`);
          if (res.status >= 500) wrong.push(`${spec.path} ${field.name}=${value}: ${res.status} ${JSON.stringify(res.body ?? null).slice(0, 140)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a filter by a kind the domain names (an instrument, a decision, a role) refuses a name it does not know, not an empty page', async () => {
    const sup = await h.as('supervisor-a');
    const wrong: string[] = [];
    for (const path of ['/api/notices', '/api/notices/export.xlsx']) {
      for (const [name, value] of [['instrument', 'letter'], ['pendingDecision', 'fine'], ['decider', 'mayor'], ['instrument', 'directive '], ['decider', 'Supervisor']]) {
        const res = await sup('GET', `${path}?${new URLSearchParams({ [name!]: value! })}`);
        const named = Array.isArray(res.body?.errors) ? res.body.errors.map((e: { field: string }) => e.field) : [];
        if (res.status !== 400 || !named.includes(`query.${name}`)) wrong.push(`${path} ${name}=${value}: ${res.status}`);
      }
      // The names it knows still filter.
      expect((await sup('GET', `${path}?instrument=directive&pendingDecision=penalty&decider=county_leader`)).status).toBe(200);
    }
    expect(wrong).toEqual([]);
  });
});
