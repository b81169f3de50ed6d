/**
 * Reads behind the exported ledgers: the same conditions as the lists (reach and filters come
 * from the list queries), read a page at a time by keyset (newest first, id as tie-breaker) so
 * an export of any size holds one page, with the names people read (enterprise, region, people).
 */
import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client';
import type { Cursor } from './hazard-queries';
import { enterprises, hazards, inspections, notices, regions, suspensions, users } from './schema';

/** Pages of `size` rows, each read after the last row of the one before, until a short page. */
export async function* keysetPages<R>(read: (after: Cursor | undefined, size: number) => Promise<R[]>, keyOf: (row: R) => Cursor, size: number): AsyncGenerator<R[]> {
  let after: Cursor | undefined;
  for (;;) {
    const rows = await read(after, size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

function after(at: PgColumn, id: PgColumn, c: Cursor | undefined): SQL | undefined {
  return c ? or(lt(at, c.createdAt), and(eq(at, c.createdAt), lt(id, c.id))) : undefined;
}

/** The hazard columns a ledger shows: not the policy, plan or history a record also keeps, which would only fill memory. */
const hazardLedgerFields = {
  id: hazards.id,
  title: hazards.title,
  category: hazards.category,
  source: hazards.source,
  grade: hazards.grade,
  listingLevel: hazards.listingLevel,
  status: hazards.status,
  round: hazards.round,
  createdAt: hazards.createdAt,
  deadline: hazards.deadline,
  overdueSince: hazards.overdueSince,
  escalationLevel: hazards.escalationLevel,
  extensionsGranted: hazards.extensionsGranted,
  submittedAt: hazards.submittedAt,
  closedAt: hazards.closedAt,
  assignedSupervisor: hazards.assignedSupervisor,
  createdBy: hazards.createdBy,
  location: hazards.location,
  description: hazards.description,
  requiredMeasures: hazards.requiredMeasures,
  legalBasis: hazards.legalBasis,
};

export function hazardLedgerPage(db: Database, where: (SQL | undefined)[]) {
  return (c: Cursor | undefined, size: number) =>
    db
      .select({ hazard: hazardLedgerFields, enterprise: enterprises.name, creditCode: enterprises.creditCode, industry: enterprises.industry, region: regions.name })
      .from(hazards)
      .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
      .leftJoin(regions, eq(regions.id, enterprises.regionId))
      .where(and(...where, after(hazards.createdAt, hazards.id, c)))
      .orderBy(desc(hazards.createdAt), desc(hazards.id))
      .limit(size);
}
export type HazardLedgerRow = Awaited<ReturnType<ReturnType<typeof hazardLedgerPage>>>[number];

export function noticeLedgerPage(db: Database, where: (SQL | undefined)[]) {
  return (c: Cursor | undefined, size: number) =>
    db
      .select({ notice: notices, enterprise: enterprises.name })
      .from(notices)
      .leftJoin(enterprises, eq(enterprises.id, notices.enterpriseId))
      .where(and(...where, after(notices.issuedAt, notices.id, c)))
      .orderBy(desc(notices.issuedAt), desc(notices.id))
      .limit(size);
}
export type NoticeLedgerRow = Awaited<ReturnType<ReturnType<typeof noticeLedgerPage>>>[number];

export function suspensionLedgerPage(db: Database, where: (SQL | undefined)[]) {
  return (c: Cursor | undefined, size: number) =>
    db
      .select({ suspension: suspensions, enterprise: enterprises.name, creditCode: enterprises.creditCode })
      .from(suspensions)
      .leftJoin(enterprises, eq(enterprises.id, suspensions.enterpriseId))
      .where(and(...where, after(suspensions.createdAt, suspensions.id, c)))
      .orderBy(desc(suspensions.createdAt), desc(suspensions.id))
      .limit(size);
}
export type SuspensionLedgerRow = Awaited<ReturnType<ReturnType<typeof suspensionLedgerPage>>>[number];

export function inspectionLedgerPage(db: Database, where: (SQL | undefined)[]) {
  return (c: Cursor | undefined, size: number) =>
    db
      .select({ inspection: inspections, enterprise: enterprises.name, creditCode: enterprises.creditCode })
      .from(inspections)
      .leftJoin(enterprises, eq(enterprises.id, inspections.enterpriseId))
      .where(and(...where, after(inspections.createdAt, inspections.id, c)))
      .orderBy(desc(inspections.createdAt), desc(inspections.id))
      .limit(size);
}
export type InspectionLedgerRow = Awaited<ReturnType<ReturnType<typeof inspectionLedgerPage>>>[number];

/**
 * People's display names, looked up as pages name them and kept for the export's length (a
 * city has thousands of people, not millions). Records keep user names or ids; ledgers show names.
 */
export class PeopleNames {
  private readonly byUsername = new Map<string, string>();
  private readonly byId = new Map<string, string>();
  constructor(private readonly db: Database) {}

  async learn(usernames: Iterable<string | null | undefined>, ids: Iterable<string | null | undefined> = []): Promise<void> {
    const names = [...new Set([...usernames].filter((u): u is string => !!u && !this.byUsername.has(u)))];
    const uids = [...new Set([...ids].filter((u): u is string => !!u && !this.byId.has(u)))];
    if (!names.length && !uids.length) return;
    const rows = await this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(or(names.length ? inArray(users.username, names) : undefined, uids.length ? inArray(users.id, uids) : undefined));
    for (const r of rows) {
      this.byUsername.set(r.username, r.displayName);
      this.byId.set(r.id, r.displayName);
    }
    // Unknown ones (a system actor, a deleted account) read as they were recorded.
    for (const n of names) if (!this.byUsername.has(n)) this.byUsername.set(n, n);
    for (const n of uids) if (!this.byId.has(n)) this.byId.set(n, n);
  }

  ofUsername(username: string | null | undefined): string {
    return username ? (this.byUsername.get(username) ?? username) : '';
  }

  ofId(id: string | null | undefined): string {
    return id ? (this.byId.get(id) ?? id) : '';
  }
}

/** The pages of a reader, with the names of the people they mention learnt before each is written. */
export async function* withPeople<R>(pages: AsyncIterable<R[]>, people: PeopleNames, mentions: (row: R) => { usernames?: (string | null)[]; ids?: (string | null)[] }): AsyncGenerator<R[]> {
  for await (const page of pages) {
    const named = page.map(mentions);
    await people.learn(
      named.flatMap((m) => m.usernames ?? []),
      named.flatMap((m) => m.ids ?? []),
    );
    yield page;
  }
}
