/**
 * Stored policies: each save is a new version of its scope (grade, and optionally source and
 * industry); nothing is overwritten. The bureau's defaults (domain/policy.ts) are version 1 of
 * each grade, loaded when the database is migrated.
 */
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { DEFAULT_POLICIES, HAZARD_GRADES, hazardPolicySchema, type HazardGrade, type HazardPolicy } from '../domain/policy';
import type { Database } from './client';
import { recordAdminChange } from './admin-audit';
import { policies } from './schema';

export type PolicyRow = typeof policies.$inferSelect;

export interface PolicyScope {
  grade: HazardGrade;
  source?: string | null;
  industry?: string | null;
}

const eqOrNull = <T extends typeof policies.source | typeof policies.industry>(column: T, value: string | null | undefined) =>
  value ? eq(column, value) : isNull(column);

/** Saves a new version of the scope's policy; returns it. */
export async function savePolicy(db: Database, actor: string, scope: PolicyScope, policy: HazardPolicy, note = ''): Promise<PolicyRow> {
  const valid = hazardPolicySchema.parse(policy);
  return db.transaction(async (tx) => {
    // One writer per scope at a time, so versions stay 1, 2, 3… without collisions.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`duban.policy:${scope.grade}:${scope.source ?? ''}:${scope.industry ?? ''}`}))`);
    const [latest] = await tx
      .select({ version: policies.version })
      .from(policies)
      .where(and(eq(policies.grade, scope.grade), eqOrNull(policies.source, scope.source), eqOrNull(policies.industry, scope.industry)))
      .orderBy(desc(policies.version))
      .limit(1);
    const [row] = await tx
      .insert(policies)
      .values({ grade: scope.grade, source: scope.source ?? null, industry: scope.industry ?? null, version: (latest?.version ?? 0) + 1, policy: valid, note, createdBy: actor })
      .returning();
    await recordAdminChange(tx, { actor, action: 'policy.saved', subjectType: 'policy', subjectId: String(row!.id), data: { ...scope, version: row!.version, policy: valid, note } });
    return row!;
  });
}

/**
 * The policy a new hazard runs on: the newest version of the most specific scope that matches
 * (grade + source + industry, then grade + industry, grade + source, grade alone) — one query.
 */
export async function currentPolicy(db: Database, scope: PolicyScope): Promise<PolicyRow | null> {
  const [row] = await db
    .select()
    .from(policies)
    .where(
      and(
        eq(policies.grade, scope.grade),
        scope.source ? or(isNull(policies.source), eq(policies.source, scope.source)) : isNull(policies.source),
        scope.industry ? or(isNull(policies.industry), eq(policies.industry, scope.industry)) : isNull(policies.industry),
      ),
    )
    .orderBy(
      desc(sql`(${policies.source} is not null and ${policies.industry} is not null)`),
      desc(sql`(${policies.industry} is not null)`),
      desc(sql`(${policies.source} is not null)`),
      desc(policies.version),
    )
    .limit(1);
  return row ?? null;
}

export async function findPolicy(db: Database, id: number): Promise<PolicyRow | null> {
  const [row] = await db.select().from(policies).where(eq(policies.id, id));
  return row ?? null;
}

/** Version 1 of each grade from the shipped defaults, where the grade has no policy yet. */
export async function loadDefaultPolicies(db: Database): Promise<void> {
  for (const grade of HAZARD_GRADES) {
    const [any] = await db.select({ id: policies.id }).from(policies).where(eq(policies.grade, grade)).limit(1);
    if (!any) await savePolicy(db, 'system', { grade }, DEFAULT_POLICIES[grade], 'shipped default');
  }
}
