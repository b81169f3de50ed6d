/**
 * The records of stock imports: a batch and its validated rows, and the lookups a dry run makes
 * for a page of rows at once (enterprises, supervisors, categories, what was imported or
 * registered before), so 100,000 rows cost a few hundred queries, not a few per row.
 */
import { and, asc, desc, eq, gt, inArray, like, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { recordAdminChange } from './admin-audit';
import { enterprises, hazards, regions, stockHazardKeys, stockImportRows, stockImports, users } from './schema';
import type { StockJudgingFailure } from './schema';
import { prefixPattern } from './hazard-queries';
import { STANDARD_CATEGORIES, stockNaturalKey, type KnownEnterprise, type KnownSupervisor, type StockLookups } from '../domain/stock-import';

export type StockImportRow = typeof stockImports.$inferSelect;
export type StockImportLine = typeof stockImportRows.$inferSelect;

/** Categories already asked about in one dry run: a category is looked up once per file. */
export class CategoryCache {
  private readonly known = new Set<string>(STANDARD_CATEGORIES);
  private readonly asked = new Set<string>(STANDARD_CATEGORIES);

  async resolve(db: Database, categories: Iterable<string>): Promise<ReadonlySet<string>> {
    const fresh = [...new Set(categories)].filter((c) => c && !this.asked.has(c));
    if (fresh.length) {
      const rows = await db.selectDistinct({ category: hazards.category }).from(hazards).where(inArray(hazards.category, fresh));
      for (const c of fresh) this.asked.add(c);
      for (const r of rows) this.known.add(r.category);
    }
    return this.known;
  }
}

/** The enterprises and supervisors a page of rows names, by credit code, name and user name. */
export async function stockLookups(
  db: Database,
  names: { creditCodes: string[]; enterpriseNames: string[]; supervisors: string[]; categories: string[] },
  categories: CategoryCache,
): Promise<StockLookups> {
  const codes = [...new Set(names.creditCodes)];
  const enterpriseNames = [...new Set(names.enterpriseNames)];
  const people = [...new Set(names.supervisors)];
  const [found, staff, known] = await Promise.all([
    codes.length || enterpriseNames.length
      ? db
          .select({ id: enterprises.id, name: enterprises.name, creditCode: enterprises.creditCode, regionPath: enterprises.regionPath })
          .from(enterprises)
          .where(or(codes.length ? inArray(enterprises.creditCode, codes) : sql`false`, enterpriseNames.length ? inArray(enterprises.name, enterpriseNames) : sql`false`))
      : Promise.resolve([] as KnownEnterprise[]),
    people.length
      ? db
          .select({ username: users.username, displayName: users.displayName, regionPath: regions.path })
          .from(users)
          .innerJoin(regions, eq(regions.id, users.regionId))
          .where(and(eq(users.role, 'supervisor'), eq(users.active, true), eq(users.kind, 'person'), or(inArray(users.username, people), inArray(users.displayName, people))))
      : Promise.resolve([] as KnownSupervisor[]),
    categories.resolve(db, names.categories),
  ]);
  const byCode = new Map<string, KnownEnterprise>();
  const byName = new Map<string, KnownEnterprise[]>();
  for (const e of found) {
    if (e.creditCode) byCode.set(e.creditCode, e);
    byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  }
  const byLogin = new Map<string, KnownSupervisor>();
  const bySupervisorName = new Map<string, KnownSupervisor[]>();
  for (const s of staff) {
    byLogin.set(s.username, s);
    bySupervisorName.set(s.displayName, [...(bySupervisorName.get(s.displayName) ?? []), s]);
  }
  return { enterprisesByCode: byCode, enterprisesByName: byName, supervisorsByLogin: byLogin, supervisorsByName: bySupervisorName, categories: known };
}

/** Of these natural keys, those an import has already brought in. */
export async function importedKeys(db: Database, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await db.select({ key: stockHazardKeys.naturalKey }).from(stockHazardKeys).where(inArray(stockHazardKeys.naturalKey, keys));
  return new Set(rows.map((r) => r.key));
}

/** Of these rows, the natural keys of hazards already on record (same enterprise, title and found day). */
export async function registeredKeys(db: Database, rows: Array<{ enterpriseId: string; title: string }>): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const ids = [...new Set(rows.map((r) => r.enterpriseId))];
  const titles = [...new Set(rows.map((r) => r.title))];
  const found = await db
    .select({ enterpriseId: hazards.enterpriseId, title: hazards.title, day: sql<string>`to_char(${hazards.createdAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')` })
    .from(hazards)
    .where(and(inArray(hazards.enterpriseId, ids), inArray(hazards.title, titles)));
  return new Set(found.map((r) => stockNaturalKey(r.enterpriseId, r.title, r.day)));
}

/** A batch for a file just stored: its rows are judged behind the upload (status judging). */
export async function createStockImport(
  db: Database,
  v: { fileName: string; fileFormat: 'xlsx' | 'csv'; regionPath: string; createdBy: string; fileSha256: string; fileBytes: number; createdAt?: Date },
): Promise<StockImportRow> {
  const [row] = await db.insert(stockImports).values({ ...v, status: 'judging' }).returning();
  return row!;
}

/** A batch by id, whoever asks (the worker judging it). */
export async function stockImportById(db: Database, id: string): Promise<StockImportRow | null> {
  const [row] = await db.select().from(stockImports).where(eq(stockImports.id, id));
  return row ?? null;
}

/** The judging (re)begins: when it first began stays, for its rate. */
export async function beginJudging(db: Database, id: string, at: Date): Promise<void> {
  await db.update(stockImports).set({ judgingStartedAt: sql`coalesce(${stockImports.judgingStartedAt}, ${at.toISOString()}::timestamptz)` }).where(eq(stockImports.id, id));
}

/**
 * Where an interrupted judging stands: the last row on record and, for each natural key judged,
 * the first row that had it (rows repeated within the file are found across the interruption).
 */
export async function judgedSoFar(db: Database, id: string): Promise<{ lastRow: number; seen: Map<string, number> }> {
  const [last] = await db.select({ n: sql<number | null>`max(${stockImportRows.rowNo})` }).from(stockImportRows).where(eq(stockImportRows.importId, id));
  const keys = await db
    .select({ key: stockImportRows.naturalKey, first: sql<number>`min(${stockImportRows.rowNo})` })
    .from(stockImportRows)
    .where(and(eq(stockImportRows.importId, id), sql`${stockImportRows.naturalKey} is not null`))
    .groupBy(stockImportRows.naturalKey);
  return { lastRow: Number(last?.n ?? 0), seen: new Map(keys.map((k) => [k.key!, Number(k.first)])) };
}

export type StockCounts = { rowsTotal: number; rowsValid: number; rowsDuplicate: number; rowsInvalid: number; rowsOpen: number };

/** Another attempt judged this batch further meanwhile: this one stops and a retry resumes from the record. */
export class JudgedElsewhere extends Error {}

/**
 * A page of judged rows and the totals they bring the batch to, in one transaction: an
 * interruption leaves whole pages only. The totals move only from those this attempt read
 * (`before`), so two attempts never both record the same rows.
 */
export async function recordJudgedPage(db: Database, id: string, rows: NewStockImportLine[], before: StockCounts, after: StockCounts, progress: { bytesJudged: number; at: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(stockImports)
      .set({ ...after, bytesJudged: progress.bytesJudged, judgedAt: progress.at })
      .where(and(eq(stockImports.id, id), eq(stockImports.status, 'judging'), eq(stockImports.rowsTotal, before.rowsTotal)))
      .returning({ id: stockImports.id });
    if (!moved.length) throw new JudgedElsewhere(`stock import ${id} was judged past row count ${before.rowsTotal} meanwhile`);
    if (rows.length) await tx.insert(stockImportRows).values(rows);
  });
}

export type NewStockImportLine = typeof stockImportRows.$inferInsert;

/** The judging's totals and its record on the administrative chain, together; a batch already judged is answered as it is. */
export async function finishValidation(db: Database, id: string, v: StockCounts, at: Date): Promise<StockImportRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(stockImports)
      .set({ ...v, status: 'validated', bytesJudged: sql`${stockImports.fileBytes}`, judgedAt: at })
      .where(and(eq(stockImports.id, id), eq(stockImports.status, 'judging')))
      .returning();
    if (!row) return (await tx.select().from(stockImports).where(eq(stockImports.id, id)))[0]!;
    await recordAdminChange(tx, { actor: row.createdBy, action: 'stock_import.validated', subjectType: 'stock_import', subjectId: id, data: { fileName: row.fileName, fileSha256: row.fileSha256, ...v } });
    return row;
  });
}

/** A file that could not be judged through: its rows go, the batch stays with the reason, on the record. */
export async function failJudging(db: Database, id: string, failure: StockJudgingFailure, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(stockImports)
      .set({ status: 'failed', failure, judgedAt: at, rowsTotal: 0, rowsValid: 0, rowsDuplicate: 0, rowsInvalid: 0, rowsOpen: 0 })
      .where(and(eq(stockImports.id, id), eq(stockImports.status, 'judging')))
      .returning();
    if (!row) return;
    await tx.delete(stockImportRows).where(eq(stockImportRows.importId, id));
    await recordAdminChange(tx, { actor: row.createdBy, action: 'stock_import.failed', subjectType: 'stock_import', subjectId: id, data: { fileName: row.fileName, fileSha256: row.fileSha256, code: failure.code } });
  });
}

/** A batch whose judging could not be started (nobody was answered with it): gone without trace. */
export async function dropStockImport(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(stockImportRows).where(eq(stockImportRows.importId, id));
    await tx.delete(stockImports).where(and(eq(stockImports.id, id), eq(stockImports.status, 'judging')));
  });
}

/** A batch within the reach of `regionPath` (the batch was made for that region or below). */
export async function findStockImport(db: Database, regionPath: string, id: string): Promise<StockImportRow | null> {
  const [row] = await db.select().from(stockImports).where(and(eq(stockImports.id, id), like(stockImports.regionPath, prefixPattern(regionPath))));
  return row ?? null;
}

export async function listStockImports(db: Database, regionPath: string, limit: number): Promise<StockImportRow[]> {
  return db.select().from(stockImports).where(like(stockImports.regionPath, prefixPattern(regionPath))).orderBy(desc(stockImports.createdAt)).limit(limit);
}

export type LineFilter = 'problems' | 'all';

/** A page of a batch's rows by row number: every row, or those with a problem (invalid or duplicate). */
export async function stockImportLines(db: Database, id: string, filter: LineFilter, after: number, limit: number): Promise<StockImportLine[]> {
  const which = filter === 'problems' ? sql`jsonb_array_length(${stockImportRows.problems}) > 0` : sql`true`;
  return db
    .select()
    .from(stockImportRows)
    .where(and(eq(stockImportRows.importId, id), gt(stockImportRows.rowNo, after), which))
    .orderBy(asc(stockImportRows.rowNo))
    .limit(limit);
}

/** Marks a validated batch as being imported, once: false when it already was. */
export async function markImporting(db: Database, id: string, by: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx
      .update(stockImports)
      .set({ status: 'importing', committedBy: by, committedAt: at })
      .where(and(eq(stockImports.id, id), eq(stockImports.status, 'validated')))
      .returning({ id: stockImports.id, fileName: stockImports.fileName, fileSha256: stockImports.fileSha256, rowsValid: stockImports.rowsValid });
    if (!done.length) return false;
    await recordAdminChange(tx, { actor: by, action: 'stock_import.started', subjectType: 'stock_import', subjectId: id, data: { fileName: done[0]!.fileName, fileSha256: done[0]!.fileSha256, rowsValid: done[0]!.rowsValid } });
    return true;
  });
}

/** An import whose workflow could not be started goes back to waiting for confirmation, on the record. */
export async function unmarkImporting(db: Database, id: string, by: string): Promise<void> {
  await db.transaction(async (tx) => {
    const undone = await tx
      .update(stockImports)
      .set({ status: 'validated', committedBy: null, committedAt: null })
      .where(and(eq(stockImports.id, id), eq(stockImports.status, 'importing'), eq(stockImports.rowsDone, 0)))
      .returning({ id: stockImports.id });
    if (undone.length) await recordAdminChange(tx, { actor: by, action: 'stock_import.not_started', subjectType: 'stock_import', subjectId: id, data: {} });
  });
}
