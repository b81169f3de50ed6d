/**
 * Previews of evidence photos over HTTP on real servers: a JPEG made on the server within its
 * size bound, without metadata, nosniff and private; made once and then kept; the original is
 * never served inline (still an attachment); a PDF has none (415); a decompression bomb or bytes
 * that do not decode are refused with 422 and leave the server answering; photos are tagged as
 * taken before or after rectification.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceFiles } from '../../db/schema';
import { LocalDiskStore } from '../../evidence/store';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_PDF } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let sup: Requester;
let token: string;
let hazardId: string;
let photo: Buffer;

beforeAll(async () => {
  h = await startApiHarness('evidence-thumbnails');
  sup = await h.as('supervisor-a');
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: PASSWORD } });
  token = login.body.token;
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '消防通道堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10) },
  });
  hazardId = res.body.id;
  // A camera-sized photo with EXIF (camera and orientation) to be previewed.
  photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 1, exif: { IFD0: { Make: 'DubanCam', Model: 'Test 1' } } })
    .toBuffer();
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const get = (path: string) => fetch(h.http.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });

async function upload(name: string, bytes: Buffer, phase?: 'before' | 'after') {
  const res = await sup('POST', `/api/hazards/${hazardId}/evidence${phase ? `?phase=${phase}` : ''}`, { raw: evidenceForm([{ name, bytes }]) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.items[0];
}

/** A stored file as if uploaded before previews existed: the bytes in the store, the record beside them. */
async function stored(bytes: Buffer, mediaType: string): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await new LocalDiskStore(h.evidenceDir).put(sha256, bytes);
  const [row] = await h.database.db
    .insert(evidenceFiles)
    .values({ hazardId, sha256, size: bytes.length, mediaType, originalName: 'old.png', uploadedBy: 'supervisor-a', phase: 'before' })
    .returning();
  return row!.id;
}

function png(width: number, height: number, rows: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('evidence previews', () => {
  it('tags photos as before or after, and lists each with its preview', async () => {
    const before = await upload('现场.jpg', photo, 'before');
    expect(before).toMatchObject({ phase: 'before', thumbnail: `/api/evidence/${before.id}/thumbnail` });
    const pdf = await upload('整改报告.pdf', SAMPLE_PDF);
    expect(pdf.phase).toBe('after');
    expect(pdf.thumbnail).toBeUndefined();
    const bad = await sup('POST', `/api/hazards/${hazardId}/evidence?phase=during`, { raw: evidenceForm([{ name: 'x.jpg', bytes: photo }]) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('query.phase');
  });

  it('serves a JPEG preview within its size, without metadata, never the original inline', async () => {
    const [file] = (await sup('GET', `/api/hazards/${hazardId}/evidence`)).body.items.filter((f: { phase: string }) => f.phase === 'before');
    const res = await get(`/api/evidence/${file.id}/thumbnail?size=320`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(photo)).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(meta.exif).toBeUndefined();
    expect(bytes.length).toBeLessThan(photo.length);
    // Kept: the second answer is the same bytes.
    expect(Buffer.from(await (await get(`/api/evidence/${file.id}/thumbnail?size=320`)).arrayBuffer()).equals(bytes)).toBe(true);
    const small = await sharp(Buffer.from(await (await get(`/api/evidence/${file.id}/thumbnail?size=160`)).arrayBuffer())).metadata();
    expect([small.width, small.height]).toEqual([160, 120]);
    // The original stays a download.
    const original = await get(`/api/evidence/${file.id}`);
    expect(original.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await original.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('refuses what has no preview or would hurt to make one, with problem+json', async () => {
    const pdf = (await sup('GET', `/api/hazards/${hazardId}/evidence`)).body.items.find((f: { mediaType: string }) => f.mediaType === 'application/pdf');
    const asPdf = await sup('GET', `/api/evidence/${pdf.id}/thumbnail`);
    expect(asPdf.status).toBe(415);
    expect(asPdf.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const badSize = await sup('GET', `/api/evidence/${pdf.id}/thumbnail?size=5000`);
    expect(badSize.status).toBe(400);
    expect(badSize.body.errors.map((e: { field: string }) => e.field)).toContain('query.size');

    // 30000 × 30000 pixels in 60 KB: refused before decoding.
    const bomb = await stored(png(30_000, 30_000, Buffer.alloc(30_000 * (1 + 3750))), 'image/png');
    const started = Date.now();
    const refused = await sup('GET', `/api/evidence/${bomb}/thumbnail`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Date.now() - started).toBeLessThan(3000);

    const garbage = await stored(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x5a), Buffer.from([0xff, 0xd9])]), 'image/jpeg');
    expect((await sup('GET', `/api/evidence/${garbage}/thumbnail`)).status).toBe(422);

    // And the server goes on answering.
    expect((await sup('GET', `/api/hazards/${hazardId}`)).status).toBe(200);
    expect((await sup('GET', `/api/evidence/00000000-0000-4000-8000-000000000000/thumbnail`)).status).toBe(404);
  });
});
