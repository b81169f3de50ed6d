/**
 * A list's total travelling with its cursor: the first page counts (or reads the figures), and
 * every cursor after it carries that total, so no later page counts the scope again. The total
 * is sealed with an HMAC over the person, the list and its filters: a cursor whose total was
 * altered, or that is used with other filters or by someone else, still pages (its position is
 * checked as every cursor is) but its total is counted anew, never shown. A total only labels the
 * list; it gives no access to any row.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../auth/principal';
import type { ListTotal } from '../db/list-count';
import { problems } from './problem';

/** What a page answers about its total. */
export interface TotalAnswer {
  total: number;
  totalAtLeast: boolean;
  /** Counted row by row (up to the cap), or read from the leaders' kept figures. */
  totalFrom: 'count' | 'figures';
  /** The moment the total describes when it came with the cursor from the first page; null for this page's own (counted or read from the figures with what was written since their fold). */
  totalAsOf: string | null;
}

export function totalAnswer(t: ListTotal): TotalAnswer {
  return { total: t.total, totalAtLeast: t.totalAtLeast, totalFrom: t.from, totalAsOf: t.carried ? t.asOf.toISOString() : null };
}

/** The list, the person and the filters a total was worked out for: the cursor's total is theirs only. */
export function totalContext(list: string, p: Principal, filters: Record<string, unknown>): string {
  const { cursor: _cursor, limit: _limit, ...rest } = filters;
  const kept = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([list, p.userId, kept]);
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** total|more|from|asOf: what a cursor carries, and nothing else. */
const CARRIED = /^(\d{1,9})\|([01])\|([cf])\|(\d{1,15})$/;
const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;

const notOurs = () => problems.invalid([{ field: 'query.cursor', message: 'not a cursor from this list' }]);

/**
 * Seals totals into cursors and opens them again, keyed from the API's token secret (read on the
 * first page served: a route table is built without one to list its routes).
 */
export function totalCarrier(secret: () => Uint8Array) {
  let key: Buffer | undefined;
  const sign = (text: string, context: string) => {
    key ??= createHmac('sha256', secret()).update('duban list totals').digest();
    return createHmac('sha256', key).update(`${text}\n${context}`).digest().subarray(0, 16);
  };

  /** The cursor `position` (as the list wrote it) with `total` sealed for `context`. */
  function seal(position: string, total: ListTotal, context: string): string {
    const text = `${total.total}|${total.totalAtLeast ? 1 : 0}|${total.from === 'figures' ? 'f' : 'c'}|${total.asOf.getTime()}`;
    return `${position}.${b64(text)}.${sign(text, context).toString('base64url')}`;
  }

  /**
   * The position part of `raw` and the total it carries for `context`: none when it carries none
   * or its seal does not hold. A carried part not exactly as `seal` writes it is a 400.
   */
  function open(raw: string | undefined, context: string): { position: string | undefined; carried: ListTotal | undefined } {
    if (!raw) return { position: raw, carried: undefined };
    const parts = raw.split('.');
    if (parts.length === 1) return { position: raw, carried: undefined };
    const [position, textPart, signature] = parts;
    if (parts.length !== 3 || !position || !textPart || !signature || !SIGNATURE.test(signature)) throw notOurs();
    const text = Buffer.from(textPart, 'base64url').toString('utf8');
    const m = CARRIED.exec(text);
    if (!m || b64(text) !== textPart) throw notOurs();
    const expected = sign(text, context);
    if (!timingSafeEqual(expected, Buffer.from(signature, 'base64url'))) return { position, carried: undefined };
    const asOf = new Date(Number(m[4]));
    return { position, carried: { total: Number(m[1]), totalAtLeast: m[2] === '1', from: m[3] === 'f' ? 'figures' : 'count', asOf, carried: true } };
  }

  return { seal, open };
}

export type TotalCarrier = ReturnType<typeof totalCarrier>;
