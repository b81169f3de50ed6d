/**
 * Cursors for lists ordered by a text key with the id as tie-breaker: opaque to clients, and
 * stable while rows are added (keyset pagination, never offsets).
 */
import { instantOfIso } from '../domain/iso-instant';
import { problems } from './problem';

export interface KeyCursor {
  key: string;
  id: string;
}

export function encodeKeyCursor(c: KeyCursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION_ID = /^[A-Za-z0-9-]{1,40}$/;
/** A row of one of several tables: a letter naming the table, then its serial id zero-padded. */
const SERIAL_ID = /^([a-z])(\d{19})$/;
/** Control characters, or half of a surrogate pair: never in a key this API wrote. */
const UNWRITTEN = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The ids a list writes in its cursors: uuids, region ids, or serials tagged with the letter of
 * one of the tables the list reads (`serials('hn')`): a serial of another table is no row of it.
 */
export type IdKind = 'uuid' | 'region' | { serial: string };

/** Serial ids of the tables named by these letters, one letter a table. */
export const serials = (letters: string): IdKind => ({ serial: letters });

/** The serial `id` of the table named `letter`, as a cursor carries it. */
export const serialCursorId = (letter: string, id: number): string => `${letter}${String(id).padStart(19, '0')}`;

/** The number of a serial cursor id that decodeKeyCursor took (it checked the letter and the size). */
export const serialOfCursorId = (id: string): number => Number(id.slice(1));

function idFits(kind: IdKind, id: string): boolean {
  if (kind === 'uuid') return UUID.test(id);
  if (kind === 'region') return REGION_ID.test(id);
  const m = SERIAL_ID.exec(id);
  // Serial ids are read back as numbers: past the safe integers they are no row's.
  return m !== null && kind.serial.includes(m[1]!) && Number(m[2]) <= Number.MAX_SAFE_INTEGER;
}

/**
 * The cursor, or null when it is not one this API could have written: exactly as
 * encodeKeyCursor writes it (no other spacing, padding or alphabet), ids of the list's own kind
 * (`uuid`, a region id, or a serial tagged with one of the list's letters) and keys without control characters or unpaired
 * surrogates, so nothing forged reaches the database.
 */
export function decodeKeyCursor(raw: string, idKind: IdKind): KeyCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [key, id] = value;
    if (typeof key !== 'string' || typeof id !== 'string' || key.length > 300 || UNWRITTEN.test(key) || !idFits(idKind, id)) return null;
    return encodeKeyCursor({ key, id }) === raw ? { key, id } : null;
  } catch {
    return null;
  }
}

/** One page of `rows` fetched with limit + 1: the items and the cursor after the last, if more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => KeyCursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeyCursor(cursorOf(last)) : null };
}

const notOurs = () => problems.invalid([{ field: 'query.cursor', message: 'not a cursor from this list' }]);

/**
 * The `cursor` of a list's query read by the list's own `decode`: none (absent or empty: the
 * first page), or what `decode` makes of it; a cursor it cannot read (null) is a 400 naming it.
 */
export function queryCursorOf<T>(raw: string | undefined, decode: (raw: string) => T | null): T | undefined {
  if (!raw) return undefined;
  const cursor = decode(raw);
  if (cursor === null) throw notOurs();
  return cursor;
}

/**
 * The `cursor` of a list ordered by a text key: none (absent or empty: the first page), or the
 * cursor this list wrote (ids of its kind, a key `keyFits`: every list says which keys it writes);
 * anything else is a 400 naming it.
 */
export function queryCursor(raw: string | undefined, idKind: IdKind, keyFits: (key: string) => boolean): KeyCursor | undefined {
  return queryCursorOf(raw, (text) => {
    const cursor = decodeKeyCursor(text, idKind);
    return cursor && keyFits(cursor.key) ? cursor : null;
  });
}

/** Any key: lists ordered by a name or a path, which may be any text. */
export const anyKey = (_key: string): boolean => true;

/** A key as Date#toISOString writes it, naming a real instant (lists ordered by a time). */
export const isInstantKey = (key: string): boolean => instantOfIso(key) !== null;

/**
 * The `cursor` of a list ordered by a time, read as that instant and the id after which the
 * page starts; a key that is no real instant (month 13, February 30th, year 0) is a 400 like
 * any other forged cursor.
 */
export function queryInstantCursor(raw: string | undefined, idKind: IdKind): { at: Date; id: string } | undefined {
  return queryCursorOf(raw, (text) => {
    const cursor = decodeKeyCursor(text, idKind);
    const at = cursor && instantOfIso(cursor.key);
    return cursor && at ? { at, id: cursor.id } : null;
  });
}

/** The answer for one page of `rows` fetched with limit + 1: its items as `toItem` shows them, and the cursor after the last, if more. */
export function pageAnswer<T, U>(rows: T[], limit: number, cursorOf: (row: T) => KeyCursor, toItem: (row: T) => U): { items: U[]; nextCursor: string | null } {
  const page = pageOf(rows, limit, cursorOf);
  return { items: page.items.map(toItem), nextCursor: page.nextCursor };
}
