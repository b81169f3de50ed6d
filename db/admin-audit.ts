/** Appends to the global chain of administrative changes (people, regions, enterprises, keys). */
import { desc, sql } from 'drizzle-orm';
import { GENESIS_HASH, KEYED, linkMac } from '../domain/audit-chain';
import { advanceHead } from './audit-heads';
import { auditKey } from './audit-key';
import type { Database } from './client';
import { adminEvents } from './schema';

export const ADMIN_CHAIN = 'admin';

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface AdminChange {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

export function adminEventContent(e: Omit<AdminChange, 'data'> & { data: unknown; chainSeq: number; occurredAt: Date }) {
  return {
    seq: e.chainSeq,
    actor: e.actor,
    action: e.action,
    subject: `${e.subjectType}:${e.subjectId}`,
    data: e.data,
    occurredAt: e.occurredAt.toISOString(),
  };
}

/** Call inside the transaction that makes the change, so the change and its record land together. */
export async function recordAdminChange(tx: Tx, change: AdminChange): Promise<void> {
  // One chain for the whole system: appends take turns on a transaction-scoped lock.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('duban.admin_events'))`);
  const [last] = await tx
    .select({ chainSeq: adminEvents.chainSeq, hash: adminEvents.hash })
    .from(adminEvents)
    .orderBy(desc(adminEvents.chainSeq))
    .limit(1);
  const event = { ...change, chainSeq: (last?.chainSeq ?? 0) + 1, occurredAt: new Date() };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = linkMac(auditKey(), prevHash, adminEventContent(event));
  await tx.insert(adminEvents).values({ ...event, prevHash, hash, hashVersion: KEYED });
  await advanceHead(tx, ADMIN_CHAIN, event.chainSeq, hash);
}
