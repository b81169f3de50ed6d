import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../db/hazard-queries';

const ID = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a position exactly, to the millisecond', () => {
    const cursor = { createdAt: new Date('2026-03-10T08:15:30.123Z'), id: ID };
    const decoded = decodeCursor(encodeCursor(cursor));
    expect(decoded).toEqual(cursor);
    expect(decoded?.createdAt.toISOString()).toBe('2026-03-10T08:15:30.123Z');
  });

  it('round-trips an upper-case id', () => {
    const id = ID.toUpperCase();
    expect(decodeCursor(encodeCursor({ createdAt: new Date('2026-01-01T00:00:00Z'), id }))?.id).toBe(id);
  });

  it('encodes as URL-safe base64 of "<ISO time>|<id>", without padding', () => {
    const raw = encodeCursor({ createdAt: new Date('2026-01-01T00:00:00.000Z'), id: ID });
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(raw, 'base64url').toString()).toBe(`2026-01-01T00:00:00.000Z|${ID}`);
  });

  it('decodes garbage to null', () => {
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('!!!***')).toBeNull();
  });

  it('decodes to null when the id is missing or not a uuid', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    expect(decodeCursor(b64('2026-01-01T00:00:00.000Z'))).toBeNull();
    expect(decodeCursor(b64('2026-01-01T00:00:00.000Z|'))).toBeNull();
    expect(decodeCursor(b64('2026-01-01T00:00:00.000Z|42'))).toBeNull();
    // Only the exact form this list writes: a bare number is not a time here.
    expect(decodeCursor(b64('0|5b0f4a4e-8a0c-4f5e-9d7c-1a2b3c4d5e6f'))).toBeNull();
    expect(decodeCursor(b64('2026-01-01T00:00:00.000Z|5b0f4a4e-8a0c-4f5e-9d7c-1a2b3c4d5e6f|x'))).toBeNull();
    expect(decodeCursor(b64("2026-01-01T00:00:00.000Z|' or 1=1 --------------------------"))).toBeNull();
  });

  it('decodes to null when the time is not a time', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    expect(decodeCursor(b64(`not-a-date|${ID}`))).toBeNull();
    expect(decodeCursor(b64(`|${ID}`))).toBeNull();
  });
});
