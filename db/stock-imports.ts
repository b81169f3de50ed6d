/**
 * The records of stock imports: a batch and its validated rows, and the lookups a dry run makes
 * for a page of rows at once (enterprises, supervisors, categories, what was imported or
 * registered before), so 100,000 rows cost a few hundred queries, not a few per row.
 */
import { and, asc, desc, eq, gt, inArray, like, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { recordAdminChange } from './admin-audit';
import { enterprises, hazards, regions, stockHazardKeys, stockImportRows, stockImports, users } from './schema';
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

export async function createStockImport(db: Database, v: { fileName: string; fileFormat: 'xlsx' | 'csv'; regionPath: string; createdBy: string }): Promise<string> {
  const [row] = await db.insert(stockImports).values({ ...v, fileSha256: '' }).returning({ id: stockImports.id });
  return row!.id;
}

export type NewStockImportLine = typeof stockImportRows.$inferInsert;

export async function appendStockImportRows(db: Database, rows: NewStockImportLine[]): Promise<void> {
  if (rows.length) await db.insert(stockImportRows).values(rows);
}

/** The dry run's totals, the file's fingerprint and its record on the administrative chain, together. */
export async function finishValidation(
  db: Database,
  id: string,
  v: { fileSha256: string; rowsTotal: number; rowsValid: number; rowsDuplicate: number; rowsInvalid: number; rowsOpen: number },
): Promise<StockImportRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(stockImports).set(v).where(eq(stockImports.id, id)).returning();
    await recordAdminChange(tx, { actor: row!.createdBy, action: 'stock_import.validated', subjectType: 'stock_import', subjectId: id, data: { fileName: row!.fileName, ...v } });
    return row!;
  });
}

/** A dry run that answered nobody (its request replayed an earlier answer, or failed): gone without trace. */
export async function dropStockImport(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(stockImportRows).where(eq(stockImportRows.importId, id));
    await tx.delete(stockImports).where(and(eq(stockImports.id, id), eq(stockImports.status, 'validated')));
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
