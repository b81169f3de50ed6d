/**
 * Cursors for lists ordered by a text key with the id as tie-breaker: opaque to clients, and
 * stable while rows are added (keyset pagination, never offsets).
 */
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
const SERIAL_ID = /^[a-z]\d{19}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The cursor, or null when it is not one this API could have written: ids of the list's own
 * kind (`uuid`, a region id, or a tagged serial) and keys without control characters, so nothing forged reaches
 * the database.
 */
export function decodeKeyCursor(raw: string, idKind: 'uuid' | 'region' | 'serial'): KeyCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [key, id] = value;
    if (typeof key !== 'string' || typeof id !== 'string' || key.length > 300 || CONTROL.test(key)) return null;
    return { uuid: UUID, region: REGION_ID, serial: SERIAL_ID }[idKind].test(id) ? { key, id } : null;
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

/**
 * The `cursor` of a list's query: none (absent or empty: the first page), or the cursor this
 * list wrote (ids of its kind, a key `keyFits`); anything else is a 400 naming it.
 */
export function queryCursor(raw: string | undefined, idKind: 'uuid' | 'region' | 'serial', keyFits: (key: string) => boolean = () => true): KeyCursor | undefined {
  if (!raw) return undefined;
  const cursor = decodeKeyCursor(raw, idKind);
  if (!cursor || !keyFits(cursor.key)) throw problems.invalid([{ field: 'query.cursor', message: 'not a cursor from this list' }]);
  return cursor;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A key as Date#toISOString writes it, naming a real instant (lists ordered by a time). */
export const isInstantKey = (key: string): boolean => ISO_INSTANT.test(key) && !Number.isNaN(Date.parse(key));

/** The answer for one page of `rows` fetched with limit + 1: its items as `toItem` shows them, and the cursor after the last, if more. */
export function pageAnswer<T, U>(rows: T[], limit: number, cursorOf: (row: T) => KeyCursor, toItem: (row: T) => U): { items: U[]; nextCursor: string | null } {
  const page = pageOf(rows, limit, cursorOf);
  return { items: page.items.map(toItem), nextCursor: page.nextCursor };
}
