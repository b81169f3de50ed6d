/** Reads of the suspension read model: every suspension list and record people see comes from here. */
import { and, asc, count, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { SuspensionStatus } from '../domain/suspension';
import type { Database } from './client';
import { countedTotal, countUpToStatement, type ListTotal } from './list-count';
import { beforeCursor, encodeCursor, prefixPattern, type Cursor } from './hazard-queries';
import { suspensionNotifications, suspensions } from './schema';

export type SuspensionRow = typeof suspensions.$inferSelect;

export interface SuspensionFilter {
  status?: SuspensionStatus;
  enterpriseId?: string;
}

/** The same reach as hazards: the region's subtree, or the enterprise user's own enterprise. */
export function suspensionScope(p: Principal): SQL {
  return p.role === 'enterprise'
    ? eq(suspensions.enterpriseId, p.enterpriseId ?? '00000000-0000-0000-0000-000000000000')
    : like(suspensions.regionPath, prefixPattern(p.regionPath));
}

/** Reach and filters as conditions: the one definition behind the list and the ledger export. */
export function suspensionConditions(scope: SQL, f: SuspensionFilter): (SQL | undefined)[] {
  return [scope, f.status ? eq(suspensions.status, f.status) : undefined, f.enterpriseId ? eq(suspensions.enterpriseId, f.enterpriseId) : undefined];
}

/** The list page's count and rows, built apart from running them so their plans can be checked (tests/integration/list-plans.test.ts). */
export function suspensionListStatements(db: Database, scope: SQL, f: SuspensionFilter, page: { limit: number; after?: Cursor }) {
  const where = suspensionConditions(scope, f);
  const after = page.after;
  return {
    count: countUpToStatement(db, suspensions, where),
    rows: db
      .select()
      .from(suspensions)
      .where(
        and(
          ...where,
          beforeCursor(suspensions.createdAt, suspensions.id, after),
        ),
      )
      .orderBy(desc(suspensions.createdAt), desc(suspensions.id))
      .limit(page.limit + 1),
  };
}

/** One page and its total: the one the cursor carried from the first page, else a capped count taken at `now`. */
export async function listSuspensions(db: Database, scope: SQL, f: SuspensionFilter, page: { limit: number; after?: Cursor }, o: { carried?: ListTotal; now?: Date } = {}) {
  const statements = suspensionListStatements(db, scope, f, page);
  const counted = async () => countedTotal((await statements.count)[0]?.n, o.now ?? new Date());
  const [total, rows] = await Promise.all([o.carried ?? counted(), statements.rows]);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items,
    total,
    nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** The suspension if it exists and is within reach; out of reach and missing look the same. */
export async function findSuspension(db: Database, p: Principal, id: string): Promise<SuspensionRow | null> {
  const [row] = await db
    .select()
    .from(suspensions)
    .where(and(eq(suspensions.id, id), suspensionScope(p)))
    .limit(1);
  return row ?? null;
}

export function suspensionNotificationsOf(db: Database, id: string) {
  return db
    .select({
      kind: suspensionNotifications.kind,
      recipientRole: suspensionNotifications.recipientRole,
      message: suspensionNotifications.message,
      scheduledAt: suspensionNotifications.scheduledAt,
      step: suspensionNotifications.stepKey,
    })
    .from(suspensionNotifications)
    .where(eq(suspensionNotifications.suspensionId, id))
    .orderBy(asc(suspensionNotifications.scheduledAt), asc(suspensionNotifications.id));
}
