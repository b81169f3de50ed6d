/**
 * Uploads built to hurt the server, on the dev server and real Postgres: a PDF that inflates to
 * gigabytes must not hold up anyone else; malformed multipart (control bytes in names, bodies
 * cut short) is refused at once; a body that stops coming meets the request's deadline; and a
 * retried upload never stores the file twice.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { deflateSync } from 'node:zlib';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { evidenceFiles, rateLimits } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PDF } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type HttpResponse, type Requester, type TestHttp } from '../support/http';
import { onePage } from '../support/pdf-builder';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let sup: Requester;
let ent: Requester;
let entToken: string;
const today = () => shanghaiDate(Date.now());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startApiHarness('upload-attacks');
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'enterprise-a', password: PASSWORD } });
  expect(login.status).toBe(200);
  entToken = login.body.token as string;
});
afterAll(async () => h?.stop());
beforeEach(async () => {
  await h.database.db.delete(rateLimits);
});

async function createHazard(): Promise<string> {
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '消防通道堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 10) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

function expectProblem(res: HttpResponse, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^urn:duban:problem:/) });
}

async function rowsOf(hazardId: string): Promise<number> {
  const [row] = await h.database.db.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazardId));
  return row!.n;
}

/** A distinct, genuine one-page PDF. */
const pdfVariant = (n: string) => Buffer.from(SAMPLE_PDF.toString('latin1').replace('%PDF-1.4\n', `%PDF-1.4\n%variant ${n}\n`), 'latin1');

/** A multipart body written by hand, so it can say what no form library would. */
function rawForm(disposition: string, content: Buffer = pdfVariant('raw'), close = true): Buffer {
  return Buffer.concat([
    Buffer.from(`--xyz\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`, 'latin1'),
    content,
    Buffer.from(close ? '\r\n--xyz--\r\n' : '', 'latin1'),
  ]);
}
const MULTIPART = { 'content-type': 'multipart/form-data; boundary=xyz' };

/** Sends raw bytes over a socket and reads the answer until the server closes or `waitMs` passes. */
async function rawExchange(port: number, head: string, body: Buffer, waitMs: number): Promise<{ text: string; closed: boolean; elapsedMs: number }> {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  let text = '';
  let closed = false;
  socket.on('data', (d) => (text += d.toString('utf8')));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  await Promise.race([ended.then(() => (closed = true)), sleep(waitMs)]);
  const elapsedMs = Date.now() - started;
  socket.destroy();
  return { text, closed, elapsedMs };
}

describe('a PDF that is costly to inspect holds up nobody else', () => {
  it('answers /api/health within a second throughout, and refuses the file in bounded time', async () => {
    const hazardId = await createHazard();
    // 300 object streams, each inflating to 31 MB: 9 GB in all, from about 9.5 MB of upload.
    const stream = deflateSync(Buffer.concat([Buffer.from('1000 0 <<>>', 'latin1'), Buffer.alloc(31 * 1024 * 1024, 0x20)]));
    const body = Buffer.concat([Buffer.from(`<</Type/ObjStm/N 1/First 7/Filter/FlateDecode/Length ${stream.length}>>stream\n`, 'latin1'), stream, Buffer.from('\nendstream', 'latin1')]);
    const bomb = onePage('', '', Array.from({ length: 300 }, () => body));
    expect(bomb.length).toBeGreaterThan(9 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(10 * 1024 * 1024);

    const started = Date.now();
    let settled = false;
    const upload = ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: 'bomb.pdf', bytes: bomb }]) }).finally(() => {
      settled = true;
    });
    const waits: number[] = [];
    while (!settled && Date.now() - started < 60_000) {
      const asked = Date.now();
      const health = await h.http.request('GET', '/api/health');
      waits.push(Date.now() - asked);
      expect(health.status).toBe(200);
      await sleep(100);
    }
    const res = await upload;
    const took = Date.now() - started;
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(1000);
    expectProblem(res, 422);
    expect(res.body.detail).toMatch(/too complex to inspect/);
    expect(took).toBeLessThan(20_000);
    expect(await rowsOf(hazardId)).toBe(0);
  });
});

describe('malformed multipart is refused at once with 400', () => {
  let hazardId: string;
  beforeAll(async () => {
    hazardId = await createHazard();
  });
  const send = (raw: Buffer) => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: new Uint8Array(raw), headers: MULTIPART });

  const bodies: Array<[string, Buffer]> = [
    ['a NUL byte in the file name', rawForm('name="files"; filename="a\x00b.pdf"')],
    ['a DEL byte in the file name', rawForm('name="files"; filename="a\x7fb.pdf"')],
    ['an escape byte in the file name', rawForm('name="files"; filename="a\x1b[31mb.pdf"')],
    ['a tab in the file name', rawForm('name="files"; filename="a\tb.pdf"')],
    ['a NUL spelled %00 in an encoded file name', rawForm("name=\"files\"; filename*=UTF-8''a%00b.pdf")],
    ['a line feed spelled %0A in an encoded file name', rawForm("name=\"files\"; filename*=UTF-8''a%0Ab.pdf")],
    ['a NUL byte in the field name', rawForm('name="fi\x00les"; filename="a.pdf"')],
    ['a DEL byte in the field name', rawForm('name="files\x7f"; filename="a.pdf"')],
    ['a bare CR in the part headers', rawForm('name="files";\r filename="a.pdf"')],
    ['a body that ends inside the part headers', Buffer.from('--xyz\r\nContent-Disposition: form-da', 'latin1')],
    ['a body that ends right after the boundary', Buffer.from('--xyz', 'latin1')],
    ['a body that ends inside the file', rawForm('name="files"; filename="a.pdf"', pdfVariant('cut'), false)],
    ['a body with no closing boundary', Buffer.concat([rawForm('name="files"; filename="a.pdf"', pdfVariant('open'), false), Buffer.from('\r\n', 'latin1')])],
  ];

  it.each(bodies)('refuses %s', async (_what, raw) => {
    const res = await Promise.race([send(raw), sleep(10_000).then(() => null)]);
    expect(res, 'no answer within 10 s').not.toBeNull();
    expectProblem(res!, 400);
    expect(res!.body.errors?.[0]).toMatchObject({ field: expect.any(String), message: expect.any(String) });
    expect(await rowsOf(hazardId)).toBe(0);
  });
});

describe('every request has a deadline', () => {
  let quick: TestHttp;
  let port: number;
  beforeAll(async () => {
    quick = await serve(createApp({ ...h.deps, requestTimeoutMs: 1000, uploadTimeoutMs: 2000 }));
    port = Number(new URL(quick.baseUrl).port);
  });
  afterAll(async () => quick?.close());

  it('answers an upload whose body stops coming with 503 problem+json at its deadline, closes the connection and keeps nothing', async () => {
    const hazardId = await createHazard();
    const part = rawForm('name="files"; filename="slow.pdf"', pdfVariant('slow'), false);
    const head =
      `POST /api/hazards/${hazardId}/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${entToken}\r\n` +
      `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${part.length + 100_000}\r\n\r\n`;
    const { text, closed, elapsedMs } = await rawExchange(port, head, part, 8000);
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(text).toContain('urn:duban:problem:deadline-exceeded');
    expect(closed).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(elapsedMs).toBeLessThan(6000);
    expect(await rowsOf(hazardId)).toBe(0);
    // The server goes on answering.
    expect((await quick.request('GET', '/api/health')).status).toBe(200);
  });

  it('gives other requests the shorter deadline', async () => {
    const head = `POST /api/hazards HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${entToken}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n`;
    const { text, closed, elapsedMs } = await rawExchange(port, head, Buffer.from('{"title":', 'latin1'), 8000);
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toContain('urn:duban:problem:deadline-exceeded');
    expect(closed).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(1900);
  });
});

describe('a retried upload is stored once', () => {
  const upload = (hazardId: string, files: Array<{ name: string; bytes: Buffer }>, key?: string) =>
    ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm(files), headers: key ? { 'idempotency-key': key } : {} });

  it('replays the first answer to a retry with the same Idempotency-Key and the same files', async () => {
    const hazardId = await createHazard();
    const files = [{ name: '整改后.jpg', bytes: SAMPLE_JPEG }, { name: 'r.pdf', bytes: pdfVariant('key-replay') }];
    const first = await upload(hazardId, files, 'upload-replay-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const retry = await upload(hazardId, files, 'upload-replay-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await rowsOf(hazardId)).toBe(2);
  });

  it('refuses the same key with other files (422), keeping nothing of them', async () => {
    const hazardId = await createHazard();
    expect((await upload(hazardId, [{ name: 'a.pdf', bytes: pdfVariant('key-a') }], 'upload-other-1')).status).toBe(201);
    const other = await upload(hazardId, [{ name: 'a.pdf', bytes: pdfVariant('key-b') }], 'upload-other-1');
    expectProblem(other, 422);
    expect(other.body.errors[0]).toMatchObject({ field: 'Idempotency-Key' });
    expect(await rowsOf(hazardId)).toBe(1);
  });

  it('answers a duplicate that arrives while the first still runs with 409', async () => {
    const hazardId = await createHazard();
    // A genuine document that takes the inspector a moment: the duplicate arrives meanwhile.
    const slow = onePage(`/Widths[${'500 '.repeat(900_000)}]`);
    const [a, b] = await Promise.all([upload(hazardId, [{ name: 'w.pdf', bytes: slow }], 'upload-dup-1'), sleep(50).then(() => upload(hazardId, [{ name: 'w.pdf', bytes: slow }], 'upload-dup-1'))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expectProblem([a, b].find((r) => r.status === 409)!, 409);
    expect(await rowsOf(hazardId)).toBe(1);
  });

  it('refuses a malformed Idempotency-Key on an upload with 400', async () => {
    const hazardId = await createHazard();
    const res = await upload(hazardId, [{ name: 'a.pdf', bytes: pdfVariant('bad-key') }], 'no spaces allowed');
    expectProblem(res, 400);
    expect(await rowsOf(hazardId)).toBe(0);
  });

  it('answers the same file sent again by the same person in the same round with its existing record, and a new round with a new one', async () => {
    const hazardId = await createHazard();
    const a = { name: 'a.pdf', bytes: pdfVariant('dedupe-a') };
    const b = { name: 'b.pdf', bytes: pdfVariant('dedupe-b') };
    const first = await upload(hazardId, [a]);
    expect(first.status).toBe(201);
    const again = await upload(hazardId, [{ ...a, name: 'a (retry).pdf' }]);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.items).toEqual(first.body.items);
    // Each file sent is answered with its record: one new (b, sent twice), one existing (a).
    const mixed = await upload(hazardId, [a, b, b]);
    expect(mixed.status).toBe(201);
    expect(mixed.body.items).toHaveLength(3);
    expect(mixed.body.items[0]).toEqual(first.body.items[0]);
    expect(mixed.body.items[2]).toEqual(mixed.body.items[1]);
    expect(await rowsOf(hazardId)).toBe(2);
    // Another person's copy is their own record: who provided what stays on file.
    const bySupervisor = await sup('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([a]) });
    expect(bySupervisor.status).toBe(201);
    expect(bySupervisor.body.items[0]).toMatchObject({ sha256: first.body.items[0].sha256, uploadedBy: 'supervisor-a' });
    expect(bySupervisor.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(await rowsOf(hazardId)).toBe(3);

    // Submitted, rejected: round 2 begins, and the same photo is new evidence of it.
    const ids = [...new Set(mixed.body.items.map((i: { id: string }) => i.id))];
    expect((await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: ids } })).status).toBe(200);
    expect((await sup('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'reject', reasons: ['照片不清晰'], newDeadline: addDays(today(), 5) } })).status).toBe(200);
    const round2 = await upload(hazardId, [a]);
    expect(round2.status).toBe(201);
    expect(round2.body.items[0].id).not.toBe(first.body.items[0].id);
    const [sameBytes] = await h.database.db
      .select({ n: count() })
      .from(evidenceFiles)
      .where(and(eq(evidenceFiles.hazardId, hazardId), eq(evidenceFiles.sha256, first.body.items[0].sha256)));
    expect(sameBytes!.n).toBe(3);
  });
});

describe('a download is inert whatever it holds', () => {
  it('serves a PDF only as a sandboxed attachment of its detected type', async () => {
    const hazardId = await createHazard();
    const up = await ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: 'report.html', bytes: pdfVariant('download'), type: 'text/html' }]) });
    expect(up.status).toBe(201);
    const got = await fetch(`${h.http.baseUrl}${up.body.items[0].download}`, { headers: { authorization: `Bearer ${entToken}` } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${up.body.items[0].id}\\.pdf"`));
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = got.headers.get('content-security-policy') ?? '';
    expect(csp.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(["default-src 'none'", 'sandbox']));
    expect(got.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await got.arrayBuffer()).equals(pdfVariant('download'))).toBe(true);
  });
});
