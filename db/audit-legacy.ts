/**
 * Chains from before the audit key: their rows keep their unkeyed hashes (version 1, valid up
 * to the ids recorded in audit_legacy when the keyed chains came in), and each such chain gets
 * its first signed head here, once, as it stands then. Run by `npm run migrate`, with the key.
 */
import { and, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import { ADMIN_CHAIN } from './admin-audit';
import { advanceHead, readHead } from './audit-heads';
import { caseChain } from './case-events';
import type { Database } from './client';
import { hazardChain } from './hazard-events';
import { adminEvents, auditLegacy, caseEvents, hazardEvents } from './schema';

/** Signs the heads of the old chains that have none; returns how many. Does nothing after the first time. */
export async function sealLegacyChains(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const [legacy] = await tx.select().from(auditLegacy).where(isNull(auditLegacy.sealedAt)).for('update');
    if (!legacy) return 0;
    let sealed = 0;
    const seal = async (chain: string, last: { id: number; chainSeq: number; hash: string } | undefined, bound: number) => {
      // A chain whose newest row is past the bound was appended with the key and has its head.
      if (!last || last.id > bound || (await readHead(tx, chain))) return;
      await advanceHead(tx, chain, last.chainSeq, last.hash);
      sealed++;
    };
    const lastAdmin = await tx.select().from(adminEvents).orderBy(desc(adminEvents.chainSeq)).limit(1);
    await seal(ADMIN_CHAIN, lastAdmin[0], legacy.adminEventsMaxId);
    for (const { id } of await tx.selectDistinct({ id: hazardEvents.hazardId }).from(hazardEvents).where(lte(hazardEvents.id, legacy.hazardEventsMaxId))) {
      const [last] = await tx.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id)).orderBy(desc(hazardEvents.chainSeq)).limit(1);
      await seal(hazardChain(id), last, legacy.hazardEventsMaxId);
    }
    const cases = await tx
      .selectDistinct({ caseType: caseEvents.caseType, caseId: caseEvents.caseId })
      .from(caseEvents)
      .where(lte(caseEvents.id, legacy.caseEventsMaxId));
    for (const c of cases) {
      const [last] = await tx
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.caseType, c.caseType), eq(caseEvents.caseId, c.caseId)))
        .orderBy(desc(caseEvents.chainSeq))
        .limit(1);
      await seal(caseChain(c.caseType, c.caseId), last, legacy.caseEventsMaxId);
    }
    await tx.update(auditLegacy).set({ sealedAt: sql`now()` }).where(eq(auditLegacy.id, 1));
    return sealed;
  });
}

