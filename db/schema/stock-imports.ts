/**
 * Bulk import of a bureau's stock of hazards (存量隐患) from a spreadsheet: a batch per uploaded
 * file (who, when, the file's SHA-256, the dry run's counts, the import's progress), its rows as
 * validated, and the natural key of every imported row, unique across all batches, which makes a
 * re-run of the same file add nothing.
 */
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';

/** judging: the file is stored and its rows are being judged behind the upload; failed: it could not be read through. */
export const STOCK_IMPORT_STATUSES = ['judging', 'failed', 'validated', 'importing', 'done'] as const;

/** Why a file could not be judged (the page shows it in words): a code and what was found. */
export interface StockJudgingFailure {
  code: 'sheet-too-large' | 'sheet-too-many-rows' | 'sheet-missing-columns' | 'sheet-empty' | 'sheet-unreadable' | 'sheet-file-missing';
  message: string;
  /** The template's columns the header row lacks (sheet-missing-columns). */
  columns?: string[];
}

export const stockImports = pgTable(
  'stock_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileFormat: text('file_format', { enum: ['xlsx', 'csv'] }).notNull(),
    /** The importer's jurisdiction: every row was checked against it, and only admins over it see the batch. */
    regionPath: text('region_path').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    status: text('status', { enum: STOCK_IMPORT_STATUSES }).notNull().default('validated'),
    rowsTotal: integer('rows_total').notNull().default(0),
    rowsValid: integer('rows_valid').notNull().default(0),
    /** Rows that would add nothing (already imported, or the same hazard already on record). */
    rowsDuplicate: integer('rows_duplicate').notNull().default(0),
    rowsInvalid: integer('rows_invalid').notNull().default(0),
    /** The valid rows still open (their workflows start after the import). */
    rowsOpen: integer('rows_open').notNull().default(0),
    committedBy: text('committed_by'),
    committedAt: instant('committed_at'),
    /** Rows taken by the import so far, hazards it created (others were there already), workflows started. */
    rowsDone: integer('rows_done').notNull().default(0),
    hazardsCreated: integer('hazards_created').notNull().default(0),
    workflowsStarted: integer('workflows_started').notNull().default(0),
    progressAt: instant('progress_at'),
    finishedAt: instant('finished_at'),
    /** The stored file's size, and how much of it the judging has read (its progress while judging). */
    fileBytes: bigint('file_bytes', { mode: 'number' }).notNull().default(0),
    bytesJudged: bigint('bytes_judged', { mode: 'number' }).notNull().default(0),
    judgingStartedAt: instant('judging_started_at'),
    /** The last page of rows judged (or the judging's end). */
    judgedAt: instant('judged_at'),
    failure: jsonb('failure').$type<StockJudgingFailure>(),
  },
  (t) => [index('stock_imports_region_idx').using('btree', t.regionPath.op('text_pattern_ops'), t.createdAt)],
);

/** One row of the file as validated: its cells as read, its problems per column, what it became. */
export const stockImportRows = pgTable(
  'stock_import_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => stockImports.id),
    /** The row's number in the sheet (the header is row 1). */
    rowNo: integer('row_no').notNull(),
    cells: jsonb('cells').$type<Record<string, string>>().notNull(),
    problems: jsonb('problems').$type<Array<{ column: string; code: string; detail?: string }>>().notNull(),
    /** valid, duplicate (would add nothing) or invalid; after the import: imported or skipped. */
    verdict: text('verdict', { enum: ['valid', 'duplicate', 'invalid', 'imported', 'skipped'] }).notNull(),
    naturalKey: text('natural_key'),
    /** What a valid row imports as (enterprise id, supervisor's user name, dates, grade…). */
    parsed: jsonb('parsed'),
    hazardId: uuid('hazard_id'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNo] }), index('stock_import_rows_verdict_idx').on(t.importId, t.verdict, t.rowNo)],
);

/** The natural key (enterprise, title, found date) of every hazard brought in by an import. */
export const stockHazardKeys = pgTable('stock_hazard_keys', {
  naturalKey: text('natural_key').primaryKey(),
  hazardId: uuid('hazard_id').notNull(),
  importId: uuid('import_id')
    .notNull()
    .references(() => stockImports.id),
  rowNo: integer('row_no').notNull(),
});
