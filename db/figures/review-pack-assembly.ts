/**
 * A review pack's content for a region and a period, read from the leaders' figures (the same
 * reader the API answers them with) and a few reads of their own (review-pack-reads.ts).
 */
import type { Database } from '../client';
import { FigureReader } from './answers';
import { listQuery, type Node } from './subjects';
import * as read from './read';
import * as packReads from './review-pack-reads';
import { summarizeOpen } from '../../domain/figures/open-summary';
import { INTERVIEW_RULE, interviewCandidates, mergeFacts, type PackPeriod } from '../../domain/figures/review-pack';
import type { ReviewPackContent } from '../../domain/figures/review-pack-content';
import { addDays } from '../../domain/shanghai-time';

export const OVERDUE_TOP = 20;
/** Grids sit at the fourth level of the tree: city, county, township, grid. */
const GRID_DEPTH = 4;

export async function assembleReviewPack(db: Database, node: Node, period: PackPeriod, previous: PackPeriod, now: number): Promise<ReviewPackContent> {
  const reader = new FigureReader(db, now);
  const today = reader.today;
  const region = node.id;
  const ageOf = await reader.ageOf();
  const [overview, top, overdueFacts, repeats, leaders, grids, gridOpen, gridClosed, campaigns] = await Promise.all([
    reader.overviewOver({ node }, period, previous),
    packReads.longestOverdue(db, node.path, today, OVERDUE_TOP),
    packReads.enterprisesOverdue(db, node.path, today),
    read.enterprisesByRepeats(db, node.path, period.from, period.to, 1000),
    reader.breakdown(node, 'leader', 'month', today),
    packReads.gridsUnder(db, node.path),
    packReads.openAtDepth(db, node.path, GRID_DEPTH),
    packReads.closedAtDepth(db, node.path, GRID_DEPTH, period.from, period.to),
    packReads.campaignsOver(db, node.path, period.from),
  ]);
  const openByGrid = new Map<string, typeof gridOpen>();
  for (const o of gridOpen) openByGrid.set(o.nodePath, [...(openByGrid.get(o.nodePath) ?? []), o]);
  const repeatList = (enterpriseId: string) => listQuery({ enterpriseId, repeat: true, foundFrom: period.from, foundTo: period.to });
  const facts = mergeFacts(
    overdueFacts.map((f) => ({ id: f.id, name: f.name, overdue: f.overdue, overdueMajor: f.overdueMajor, majorOverdueWorkingDays: f.oldestMajorDeadline ? ageOf(f.oldestMajorDeadline) : null })),
    repeats,
  );
  return {
    region: node,
    period: { from: period.from, to: period.to },
    previousPeriod: { from: previous.from, to: previous.to },
    today,
    computedAt: overview.computedAt,
    overview,
    overdueTop: {
      limit: OVERDUE_TOP,
      list: listQuery({ region, overdue: true }),
      rows: top.map((h) => ({ ...h, workingDaysOverdue: ageOf(h.deadline) })),
    },
    repeats: repeats.map((r) => ({ id: r.id, name: r.name, repeats: r.repeats, list: repeatList(r.id) })),
    interviews: {
      rule: INTERVIEW_RULE,
      candidates: interviewCandidates(facts).map((c) => ({ ...c, lists: { overdue: listQuery({ enterpriseId: c.id, overdue: true }), repeats: repeatList(c.id) } })),
    },
    leaders: leaders.rows.map((r) => ({ key: r.key, label: r.label, open: r.open, overdue: r.overdue, overdueMajor: r.overdueMajor, lists: r.lists })),
    grids: grids.map((g) => {
      const s = summarizeOpen(openByGrid.get(g.path) ?? [], ageOf, today);
      const c = gridClosed.get(g.path);
      return {
        id: g.id,
        name: g.name,
        open: s.open,
        overdue: s.overdue,
        overdueMajor: s.overdueMajor,
        closed: c?.closed ?? 0,
        onTimeRate: c?.closed ? c.closedOnTime / c.closed : null,
        lists: {
          open: listQuery({ region: g.id, open: true }),
          overdue: listQuery({ region: g.id, overdue: true }),
          closed: listQuery({ region: g.id, status: 'closed', closedFrom: period.from, closedTo: period.to }),
        },
      };
    }),
    campaigns: campaigns.map((c) => ({ ...c, list: listQuery({ region, open: true, foundTo: addDays(c.cutoff, -1) }) })),
  };
}
