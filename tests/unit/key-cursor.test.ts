/**
 * The keyset lists' shared paging: the query's cursor (none, one this list wrote, or a 400 naming
 * it) and the page answer (items, and the cursor after the last only when more rows were fetched).
 */
import { describe, expect, it } from 'vitest';
import { anyKey, encodeKeyCursor, isInstantKey, pageAnswer, queryCursor, queryInstantCursor, serialCursorId, serialOfCursorId, serials } from '../../api/key-cursor';
import { Problem } from '../../api/problem';

const ID = '0b6c5a52-3f1e-4d2a-9c1b-7e8f9a0b1c2d';

describe('queryCursor', () => {
  it('reads no cursor, or an empty one, as the first page', () => {
    expect(queryCursor(undefined, 'uuid', anyKey)).toBeUndefined();
    expect(queryCursor('', 'uuid', anyKey)).toBeUndefined();
  });

  it('gives back the cursor the list wrote', () => {
    expect(queryCursor(encodeKeyCursor({ key: 'a/b', id: ID }), 'uuid', anyKey)).toEqual({ key: 'a/b', id: ID });
    expect(queryCursor(encodeKeyCursor({ key: 'inbox', id: serialCursorId('d', 42) }), serials('d'), anyKey)).toEqual({ key: 'inbox', id: 'd0000000000000000042' });
    expect(queryCursor(encodeKeyCursor({ key: 'k', id: serialCursorId('n', 7) }), serials('hn'), anyKey)).toEqual({ key: 'k', id: 'n0000000000000000007' });
    expect(serialOfCursorId(serialCursorId('h', Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses with a 400 on query.cursor what this list could not have written: garbage, an id of another kind, a key that does not fit', () => {
    const cases = [
      () => queryCursor('not-a-cursor', 'uuid', anyKey),
      () => queryCursor(encodeKeyCursor({ key: 'a', id: 'r0000000000000000042' }), 'uuid', anyKey),
      () => queryCursor(`${encodeKeyCursor({ key: 'a', id: ID })}==`, 'uuid', anyKey),
      () => queryCursor(Buffer.from(`[ "a", "${ID}" ]`).toString('base64url'), 'uuid', anyKey),
      () => queryCursor(encodeKeyCursor({ key: 'a\ud800', id: ID }), 'uuid', anyKey),
      () => queryCursor(encodeKeyCursor({ key: 'inbox', id: 'd9999999999999999999' }), serials('d'), anyKey),
      () => queryCursor(encodeKeyCursor({ key: 'outbox', id: 'd0000000000000000042' }), serials('d'), (key) => key === 'inbox'),
      () => queryCursor(encodeKeyCursor({ key: 'inbox', id: 'h0000000000000000042' }), serials('d'), anyKey),
      () => queryCursor(encodeKeyCursor({ key: 'inbox', id: 'd0000000000000000042' }), serials('hn'), anyKey),
    ];
    for (const f of cases) {
      expect(f).toThrow(Problem);
      expect(f).toThrow(expect.objectContaining({ status: 400, errors: [{ field: 'query.cursor', message: 'not a cursor from this list' }] }));
    }
  });
});

describe('isInstantKey', () => {
  it('takes what Date#toISOString writes, and no other form nor a date that does not exist', () => {
    expect(isInstantKey(new Date(Date.UTC(2026, 11, 2, 6, 5, 4, 321)).toISOString())).toBe(true);
    expect(isInstantKey('2026-12-02T06:05:04Z')).toBe(false);
    expect(isInstantKey('2026-12-02')).toBe(false);
    expect(isInstantKey('2026-13-02T06:05:04.321Z')).toBe(false);
    expect(isInstantKey('2026-02-30T06:05:04.321Z')).toBe(false);
    expect(isInstantKey('2026-01-01T24:00:00.000Z')).toBe(false);
    expect(isInstantKey('0000-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('queryInstantCursor', () => {
  it('reads the instant and id of a cursor a time-ordered list wrote, and refuses a day that does not exist', () => {
    const at = new Date(Date.UTC(2026, 1, 28, 6, 5, 4, 321));
    expect(queryInstantCursor(encodeKeyCursor({ key: at.toISOString(), id: ID }), 'uuid')).toEqual({ at, id: ID });
    expect(queryInstantCursor('', 'uuid')).toBeUndefined();
    expect(() => queryInstantCursor(encodeKeyCursor({ key: '2026-02-30T06:05:04.321Z', id: ID }), 'uuid')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('pageAnswer', () => {
  const rows = [1, 2, 3].map((n) => ({ n, id: ID }));
  const cursorOf = (r: { n: number; id: string }) => ({ key: String(r.n), id: r.id });

  it('shows a page of the rows and names the cursor after its last when one more row was fetched', () => {
    const answer = pageAnswer(rows, 2, cursorOf, (r) => `#${r.n}`);
    expect(answer).toEqual({ items: ['#1', '#2'], nextCursor: encodeKeyCursor({ key: '2', id: ID }) });
  });

  it('names no cursor on the last page', () => {
    expect(pageAnswer(rows, 3, cursorOf, (r) => r.n)).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(pageAnswer([], 3, cursorOf, (r) => r.n)).toEqual({ items: [], nextCursor: null });
  });
});
