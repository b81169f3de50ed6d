/**
 * Evidence uploads over HTTP, on the dev server and real Postgres: every hostile upload is
 * refused with problem+json and leaves nothing behind (no evidence_files row, no file in the
 * store); genuine files are stored by their hash, served only as attachments to those within
 * reach, and frozen into the submitted set.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statementsOf } from '../../bench/phase-cost';
import { evidenceFiles, rateLimits } from '../../db/schema';
import { canonicalJson } from '../../domain/audit-chain';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PDF, SAMPLE_PNG, SAMPLE_WEBP } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { PASSWORD, type WorldUser } from '../support/world';

let h: ApiHarness;
let sup: Requester;
let ent: Requester;
const today = () => shanghaiDate(Date.now());
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  h = await startApiHarness('evidence');
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
});
afterAll(async () => h?.stop());
// Refusals count against the upload allowance (30 a minute per user): each test starts afresh.
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

type Part = { name: string; bytes: Buffer; type?: string };
const upload = (as: Requester, hazardId: string, files: Part[]) => as('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm(files) });

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function tokenOf(user: WorldUser): Promise<string> {
  const res = await h.http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

/** Every file in the evidence store, by path. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(h.evidenceDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}
async function evidenceRows(): Promise<number> {
  const [row] = await h.database.db.select({ n: count() }).from(evidenceFiles);
  return row!.n;
}
/** Runs a request that must be refused, and checks that it left nothing behind. */
async function refusedLeavingNothing(request: () => Promise<HttpResponse>, status: number, field?: string): Promise<HttpResponse> {
  const [rowsBefore, filesBefore] = [await evidenceRows(), await storedFiles()];
  const res = await request();
  expectProblem(res, status, field);
  expect(await evidenceRows()).toBe(rowsBefore);
  expect(await storedFiles()).toEqual(filesBefore);
  return res;
}

/** A distinct, genuine one-page PDF (a comment line makes each one's bytes new). */
const pdfVariant = (n: number | string) => Buffer.from(SAMPLE_PDF.toString('latin1').replace('%PDF-1.4\n', `%PDF-1.4\n%variant ${n}\n`), 'latin1');

/** A minimal, valid ZIP archive holding one stored file, with an optional archive comment. */
function zip(name: string, content: Buffer, comment: Buffer = Buffer.alloc(0)): Buffer {
  const n = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(n.length, 28);
  const cd = Buffer.concat([central, n]);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(30 + n.length + content.length, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([local, n, content, cd, eocd, comment]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(8), Buffer.from([0x02, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(48)]);
const PE = (() => {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  return b;
})();
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(document.cookie)</script></svg>');
const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/auth/me")</script></body></html>');
const ZIP = zip('payload.html', HTML);
/** An archive with nothing that looks like markup in it: only the structure can give it away. */
const QUIET_ZIP = (comment?: Buffer) => zip('payload.bin', ELF, comment);
const pdfWith = (catalogExtra: string, beforeTrailer = '') =>
  Buffer.from(SAMPLE_PDF.toString('latin1').replace('/Type/Catalog', `/Type/Catalog${catalogExtra}`).replace('trailer', `${beforeTrailer}trailer`), 'latin1');
const OBJECT_STREAM = (() => {
  const packed = deflateSync(Buffer.from('4 0 <</S/JavaScript/JS(app.alert(1))>>'));
  return `5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${packed.length}>>stream\n${packed.toString('latin1')}\nendstream endobj\n`;
})();

describe('hostile uploads are refused and leave nothing behind', () => {
  let hazardId: string;
  beforeAll(async () => {
    hazardId = await createHazard();
  });

  const attacks: Array<[string, Part[], number]> = [
    ['an ELF executable renamed .jpg', [{ name: 'photo.jpg', bytes: ELF, type: 'image/jpeg' }], 415],
    ['a PE executable renamed .jpg', [{ name: 'photo.jpg', bytes: PE, type: 'image/jpeg' }], 415],
    ['an SVG with a script', [{ name: 'drawing.svg', bytes: SVG, type: 'image/svg+xml' }], 415],
    ['an SVG renamed .png', [{ name: 'drawing.png', bytes: SVG, type: 'image/png' }], 415],
    ['an HTML page renamed .jpg', [{ name: 'page.jpg', bytes: HTML, type: 'image/jpeg' }], 415],
    ['a JPEG with a ZIP appended after FFD9', [{ name: 'p.jpg', bytes: Buffer.concat([SAMPLE_JPEG, ZIP]) }], 415],
    ['a JPEG with a ZIP appended whose comment ends in FFD9', [{ name: 'p.jpg', bytes: Buffer.concat([SAMPLE_JPEG, QUIET_ZIP(Buffer.from([0xff, 0xd9]))]) }], 415],
    ['a JPEG with HTML appended after FFD9', [{ name: 'p.jpg', bytes: Buffer.concat([SAMPLE_JPEG, HTML]) }], 415],
    ['a JPEG with HTML and another FFD9 appended', [{ name: 'p.jpg', bytes: Buffer.concat([SAMPLE_JPEG, HTML, Buffer.from([0xff, 0xd9])]) }], 415],
    ['a truncated JPEG', [{ name: 'p.jpg', bytes: SAMPLE_JPEG.subarray(0, 400) }], 415],
    ['a PNG with data after IEND', [{ name: 'p.png', bytes: Buffer.concat([SAMPLE_PNG, Buffer.from('<script>alert(1)</script>')]) }], 415],
    ['a PNG with a ZIP and a second IEND appended', [{ name: 'p.png', bytes: Buffer.concat([SAMPLE_PNG, QUIET_ZIP(), pngChunk('IEND', Buffer.alloc(0))]) }], 415],
    ['a PDF with /JavaScript', [{ name: 'r.pdf', bytes: pdfWith('/OpenAction<</S/JavaScript/JS(app.alert(1))>>') }], 415],
    ['a PDF with /JavaScript spelled in #xx escapes', [{ name: 'r.pdf', bytes: pdfWith('/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>') }], 415],
    ['a PDF with /JavaScript inside a compressed object stream', [{ name: 'r.pdf', bytes: pdfWith('/OpenAction 4 0 R', OBJECT_STREAM) }], 415],
    ['a PDF with /Launch', [{ name: 'r.pdf', bytes: pdfWith('/OpenAction<</S/Launch/F(cmd.exe)>>') }], 415],
    ['a PDF with data after %%EOF', [{ name: 'r.pdf', bytes: Buffer.concat([SAMPLE_PDF, ZIP]) }], 415],
    ['an empty file', [{ name: 'empty.jpg', bytes: Buffer.alloc(0) }], 415],
    ['a genuine photo beside an executable', [{ name: 'ok.jpg', bytes: Buffer.concat([SAMPLE_JPEG.subarray(0, -2), Buffer.from('nonce'), Buffer.from([0xff, 0xd9])]) }, { name: 'x.jpg', bytes: ELF }], 415],
    ['a file over 10 MB', [{ name: 'big.pdf', bytes: Buffer.concat([pdfVariant('big'), Buffer.alloc(10 * 1024 * 1024 + 1 - pdfVariant('big').length, 0x20)]) }], 413],
    ['six files in one request', Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, bytes: pdfVariant(`six-${i}`) })), 413],
    ['a name with a traversal', [{ name: '../../etc/passwd.jpg', bytes: pdfVariant('traversal') }], 400],
    ['a name with a path', [{ name: 'a/b.jpg', bytes: pdfVariant('path') }], 400],
    ['a name with a Windows path', [{ name: 'C:\\x.jpg', bytes: pdfVariant('windows') }], 400],
    ['a name of ..', [{ name: '..', bytes: pdfVariant('dotdot') }], 400],
  ];

  it.each(attacks)('refuses %s', async (_what, files, status) => {
    const res = await refusedLeavingNothing(() => upload(ent, hazardId, files), status);
    expect(res.body.detail).toEqual(expect.any(String));
  });

  it('refuses a file in a field other than "files"', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdfVariant('field'))]), 'r.pdf');
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: form }), 400, 'files');
  });

  it('refuses a form with text fields besides the files', async () => {
    const form = evidenceForm([{ name: 'r.pdf', bytes: pdfVariant('extra-field') }]);
    form.append('note', 'hello');
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: form }), 400);
  });

  it('refuses a request that is not multipart with 415', async () => {
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { body: { files: [SAMPLE_JPEG.toString('base64')] } }), 415);
    await refusedLeavingNothing(
      () => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: new Uint8Array(SAMPLE_JPEG), headers: { 'content-type': 'image/jpeg' } }),
      415,
    );
  });

  it('refuses a malformed multipart body and one with no file', async () => {
    const headers = { 'content-type': 'multipart/form-data; boundary=xyz' };
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: '--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF', headers }), 400);
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: '--xyz--\r\n', headers }), 400, 'files');
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: 'x', headers: { 'content-type': 'multipart/form-data' } }), 400);
  });

  it('survives a form cut short and a client that goes away mid-upload, keeping nothing', async () => {
    // A complete request whose form ends mid-file: refused, and the server lives on.
    const headers = { 'content-type': 'multipart/form-data; boundary=xyz' };
    const part = `--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n${pdfVariant('cut').toString('latin1')}`;
    await refusedLeavingNothing(() => ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: part, headers }), 400);

    // A connection dropped half-way through the body.
    const [rowsBefore, filesBefore] = [await evidenceRows(), await storedFiles()];
    const token = await tokenOf('enterprise-a');
    const socket = connect(Number(new URL(h.http.baseUrl).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /api/hazards/${hazardId}/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 100000\r\n\r\n${part}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await ent('GET', `/api/hazards/${hazardId}/evidence`)).status).toBe(200);
    expect(await evidenceRows()).toBe(rowsBefore);
    expect(await storedFiles()).toEqual(filesBefore);
  });

  it('refuses uploads from those without reach or role', async () => {
    const files = [{ name: 'r.pdf', bytes: pdfVariant('reach') }];
    await refusedLeavingNothing(async () => upload(await h.as('enterprise-b'), hazardId, files), 404);
    await refusedLeavingNothing(async () => upload(await h.as('supervisor-b'), hazardId, files), 404);
    await refusedLeavingNothing(async () => upload(await h.as('leader-a'), hazardId, files), 403);
    await refusedLeavingNothing(() => h.http.request('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm(files) }), 401);
  });
});

describe('genuine evidence', () => {
  const FILES: Part[] = [
    { name: '整改后.jpg', bytes: SAMPLE_JPEG, type: 'text/html' },
    { name: 'floor.png', bytes: SAMPLE_PNG },
    { name: 'wall.webp', bytes: SAMPLE_WEBP },
    { name: '验收报告.pdf', bytes: SAMPLE_PDF },
  ];
  const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

  const download = async (id: string, token: string | null) =>
    fetch(`${h.http.baseUrl}/api/evidence/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('stores JPEG, PNG, WebP and PDF by their hash, with the detected type and the EXIF capture time', async () => {
    const hazardId = await createHazard();
    const res = await upload(ent, hazardId, FILES);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const items = res.body.items as Array<Record<string, any>>;
    expect(items.map((i) => i.mediaType)).toEqual(TYPES);
    items.forEach((item, n) => {
      const bytes = FILES[n]!.bytes;
      expect(item).toMatchObject({
        hazardId,
        sha256: sha256(bytes),
        size: bytes.length,
        originalName: FILES[n]!.name,
        uploadedBy: 'enterprise-a',
        submittedRound: null,
        manifestHash: null,
        download: `/api/evidence/${item.id}`,
      });
    });
    expect(items[0]!.capturedAt).toBe('2026-11-20T02:30:00.000Z');
    expect(items.slice(1).map((i) => i.capturedAt)).toEqual([null, null, null]);

    for (const item of items) {
      const sha = item.sha256 as string;
      const path = join(h.evidenceDir, sha.slice(0, 2), sha.slice(2, 4), sha);
      expect(await readFile(path)).toEqual(FILES[items.indexOf(item)]!.bytes);
      // Nothing serves the store: not by hash, not by its layout, not by the API's evidence path.
      for (const probe of [`/${sha}`, `/evidence/${sha}`, `/evidence/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`, `/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`, `/api/evidence/${sha}`]) {
        const served = await fetch(h.http.baseUrl + probe);
        expect(served.status, probe).toBeGreaterThanOrEqual(400);
        expect(Buffer.from(await served.arrayBuffer()).includes(FILES[items.indexOf(item)]!.bytes)).toBe(false);
      }
    }
    const listed = await sup('GET', `/api/hazards/${hazardId}/evidence`);
    expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('downloads only within reach, as an attachment with the detected type and nosniff', async () => {
    const hazardId = await createHazard();
    const res = await upload(ent, hazardId, FILES);
    expect(res.status).toBe(201);
    const items = res.body.items as Array<{ id: string; mediaType: string }>;
    const [entA, supA, gridA, leaderCity, entB, supB] = await Promise.all(
      (['enterprise-a', 'supervisor-a', 'grid-a', 'leader-city', 'enterprise-b', 'supervisor-b'] as const).map(tokenOf),
    );
    for (const [n, item] of items.entries()) {
      for (const token of [entA!, supA!, gridA!, leaderCity!]) {
        const got = await download(item.id, token);
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe(TYPES[n]);
        expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
        expect(got.headers.get('x-content-type-options')).toBe('nosniff');
        expect(Buffer.from(await got.arrayBuffer()).equals(FILES[n]!.bytes)).toBe(true);
      }
      for (const token of [entB!, supB!]) {
        const refused = await download(item.id, token);
        expect(refused.status).toBe(404);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(Buffer.from(await refused.arrayBuffer()).includes(FILES[n]!.bytes)).toBe(false);
      }
      expect((await download(item.id, null)).status).toBe(401);
    }
    // The JPEG was sent claiming text/html: the answer names what the bytes are.
    expect((await download(items[0]!.id, entA!)).headers.get('content-type')).toBe('image/jpeg');
    expect((await download('00000000-0000-4000-8000-000000000000', entA!)).status).toBe(404);
    expect((await download('not-a-uuid', entA!)).status).toBe(404);
  });

  it('freezes the submitted set: manifest hash on files and in the trail, no uploads under review, no reuse in round 2', async () => {
    const hazardId = await createHazard();
    const up = await upload(ent, hazardId, FILES);
    expect(up.status).toBe(201);
    const items = up.body.items as Array<{ id: string; sha256: string; size: number; mediaType: string }>;
    const manifestOf = (files: typeof items) =>
      sha256(Buffer.from(canonicalJson(files.map(({ id, sha256, size, mediaType }) => ({ id, sha256, size, mediaType })).sort((a, b) => (a.id < b.id ? -1 : 1)))));
    const manifest = manifestOf(items);

    const submitted = await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: items.map((i) => i.id), note: '已整改' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('under_review');

    const listed = await ent('GET', `/api/hazards/${hazardId}/evidence`);
    expect(listed.body.items).toHaveLength(4);
    for (const f of listed.body.items) expect(f).toMatchObject({ submittedRound: 1, manifestHash: manifest });
    const detail = await sup('GET', `/api/hazards/${hazardId}`);
    const event = detail.body.timeline.find((e: { type: string }) => e.type === 'rectification_submitted');
    expect(event.data).toMatchObject({ manifestHash: manifest, evidence: items.map((i) => i.id) });

    await refusedLeavingNothing(() => upload(ent, hazardId, [{ name: 'late.pdf', bytes: pdfVariant('late') }]), 409);

    const rejected = await sup('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'reject', reasons: ['照片不清晰'], newDeadline: addDays(today(), 5) } });
    expect(rejected.body).toMatchObject({ status: 'rectifying', round: 2 });

    const second = await upload(ent, hazardId, [{ name: 'round2.pdf', bytes: pdfVariant('round2') }]);
    expect(second.status).toBe(201);
    const fresh = second.body.items[0] as (typeof items)[number];
    expectProblem(await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [items[0]!.id] } }), 422, 'evidence');
    expectProblem(await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [fresh.id, items[1]!.id] } }), 422, 'evidence');
    expect((await ent('GET', `/api/hazards/${hazardId}`)).body).toMatchObject({ status: 'rectifying', round: 2 });

    const again = await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [fresh.id] } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const after = (await ent('GET', `/api/hazards/${hazardId}/evidence`)).body.items as Array<{ id: string; submittedRound: number; manifestHash: string }>;
    expect(after.find((f) => f.id === fresh.id)).toMatchObject({ submittedRound: 2, manifestHash: manifestOf([fresh]) });
    expect(after.filter((f) => f.id !== fresh.id).every((f) => f.submittedRound === 1 && f.manifestHash === manifest)).toBe(true);
    const events = (await sup('GET', `/api/hazards/${hazardId}`)).body.timeline.filter((e: { type: string }) => e.type === 'rectification_submitted');
    expect(events.map((e: { data: { manifestHash: string } }) => e.data.manifestHash)).toEqual([manifest, manifestOf([fresh])]);
  });

  it('records an upload in six round trips: one read before the bytes, then a transaction that checks under the hazard’s lock and inserts', async () => {
    const hazardId = await createHazard();
    // Nothing else runs meanwhile: the hazard's workflow waits on its timers.
    const sent = await statementsOf(async () => expect((await upload(ent, hazardId, [{ name: 'trips.pdf', bytes: pdfVariant('trips') }])).status).toBe(201));
    // The caller's account is read when its memo has lapsed (at most once a second), whatever the route.
    const trips = sent.filter((text) => !/from "users"/.test(text));
    const shapes = [
      /^\s*with hit as \(insert into rate_limits[\s\S]*left join "hazards"/, // the rate limit's hit, the hazard within reach, its file count
      /^begin$/i,
      /^select "status" from "hazards" where "hazards"."id" = \$1 for update$/,
      /from \(select count\(\*\)::int as "n" from "evidence_files"[\s\S]*left join "evidence_files"/, // under the lock: the count and the round's same files
      /^insert into "evidence_files"/,
      /^commit$/i,
    ];
    expect(trips, trips.join('\n')).toHaveLength(shapes.length);
    shapes.forEach((shape, i) => expect(trips[i], trips.join('\n')).toMatch(shape));
  });

  it('holds at most 50 files per hazard', async () => {
    const hazardId = await createHazard();
    for (let batch = 0; batch < 10; batch++) {
      const res = await upload(ent, hazardId, Array.from({ length: 5 }, (_, i) => ({ name: `${batch}-${i}.pdf`, bytes: pdfVariant(`limit-${batch}-${i}`) })));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await refusedLeavingNothing(() => upload(ent, hazardId, [{ name: 'one-more.pdf', bytes: pdfVariant('limit-51') }]), 422, 'files');
    await refusedLeavingNothing(() => upload(sup, hazardId, [{ name: 'one-more.pdf', bytes: pdfVariant('limit-51') }]), 422, 'files');
    expect((await ent('GET', `/api/hazards/${hazardId}/evidence`)).body.items).toHaveLength(50);
  });

  it('holds the limit when uploads race each other', async () => {
    const hazardId = await createHazard();
    for (let batch = 0; batch < 9; batch++) {
      const res = await upload(ent, hazardId, Array.from({ length: 5 }, (_, i) => ({ name: `${batch}-${i}.pdf`, bytes: pdfVariant(`race-${batch}-${i}`) })));
      expect(res.status).toBe(201);
    }
    const racing = await Promise.all(
      [ent, sup, ent, sup].map((as, k) => upload(as, hazardId, Array.from({ length: 5 }, (_, i) => ({ name: `r${k}-${i}.pdf`, bytes: pdfVariant(`race-last-${k}-${i}`) })))),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
    for (const r of racing.filter((r) => r.status !== 201)) expectProblem(r, 422, 'files');
    const [row] = await h.database.db.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazardId));
    expect(row!.n).toBe(50);
  });

  it('names the file safely in Content-Disposition, whatever the uploader called it', async () => {
    const hazardId = await createHazard();
    const name = "it's (final) *copy* 整改.pdf";
    const up = await upload(ent, hazardId, [{ name, bytes: pdfVariant('disposition') }]);
    expect(up.status).toBe(201);
    expect(up.body.items[0].originalName).toBe(name);
    const got = await fetch(`${h.http.baseUrl}/api/evidence/${up.body.items[0].id}`, { headers: { authorization: `Bearer ${await tokenOf('enterprise-a')}` } });
    const disposition = got.headers.get('content-disposition')!;
    expect(disposition).toBe(`attachment; filename="${up.body.items[0].id}.pdf"; filename*=UTF-8''it%27s%20%28final%29%20%2Acopy%2A%20${encodeURIComponent('整改')}.pdf`);
    // RFC 8187: after the charset and language, only attr-chars and %XX.
    expect(disposition.split("UTF-8''")[1]).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
  });

  it('answers a stored file that cannot be read with a problem, and keeps serving', async () => {
    const hazardId = await createHazard();
    const bytes = pdfVariant('unreadable');
    const up = await upload(ent, hazardId, [{ name: 'gone.pdf', bytes }]);
    expect(up.status).toBe(201);
    const sha = sha256(bytes);
    const path = join(h.evidenceDir, sha.slice(0, 2), sha.slice(2, 4), sha);
    // Something that opens but cannot be read as a file: a directory where the bytes were.
    await rm(path);
    await mkdir(path);
    const got = await fetch(`${h.http.baseUrl}/api/evidence/${up.body.items[0].id}`, {
      headers: { authorization: `Bearer ${await tokenOf('enterprise-a')}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(got.status).toBe(500);
    expect(got.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(got.headers.get('content-disposition')).toBeNull();
    expect(await got.json()).toMatchObject({ status: 500, type: 'urn:duban:problem:internal' });
    expect((await ent('GET', `/api/hazards/${hazardId}/evidence`)).status).toBe(200);
  });

  it('limits uploads to 30 a minute per user, answering 429 with Retry-After', async () => {
    const hazardId = await createHazard();
    // The window is a fixed minute: start early enough in one that 31 uploads fit in it.
    const into = Date.now() % 60_000;
    if (into > 55_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
    for (let i = 0; i < 30; i++) {
      const res = await upload(ent, hazardId, [{ name: `${i}.pdf`, bytes: pdfVariant(`rate-${i}`) }]);
      expect(res.status, `upload ${i}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    const limited = await refusedLeavingNothing(() => upload(ent, hazardId, [{ name: '31.pdf', bytes: pdfVariant('rate-31') }]), 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The allowance is per user: another person of the same enterprise's supervision may still upload.
    expect((await upload(sup, hazardId, [{ name: 'sup.pdf', bytes: pdfVariant('rate-sup') }])).status).toBe(201);
  });
});
