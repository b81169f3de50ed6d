/**
 * The path every ledger export takes: count what matches (no further than the limit + 1), refuse
 * past the limit before a byte of the workbook is sent, record in the audit trail who exported
 * what (the ledger leaves the system), then stream the workbook.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { SQL } from 'drizzle-orm';
import type { Principal } from '../../auth/principal';
import { recordAdminChange } from '../../db/admin-audit';
import type { Database } from '../../db/client';
import { PeopleNames } from '../../db/ledger-reads';
import { countUpTo } from '../../db/list-count';
import type { Logger } from '../../logger';
import type { Response } from 'express';
import type { AppDeps } from '../app';
import { Problem } from '../problem';
import type { ResponseSpec } from '../route-spec';
import { streamLedger, XLSX_TYPE, type Bilingual, type Lang, type LedgerColumn } from './sheet';

/** The most rows one ledger export holds unless configured (EXPORT_ROW_LIMIT). */
export const DEFAULT_EXPORT_ROW_LIMIT = 200_000;
/** Rows read per page while streaming. */
export const LEDGER_PAGE_ROWS = 1_000;

export interface LedgerExport<R> {
  /** Which ledger, as the audit trail and the file name say it: `hazards`, `notices`, … */
  ledger: string;
  title: Bilingual;
  lang: Lang;
  columns: readonly LedgerColumn<R>[];
  /** The filters as written in the header rows, and as sent (for the audit trail). */
  filters: Array<[string, string]>;
  query: Record<string, unknown>;
  /** What to count before streaming: the list's own table and conditions (reach and filters). */
  count: { table: PgTable; where: (SQL | undefined)[] } | { rows: number };
  /** The rows, a page at a time, opened once the count is within the limit. */
  pages: () => AsyncIterator<R[]>;
}

export interface ExportContext {
  db: Database;
  log: Logger;
  clock: () => number;
  rowLimit: number;
}

export function tooManyRows(limit: number): Problem {
  return new Problem(
    422,
    'export-too-large',
    'Too many rows to export',
    `more than ${limit} rows match: narrow the filters (for example a region, a status or a date range) and export again`,
    [{ field: 'query', message: `more than ${limit} rows match`, limit: { name: 'export.rowLimit', value: limit } }],
    {},
    { rowLimit: limit },
  );
}

export async function exportLedger<R>(ctx: ExportContext, res: Response, principal: Principal, spec: LedgerExport<R>): Promise<void> {
  const { db, log, clock, rowLimit } = ctx;
  const rows = 'rows' in spec.count ? spec.count.rows : await countUpTo(db, spec.count.table, spec.count.where, rowLimit + 1);
  if (rows > rowLimit) throw tooManyRows(rowLimit);
  const now = clock();
  const me = new PeopleNames(db);
  await me.learn([principal.username]);
  // Recorded before the first byte leaves: an export the client abandons was still asked for.
  await db.transaction((tx) =>
    recordAdminChange(tx, {
      actor: principal.username,
      action: 'ledger.exported',
      subjectType: 'ledger',
      subjectId: spec.ledger,
      data: { query: spec.query, rows, lang: spec.lang, reach: principal.role === 'enterprise' ? { enterpriseId: principal.enterpriseId } : { regionPath: principal.regionPath } },
    }),
  );
  const result = await streamLedger(
    res,
    { title: spec.title, fileStem: spec.ledger, filters: spec.filters, exportedBy: me.ofUsername(principal.username), exportedAt: now, rows, lang: spec.lang },
    spec.columns,
    spec.pages(),
    log,
  );
  log.info({ ledger: spec.ledger, user: principal.username, rows: result.rows, complete: result.complete }, 'ledger exported');
}

const workbook = z.string().meta({ format: 'binary', description: 'an Office Open XML workbook (.xlsx)' });

/** What every export answers: the workbook, or a refusal past the row limit. */
export function ledgerResponses(what: string): Record<number, ResponseSpec> {
  return {
    200: { description: `${what} as an .xlsx workbook (header rows: title, time of export in Asia/Shanghai, exporter, row count, filters; then the frozen column titles); X-Ledger-Rows says how many rows`, contentType: XLSX_TYPE, schema: workbook },
    422: { description: 'more rows match than one export may hold (EXPORT_ROW_LIMIT): narrow the filters; nothing is streamed' },
  };
}

export function exportContext({ db, log, clock, exportRowLimit }: AppDeps): ExportContext {
  return { db, log, clock, rowLimit: exportRowLimit ?? DEFAULT_EXPORT_ROW_LIMIT };
}
