/**
 * Ledger fixtures: copies of a hazard registered through the API, made in one INSERT … SELECT
 * over generate_series, so tens of thousands of rows exist in a second (the read model only;
 * no workflows behind the copies, which an export never asks for).
 */
import { getTableColumns, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Database } from '../../db/client';
import { hazards } from '../../db/schema';

/** Inserts `count` copies of hazard `templateId`, titled by `title(n)` in SQL (`n` the series), each a second older than the last. */
export async function copyHazard(db: Database, templateId: string, count: number, titleSql = sql`h.title || ' #' || n`): Promise<void> {
  const columns = Object.values(getTableColumns(hazards)).map((c) => c.name);
  const copied = columns.filter((c) => !['id', 'workflow_id', 'title', 'created_at'].includes(c));
  const list = sql.raw(copied.map((c) => `"${c}"`).join(', '));
  const from = sql.raw(copied.map((c) => `h."${c}"`).join(', '));
  await db.execute(sql`
    insert into hazards (id, workflow_id, title, created_at, ${list})
    select g.id, 'hazard-' || g.id, ${titleSql}, h.created_at - make_interval(secs => n), ${from}
    from hazards h, (select gen_random_uuid() as id, n from generate_series(1, ${count}::int) n) g
    where h.id = ${templateId}`);
}

/** Reads a workbook's bytes back as a spreadsheet program would. */
export async function readWorkbook(bytes: ArrayBuffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  return book.worksheets[0]!;
}

/** The values of a sheet's row, from column A. */
export function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  const values = sheet.getRow(n).values as unknown[];
  return values.slice(1);
}

/** The row number holding `text` in column A, or -1. */
export function rowOf(sheet: ExcelJS.Worksheet, text: string): number {
  for (let n = 1; n <= sheet.rowCount; n++) if (sheet.getRow(n).getCell(1).value === text) return n;
  return -1;
}
