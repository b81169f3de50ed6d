/**
 * A notice list's total read from figure_notices (notices by node, status and ladder level, kept
 * by the fold from the notices' triggers) instead of counted, where the list's filter is one it
 * holds: a region's subtree, a status, open or closed, a ladder level.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { ListTotal } from '../list-count';
import type { NoticeFilter } from '../notice-queries';
import { keptSumStatement, keptTotal } from './kept-total';

const HELD = new Set<keyof NoticeFilter>(['status', 'open', 'ladderLevel', 'regionPath']);

/** The statement summing figure_notices under `nodePath` for the filter; null when it does not hold it. */
export function noticeTotalStatement(nodePath: string, f: NoticeFilter): SQL | null {
  const set = (Object.keys(f) as Array<keyof NoticeFilter>).filter((k) => f[k] !== undefined);
  if (!set.every((k) => HELD.has(k))) return null;
  // As the list's conditions (db/notice-queries.ts noticeConditions) mean them.
  const where: SQL[] = [];
  if (f.status) where.push(sql`status = ${f.status}`);
  if (f.open !== undefined) where.push(f.open ? sql`status <> 'closed'` : sql`status = 'closed'`);
  if (f.ladderLevel !== undefined) where.push(sql`status <> 'closed' and ladder_level = ${f.ladderLevel}`);
  return keptSumStatement(sql`figure_notices`, nodePath, where, ['notice']);
}

/** The notice list's total from the figures as of their last fold, or null: counted instead. */
export function keptNoticeTotal(db: Database, nodePath: string, f: NoticeFilter, now: Date): Promise<ListTotal | null> {
  return keptTotal(db, noticeTotalStatement(nodePath, f), now);
}
