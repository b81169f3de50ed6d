/**
 * The plans behind the lists benchmark: EXPLAIN ANALYZE of every statement its cases run, and of
 * the list's other filters for the same leaders (first and deep page, page and capped count), each
 * checked for a sequential scan of hazards that discards more rows than it keeps.
 */
import type pg from 'pg';
import { hazardFilterOf } from '../api/hazard-list-filter';
import type { ListHazardsQuery } from '../api/schemas/hazard';
import type { Database } from '../db/client';
import { hazardListStatements, hazardScope } from '../db/hazard-queries';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import type { ListCase, Persona } from './lists-measure';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

export interface PlanCheck {
  name: string;
  ms: number;
  /** Each node as `Node Type on relation (index)`, depth first. */
  nodes: string[];
  scans: string[];
}

function walk(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(walk)];
}

/** A sequential scan of hazards (or enterprises, which some filters read) that throws away more than it keeps. */
function wasteful(plan: PlanNode): string[] {
  return walk(plan).flatMap((n) => {
    const kept = (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1);
    const removed = n['Rows Removed by Filter'] ?? 0;
    return n['Node Type'] === 'Seq Scan' && (n['Relation Name'] === 'hazards' || n['Relation Name'] === 'enterprises') && removed > kept
      ? [`seq scan on ${n['Relation Name']} (kept ${kept}, discarded ${removed})`]
      : [];
  });
}

async function explain(pool: pg.Pool, name: string, text: string, params: unknown[]): Promise<PlanCheck> {
  const { rows } = await pool.query(`explain (analyze, format json) ${text}`, params);
  const out = rows[0]['QUERY PLAN'][0] as { Plan: PlanNode; 'Execution Time': number };
  const nodes = walk(out.Plan).map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
  return { name, ms: out['Execution Time'], nodes, scans: wasteful(out.Plan) };
}

/** The list's filters beyond the benchmark's own cases, as the figures and the ledger open it. */
function moreFilters(today: string): Array<[string, Partial<ListHazardsQuery>]> {
  const month = addDays(today, -30);
  return [
    ['a status', { status: 'under_review' }],
    ['open', { open: true }],
    ['major', { grade: 'major' }],
    ['an age bucket', { age: '8-15' }],
    ['the oldest bucket, major', { age: '31+', grade: 'major' }],
    ['listed', { listed: true, open: true }],
    ['found in a month', { foundFrom: month, foundTo: today }],
    ['closed in a month', { status: 'closed', closedFrom: month, closedTo: today }],
    ['repeats found in a month', { repeat: true, foundFrom: month, foundTo: today }],
    ['awaiting an extension decision', { extensionPending: true }],
  ];
}

export async function explainLists(pool: pg.Pool, db: Database, personas: Persona[], cases: ListCase[], now: number): Promise<PlanCheck[]> {
  const out: PlanCheck[] = [];
  for (const c of cases) {
    for (const [i, s] of c.statements.entries()) out.push(await explain(pool, `${c.name} · statement ${i + 1}`, s.text, s.params));
  }
  const deep = { createdAt: new Date(now - 200 * 86_400_000), id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
  for (const p of personas) {
    for (const [label, query] of moreFilters(shanghaiDate(now))) {
      const filter = await hazardFilterOf(db, p.principal, { limit: 50, ...query } as ListHazardsQuery, now);
      for (const after of [undefined, deep]) {
        const s = hazardListStatements(db, hazardScope(p.principal), filter, { limit: 50, after }, new Date(now));
        for (const [kind, statement] of [['count', s.count], ['page', s.rows]] as const) {
          const { sql, params } = statement.toSQL();
          out.push(await explain(pool, `${p.label} · ${label} · ${after ? 'deep' : 'first'} ${kind}`, sql, params));
        }
      }
    }
  }
  return out;
}

export function formatPlans(plans: PlanCheck[]): string {
  const bad = plans.filter((p) => p.scans.length);
  const lines = [`plans: ${plans.length} statements explained, ${bad.length} with a wasteful sequential scan of hazards`];
  for (const p of plans) {
    const scan = p.nodes.filter((n) => / on (hazards|enterprises|hazard_events|notifications)/.test(n)).join('; ');
    lines.push(`${p.scans.length ? 'SEQ ' : 'ok  '} ${p.name.padEnd(58)} ${p.ms.toFixed(1).padStart(7)} ms  ${scan}`);
  }
  return lines.join('\n');
}
