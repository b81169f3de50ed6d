/**
 * The import of one page of a validated batch, in one transaction: each valid row claims its
 * natural key (unique across every batch, so a row another import already brought in adds
 * nothing), its hazard is written as the record of a hazard found on its day, and a row closed in
 * the ledger gets its registration and its closure on the hazard's chain at once (a closed hazard
 * needs no workflow: reopening one starts its run from the record). Open hazards get their
 * workflows from the import's workflow afterwards. A retried page finds its rows taken and
 * answers the same open hazards again.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from './client';
import { auditHeads, enterprises, hazardEvents, hazards, stockHazardKeys, stockImportRows, stockImports } from './schema';
import { currentPolicy } from './policies';
import { recordAdminChange } from './admin-audit';
import { hazardChain, hazardEventContent } from './hazard-events';
import { auditKey } from './audit-key';
import { GENESIS_HASH, headMac, KEYED, linkMac } from '../domain/audit-chain';
import { dueInstant, shanghaiInstant } from '../domain/shanghai-time';
import type { StockHazard } from '../domain/stock-import';
import type { HazardGrade, HazardPolicy } from '../domain/policy';

/** What an open hazard's workflow is started with, as its record now stands. */
export interface OpenStockHazard {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  deadline: string;
  listingLevel: 'province' | 'city' | 'county' | 'township' | null;
  supervisor: string;
  policyId: number | null;
  title: string;
  category: string;
  foundAt: string;
}

export interface StockRowsPage {
  /** The last row number taken; null when the batch has no more rows. */
  next: number | null;
  rows: number;
  created: number;
  /** The page's open hazards (created now or, on a retry, before), in row order: their workflows are still to start. */
  open: string[];
}

export interface OpenStockHazards {
  open: OpenStockHazard[];
  /** The policies the open hazards run on, by id. */
  policies: Record<string, HazardPolicy>;
}

export type StockPage = Omit<StockRowsPage, 'open'> & OpenStockHazards;

/** When a hazard found on a day counts as found: 09:00 that day, never after the import. */
const foundInstant = (day: string, now: number) => Math.min(shanghaiInstant(day, 9), now);
/** When a hazard closed on a day in the ledger counts as closed: noon, never before it was found nor after the import. */
const closedInstant = (day: string, found: number, now: number) => Math.min(Math.max(shanghaiInstant(day, 12), found), now);

export async function importStockPage(db: Database, p: { importId: string; by: string; after: number; limit: number; now: number }): Promise<StockRowsPage> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(stockImportRows)
      .where(and(eq(stockImportRows.importId, p.importId), gt(stockImportRows.rowNo, p.after), inArray(stockImportRows.verdict, ['valid', 'imported', 'skipped'])))
      .orderBy(asc(stockImportRows.rowNo))
      .limit(p.limit);
    const pending = rows.filter((r) => r.verdict === 'valid');
    const ids = new Map(pending.map((r) => [r.naturalKey!, randomUUID()]));
    const claimed = pending.length
      ? await tx
          .insert(stockHazardKeys)
          .values(pending.map((r) => ({ naturalKey: r.naturalKey!, hazardId: ids.get(r.naturalKey!)!, importId: p.importId, rowNo: r.rowNo })))
          .onConflictDoNothing()
          .returning({ key: stockHazardKeys.naturalKey })
      : [];
    const taken = new Set(claimed.map((c) => c.key));
    const created = pending.filter((r) => taken.has(r.naturalKey!)).map((r) => ({ row: r, id: ids.get(r.naturalKey!)!, h: r.parsed as StockHazard }));

    if (created.length) {
      const places = await tx
        .select({ id: enterprises.id, regionPath: enterprises.regionPath, industry: enterprises.industry })
        .from(enterprises)
        .where(inArray(enterprises.id, [...new Set(created.map((c) => c.h.enterpriseId))]));
      const placeOf = new Map(places.map((e) => [e.id, e]));
      const policyOf = new Map<string, { id: number; policy: HazardPolicy }>();
      for (const c of created) {
        const industry = placeOf.get(c.h.enterpriseId)?.industry ?? null;
        const k = `${c.h.grade}\u0000${industry ?? ''}`;
        if (policyOf.has(k)) continue;
        const found = await currentPolicy(tx as unknown as Database, { grade: c.h.grade, source: 'inspection', industry });
        if (!found) throw new Error(`no policy is configured for ${c.h.grade} hazards`);
        policyOf.set(k, { id: found.id, policy: found.policy as HazardPolicy });
      }
      const values = created.map(({ id, h }) => {
        const place = placeOf.get(h.enterpriseId);
        if (!place) throw new Error(`enterprise ${h.enterpriseId} does not exist`);
        const policy = policyOf.get(`${h.grade}\u0000${place.industry ?? ''}`)!;
        const found = foundInstant(h.foundOn, p.now);
        return {
          id,
          workflowId: `hazard-${id}`,
          enterpriseId: h.enterpriseId,
          regionPath: place.regionPath,
          title: h.title,
          category: h.category,
          source: 'inspection',
          grade: h.grade,
          policy: policy.policy,
          policyId: policy.id,
          status: h.closedOn ? ('closed' as const) : ('rectifying' as const),
          round: 1,
          deadline: h.deadline,
          originalDeadline: h.deadline,
          dueAt: new Date(dueInstant(h.deadline)),
          escalationLevel: 0,
          closedAt: h.closedOn ? new Date(closedInstant(h.closedOn, found, p.now)) : null,
          assignedSupervisor: h.supervisor,
          listingLevel: h.listingLevel,
          createdBy: p.by,
          createdAt: new Date(found),
          updatedAt: new Date(p.now),
          // The open hazard's workflow writes its projection over this one with its first record.
          projectionSeq: 0,
        };
      });
      await tx.insert(hazards).values(values);
      await writeClosedChains(tx as unknown as Database, p.importId, p.by, created.filter((c) => c.h.closedOn), values);
    }

    const skipped = pending.filter((r) => !taken.has(r.naturalKey!)).map((r) => r.rowNo);
    if (created.length) {
      await tx.execute(sql`
        update stock_import_rows r set verdict = 'imported', hazard_id = v.id
          from unnest(${`{${created.map((c) => c.row.rowNo).join(',')}}`}::int[], ${`{${created.map((c) => c.id).join(',')}}`}::uuid[]) as v(row_no, id)
         where r.import_id = ${p.importId} and r.row_no = v.row_no`);
    }
    if (skipped.length) {
      await tx.update(stockImportRows).set({ verdict: 'skipped' }).where(and(eq(stockImportRows.importId, p.importId), inArray(stockImportRows.rowNo, skipped)));
    }
    if (pending.length) {
      await tx
        .update(stockImports)
        .set({ rowsDone: sql`${stockImports.rowsDone} + ${pending.length}`, hazardsCreated: sql`${stockImports.hazardsCreated} + ${created.length}`, progressAt: new Date(p.now) })
        .where(eq(stockImports.id, p.importId));
    }

    // The page's open hazards, those created now and (on a retry) before, in row order.
    const createdNow = new Map(created.map((c) => [c.row.rowNo, c]));
    const open = rows.flatMap((r) => {
      const now = createdNow.get(r.rowNo);
      if (now) return now.h.closedOn ? [] : [now.id];
      return r.verdict === 'imported' && r.hazardId && !(r.parsed as StockHazard).closedOn ? [r.hazardId] : [];
    });
    return { next: rows.length < p.limit ? null : rows[rows.length - 1]!.rowNo, rows: rows.length, created: created.length, open };
  });
}

/** Imported open hazards as their workflows are started with, as their records now stand, oldest found first. */
export async function openStockHazards(db: Database, ids: string[], by: string): Promise<OpenStockHazards> {
  const open = ids.length ? await db.select().from(hazards).where(inArray(hazards.id, ids)).orderBy(asc(hazards.createdAt)) : [];
  const policies: Record<string, HazardPolicy> = {};
  for (const h of open) if (h.policyId !== null) policies[String(h.policyId)] = h.policy as HazardPolicy;
  return {
    open: open.map((h) => ({
      hazardId: h.id,
      enterpriseId: h.enterpriseId,
      grade: h.grade,
      deadline: h.deadline,
      listingLevel: h.listingLevel,
      supervisor: h.assignedSupervisor ?? by,
      policyId: h.policyId,
      title: h.title,
      category: h.category,
      foundAt: h.createdAt.toISOString(),
    })),
    policies,
  };
}

/**
 * A hazard closed in the ledger: its chain holds its registration on the day it was found and
 * its closure (销号) on the day it was closed, both by the person who imported it, naming the
 * batch and the row. New chains all, so they are written at once, each with its signed head.
 */
async function writeClosedChains(
  db: Database,
  importId: string,
  by: string,
  closed: Array<{ row: { rowNo: number }; id: string; h: StockHazard }>,
  values: Array<{ id: string; createdAt: Date; closedAt: Date | null; deadline: string; grade: HazardGrade; assignedSupervisor: string }>,
) {
  if (!closed.length) return;
  const byId = new Map(values.map((v) => [v.id, v]));
  const key = auditKey();
  const events: Array<typeof hazardEvents.$inferInsert> = [];
  const heads: Array<typeof auditHeads.$inferInsert> = [];
  for (const c of closed) {
    const v = byId.get(c.id)!;
    const imported = { importId, row: c.row.rowNo };
    const chain = [
      { stepKey: 'round-0/registered', type: 'registered', occurredAt: v.createdAt, data: { deadline: v.deadline, grade: v.grade, assignment: { supervisor: v.assignedSupervisor, enterpriseContact: null, delegate: null }, imported } },
      { stepKey: 'import/closed', type: 'review_accepted', occurredAt: v.closedAt!, data: { round: 1, comment: '历史台账已销号', closedOn: c.h.closedOn, onTime: c.h.closedOn! <= v.deadline, imported } },
    ];
    let prevHash = GENESIS_HASH;
    chain.forEach((e, i) => {
      const event = { hazardId: c.id, chainSeq: i + 1, actor: by, ...e };
      const hash = linkMac(key, prevHash, hazardEventContent(event));
      events.push({ ...event, prevHash, hash, hashVersion: KEYED });
      prevHash = hash;
    });
    heads.push({ chain: hazardChain(c.id), seq: chain.length, hash: prevHash, mac: headMac(key, hazardChain(c.id), chain.length, prevHash) });
  }
  await db.insert(hazardEvents).values(events);
  await db.insert(auditHeads).values(heads);
}

/** The workflows started so far (a count that only grows: a retried report cannot lower it). */
export async function recordStockImportProgress(db: Database, p: { importId: string; workflowsStarted: number; now: number }): Promise<void> {
  await db
    .update(stockImports)
    .set({ workflowsStarted: sql`greatest(${stockImports.workflowsStarted}, ${p.workflowsStarted})`, progressAt: new Date(p.now) })
    .where(eq(stockImports.id, p.importId));
}

/** The import is done: recorded once, with its figures on the administrative chain. */
export async function finishStockImport(db: Database, p: { importId: string; by: string; now: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(stockImports)
      .set({ status: 'done', finishedAt: new Date(p.now), progressAt: new Date(p.now) })
      .where(and(eq(stockImports.id, p.importId), eq(stockImports.status, 'importing')))
      .returning();
    if (!row) return;
    await recordAdminChange(tx, {
      actor: p.by,
      action: 'stock_import.finished',
      subjectType: 'stock_import',
      subjectId: p.importId,
      data: { fileSha256: row.fileSha256, rowsDone: row.rowsDone, hazardsCreated: row.hazardsCreated, workflowsStarted: row.workflowsStarted },
    });
  });
}
