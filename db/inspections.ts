/**
 * Inspection records: writes (each with its case event, in the same transaction) and the reads
 * behind the inspection list and detail, limited to the caller's reach like hazards.
 */
import { and, asc, count, desc, eq, inArray, isNull, like, ne, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { ChecklistFinding } from '../domain/inspection-checklist';
import { appendCaseEvent } from './case-events';
import type { Database } from './client';
import { countedTotal, countUpToStatement, type ListTotal } from './list-count';
import { beforeCursor, prefixPattern } from './hazard-queries';
import { hazards, inspectionFindings, inspections, regions, userPosts, users } from './schema';

export type InspectionRow = typeof inspections.$inferSelect;
export type FindingRow = typeof inspectionFindings.$inferSelect;

const NO_ENTERPRISE = '00000000-0000-0000-0000-000000000000';

/** What a principal may see of inspections: their region's subtree, or their own enterprise's. */
export function inspectionScope(p: Principal): SQL {
  return p.role === 'enterprise'
    ? eq(inspections.enterpriseId, p.enterpriseId ?? NO_ENTERPRISE)
    : like(inspections.regionPath, prefixPattern(p.regionPath));
}

export interface NewInspection {
  id: string;
  enterpriseId: string;
  regionPath: string;
  location: string;
  startedAt: number;
  endedAt: number;
  inspectors: string[];
  createdBy: string;
  createdAt: number;
  findings: ChecklistFinding[];
}

/**
 * Records the inspection, its findings and its 'recorded' case event in one transaction. The
 * same id again (a retried request) leaves the first record as it was.
 */
export async function createInspection(db: Database, rec: NewInspection): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inspections)
      .values({
        id: rec.id,
        enterpriseId: rec.enterpriseId,
        regionPath: rec.regionPath,
        location: rec.location,
        startedAt: new Date(rec.startedAt),
        endedAt: new Date(rec.endedAt),
        inspectors: rec.inspectors,
        createdBy: rec.createdBy,
        createdAt: new Date(rec.createdAt),
        findingsCount: rec.findings.length,
        failedCount: rec.findings.filter((f) => f.result === 'fail').length,
      })
      .onConflictDoNothing({ target: inspections.id })
      .returning({ id: inspections.id });
    if (!inserted.length) return;
    await tx.insert(inspectionFindings).values(
      rec.findings.map((f, i) => ({
        inspectionId: rec.id,
        n: i + 1,
        item: f.item,
        result: f.result,
        note: f.note ?? '',
        category: f.category || null,
        grade: f.grade ?? null,
        legalBasis: f.legalBasis ?? '',
        requiredMeasures: f.requiredMeasures ?? '',
      })),
    );
    await appendCaseEvent(tx, {
      caseType: 'inspection',
      caseId: rec.id,
      stepKey: 'recorded',
      type: 'inspection_recorded',
      actor: rec.createdBy,
      occurredAt: rec.createdAt,
      data: {
        enterpriseId: rec.enterpriseId,
        location: rec.location,
        startedAt: new Date(rec.startedAt).toISOString(),
        endedAt: new Date(rec.endedAt).toISOString(),
        inspectors: rec.inspectors,
        findings: rec.findings.map((f, i) => ({ n: i + 1, item: f.item, result: f.result, category: f.category ?? null })),
      },
    });
  });
}

/** The inspection if it exists and is within reach; out of reach looks like missing. */
export async function findInspection(db: Database, p: Principal, id: string): Promise<InspectionRow | null> {
  const [row] = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.id, id), inspectionScope(p)))
    .limit(1);
  return row ?? null;
}

export async function findFinding(db: Database, inspectionId: string, n: number): Promise<FindingRow | null> {
  const [row] = await db
    .select()
    .from(inspectionFindings)
    .where(and(eq(inspectionFindings.inspectionId, inspectionId), eq(inspectionFindings.n, n)))
    .limit(1);
  return row ?? null;
}

/** The findings in checklist order, each with the status of the hazard it became (if any). */
export function findingsWithHazards(db: Database, inspectionId: string) {
  return db
    .select({ finding: inspectionFindings, hazardStatus: hazards.status, hazardTitle: hazards.title, hazardDeadline: hazards.deadline })
    .from(inspectionFindings)
    .leftJoin(hazards, eq(hazards.id, inspectionFindings.hazardId))
    .where(eq(inspectionFindings.inspectionId, inspectionId))
    .orderBy(asc(inspectionFindings.n));
}

export interface InspectionFilter {
  enterpriseId?: string;
  /** Only inspections with a failed finding not yet turned into a hazard. */
  pendingFindings?: boolean;
}

/** Reach and filters as conditions: the one definition behind the list and the ledger export. */
export function inspectionConditions(scope: SQL, f: InspectionFilter): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [scope];
  if (f.enterpriseId) where.push(eq(inspections.enterpriseId, f.enterpriseId));
  if (f.pendingFindings === true) where.push(sql`${inspections.hazardsCount} < ${inspections.failedCount}`);
  if (f.pendingFindings === false) where.push(sql`${inspections.hazardsCount} >= ${inspections.failedCount}`);
  return where;
}

/** The list page's count and rows, built apart from running them so their plans can be checked (tests/integration/list-plans.test.ts). */
export function inspectionListStatements(db: Database, scope: SQL, f: InspectionFilter, page: { limit: number; after?: { createdAt: Date; id: string } }) {
  const where = inspectionConditions(scope, f);
  const after = page.after;
  return {
    count: countUpToStatement(db, inspections, where),
    rows: db
      .select()
      .from(inspections)
      .where(
        and(
          ...where,
          beforeCursor(inspections.createdAt, inspections.id, after),
        ),
      )
      .orderBy(desc(inspections.createdAt), desc(inspections.id))
      .limit(page.limit + 1),
  };
}

/** One page and its total: the one the cursor carried from the first page, else a capped count taken at `now`. */
export async function listInspections(
  db: Database,
  scope: SQL,
  f: InspectionFilter,
  page: { limit: number; after?: { createdAt: Date; id: string } },
  o: { carried?: ListTotal; now?: Date } = {},
): Promise<{ rows: InspectionRow[]; total: ListTotal }> {
  const statements = inspectionListStatements(db, scope, f, page);
  const counted = async () => countedTotal((await statements.count)[0]?.n, o.now ?? new Date());
  const [total, rows] = await Promise.all([o.carried ?? counted(), statements.rows]);
  return { rows, total };
}

/**
 * Which of `ids` are active supervisors within the region subtree `regionPath` (the people who
 * may be named as co-inspectors by someone whose reach that is).
 */
export async function inspectorsWithin(db: Database, regionPath: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(inArray(users.id, [...ids]), eq(users.role, 'supervisor'), eq(users.active, true), eq(users.kind, 'person'), like(regions.path, prefixPattern(regionPath))));
  return new Set(rows.map((r) => r.id));
}

/** The supervisors who can inspect beside the caller: active people within the jurisdiction, nearest first. */
export async function coInspectorCandidates(db: Database, regionPath: string, self: string) {
  return db
    .select({ id: users.id, displayName: users.displayName, post: userPosts.post, regionName: regions.name })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .leftJoin(userPosts, eq(userPosts.userId, users.id))
    .where(and(eq(users.role, 'supervisor'), eq(users.active, true), eq(users.kind, 'person'), ne(users.id, self), like(regions.path, prefixPattern(regionPath))))
    .orderBy(sql`length(${regions.path}) desc`, asc(users.displayName))
    .limit(500);
}

/** The inspectors of a record by name, in the record's order (the recording supervisor first). */
export async function inspectorsByName(db: Database, ids: readonly string[]): Promise<Array<{ id: string; displayName: string }>> {
  if (!ids.length) return [];
  const rows = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, [...ids]));
  const names = new Map(rows.map((r) => [r.id, r.displayName]));
  return ids.map((id) => ({ id, displayName: names.get(id) ?? id }));
}

export interface FindingLink {
  inspectionId: string;
  n: number;
  hazardId: string;
  actor: string;
  occurredAt: number;
}

/**
 * Links a finding to the hazard it became (which must already exist), counts it on the
 * inspection and records the step in the inspection's chain, all in one transaction. Answers the
 * hazard the finding is linked to: `link.hazardId`, or another hazard that got there first.
 */
export async function linkFindingToHazard(db: Database, link: FindingLink): Promise<string> {
  return db.transaction(async (tx) => {
    // One change per inspection at a time: the count and the chain move together.
    await tx.select({ id: inspections.id }).from(inspections).where(eq(inspections.id, link.inspectionId)).for('update');
    const updated = await tx
      .update(inspectionFindings)
      .set({ hazardId: link.hazardId })
      .where(and(eq(inspectionFindings.inspectionId, link.inspectionId), eq(inspectionFindings.n, link.n), isNull(inspectionFindings.hazardId)))
      .returning({ n: inspectionFindings.n });
    if (!updated.length) {
      const [current] = await tx
        .select({ hazardId: inspectionFindings.hazardId })
        .from(inspectionFindings)
        .where(and(eq(inspectionFindings.inspectionId, link.inspectionId), eq(inspectionFindings.n, link.n)));
      return current?.hazardId ?? link.hazardId;
    }
    await tx
      .update(inspections)
      .set({ hazardsCount: sql`${inspections.hazardsCount} + 1` })
      .where(eq(inspections.id, link.inspectionId));
    await appendCaseEvent(tx, {
      caseType: 'inspection',
      caseId: link.inspectionId,
      stepKey: `finding-${link.n}-hazard`,
      type: 'finding_became_hazard',
      actor: link.actor,
      occurredAt: link.occurredAt,
      data: { n: link.n, hazardId: link.hazardId },
    });
    return link.hazardId;
  });
}
