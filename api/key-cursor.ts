/**
 * Cursors for lists ordered by a text key with the id as tie-breaker: opaque to clients, and
 * stable while rows are added (keyset pagination, never offsets).
 */
export interface KeyCursor {
  key: string;
  id: string;
}

export function encodeKeyCursor(c: KeyCursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');
}

export function decodeKeyCursor(raw: string): KeyCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && value[1].length <= 64) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // not a cursor of ours
  }
  return null;
}

/** One page of `rows` fetched with limit + 1: the items and the cursor after the last, if more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => KeyCursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeyCursor(cursorOf(last)) : null };
}
