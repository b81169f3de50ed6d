/**
 * EXPLAIN ANALYZE of a statement as the application builds it (a drizzle query or an `sql`
 * template), and what in its plan says an index is missing: a sequential scan of a big table that
 * discards more rows than it keeps, any scan of one that discards many times more than it keeps
 * (an index walked in the wrong order), an estimated cost or a measured time out of all
 * proportion to a page.
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost': number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface Limits {
  /** Tables at least this big (rows, by the planner's statistics) must not be read wholesale. */
  bigTable: number;
  /** A scan that discards more than this many rows (and ten times what it keeps) walks the wrong index. */
  discarded: number;
  /** The planner's estimate of the whole statement. */
  cost: number;
  /** The statement's measured execution time. */
  ms: number;
}

/** The defaults for a page or a figure at the city's size: each far above what an indexed read costs there. */
export const LIMITS: Limits = { bigTable: 10_000, discarded: 20_000, cost: 25_000, ms: 400 };

export interface PlanResult {
  name: string;
  ms: number;
  cost: number;
  /** Each node as `Node Type on relation (index)`, depth first. */
  nodes: string[];
  problems: string[];
  /** The plan as text, for the failure message. */
  text: string;
}

const dialect = new PgDialect();

/** A statement's text and parameters: a drizzle query (`.toSQL()`) or an `sql` template. */
export function statementOf(q: SQL | { toSQL(): { sql: string; params: unknown[] } }): { text: string; params: unknown[] } {
  if ('toSQL' in q && typeof q.toSQL === 'function') {
    const { sql, params } = q.toSQL();
    return { text: sql, params };
  }
  const { sql, params } = dialect.sqlToQuery(q as SQL);
  return { text: sql, params };
}

function walk(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(walk)];
}

/** Row counts of the tables, by the planner's statistics (run after ANALYZE). */
export async function tableSizes(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ relname: string; n: number }>(`select relname, reltuples::bigint as n from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`);
  return new Map(rows.map((r) => [r.relname, Number(r.n)]));
}

export function planProblems(plan: PlanNode, totalMs: number, sizes: Map<string, number>, limits: Limits = LIMITS): string[] {
  const out: string[] = [];
  for (const n of walk(plan)) {
    const table = n['Relation Name'];
    if (!table || (sizes.get(table) ?? 0) < limits.bigTable) continue;
    const loops = n['Actual Loops'] ?? 1;
    const kept = (n['Actual Rows'] ?? 0) * loops;
    const removed = ((n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * loops;
    if (n['Node Type'] === 'Seq Scan' && removed > kept) out.push(`seq scan on ${table} (kept ${kept}, discarded ${removed})`);
    else if (removed > limits.discarded && removed > 10 * kept) out.push(`${n['Node Type']} on ${table}${n['Index Name'] ? ` (${n['Index Name']})` : ''} discarded ${removed} to keep ${kept}`);
  }
  if (plan['Total Cost'] > limits.cost) out.push(`estimated cost ${Math.round(plan['Total Cost'])} > ${limits.cost}`);
  if (totalMs > limits.ms) out.push(`took ${totalMs.toFixed(0)} ms > ${limits.ms} ms`);
  return out;
}

export async function explainStatement(
  pool: pg.Pool,
  name: string,
  q: SQL | { toSQL(): { sql: string; params: unknown[] } },
  sizes: Map<string, number>,
  limits: Limits = LIMITS,
): Promise<PlanResult> {
  const { text, params } = statementOf(q);
  const run = async () => (await pool.query(`explain (analyze, format json) ${text}`, params)).rows[0]['QUERY PLAN'][0] as { Plan: PlanNode; 'Execution Time': number };
  let out = await run();
  // A slow run on a busy machine (or a cold cache) is timed once more: the faster of the two counts.
  if (out['Execution Time'] > limits.ms) {
    const again = await run();
    if (again['Execution Time'] < out['Execution Time']) out = again;
  }
  const nodes = walk(out.Plan).map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
  const problems = planProblems(out.Plan, out['Execution Time'], sizes, limits);
  let plan = '';
  if (problems.length) {
    const { rows: textRows } = await pool.query(`explain (analyze, costs) ${text}`, params);
    plan = textRows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  }
  return { name, ms: out['Execution Time'], cost: out.Plan['Total Cost'], nodes, problems, text: plan };
}

/** One line a statement, for the run's log. */
export function planLine(p: PlanResult): string {
  return `${p.problems.length ? 'FAIL' : 'ok  '} ${p.name.padEnd(70)} ${p.ms.toFixed(1).padStart(7)} ms  cost ${String(Math.round(p.cost)).padStart(6)}  ${p.nodes.filter((n) => / on /.test(n)).join('; ')}`;
}

/** The failing plans in full, for the assertion's message. */
export function failures(plans: PlanResult[]): string[] {
  return plans.filter((p) => p.problems.length).map((p) => `${p.name}: ${p.problems.join(', ')}\n${p.text}`);
}
