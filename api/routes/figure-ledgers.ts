/**
 * The leaders' breakdowns as Excel: the same answers the dashboard tables show (breakdown by
 * region or dimension, the enterprise ranking, the overdue ageing), for a region within reach.
 */
import type { AppDeps } from '../app';
import { figureCacheOf } from '../../db/figures/answer-cache';
import { FigureReader } from '../../db/figures/answers';
import { nodeOf } from '../figure-region';
import { AGE_BUCKETS } from '../../domain/figures/ageing';
import { exportContext, exportLedger, ledgerResponses } from '../ledger/export';
import { labelOf } from '../ledger/labels';
import type { Bilingual, CellKind, Lang, LedgerColumn } from '../ledger/sheet';
import { route, type RouteSpec } from '../route-spec';
import { ageingExportQuery, breakdownExportQuery, rankingExportQuery } from '../schemas/ledger';

const JURISDICTIONS = ['leader', 'supervisor', 'admin'] as const;
const t = (zh: string, en: string): Bilingual => ({ zh, en });
function col<R>(zh: string, en: string, kind: CellKind, value: (r: R, l: Lang) => string | number | null | undefined): LedgerColumn<R> {
  return { title: { zh, en }, kind, value };
}

const BY: Record<'region' | 'industry' | 'leader' | 'supervisor', Bilingual> = {
  region: t('下级区域', 'Region one level down'),
  industry: t('行业', 'Industry'),
  leader: t('包联领导', 'Responsible leader'),
  supervisor: t('负责监管人员', 'Supervisor in charge'),
};
const PERIOD = { day: t('日', 'day'), week: t('周', 'week'), month: t('月', 'month'), quarter: t('季度', 'quarter'), year: t('年', 'year') } as Record<string, Bilingual>;
const NOT_RECORDED = t('未记录', 'not recorded');

type BreakdownRow = Awaited<ReturnType<FigureReader['breakdown']>>['rows'][number] & { level?: string; registered?: number; closed?: number; onTimeRate?: number | null };
type RankingRow = { name: string; overdue?: number; major?: number; oldestDeadline?: string; repeats?: number };
type AgeingRow = Awaited<ReturnType<FigureReader['ageing']>>['buckets'][number];

const once = <R>(rows: R[]) =>
  (async function* () {
    if (rows.length) yield rows;
  })();

export function figureLedgerRoutes(deps: AppDeps): RouteSpec[] {
  const { db, clock } = deps;
  const ctx = exportContext(deps);
  const reader = () => new FigureReader(db, clock(), figureCacheOf(db));
  return [
    route({
      method: 'get',
      path: '/api/figures/breakdown/export.xlsx',
      operationId: 'exportFiguresBreakdown',
      summary: 'A breakdown of the leaders\' figures as Excel: open and overdue hazards one level down, or by industry, responsible leader or supervisor',
      tag: 'ledgers',
      access: JURISDICTIONS,
      query: breakdownExportQuery,
      responses: { ...ledgerResponses('one row per child region or value'), 404: { description: 'no such region within reach' } },
      async handler({ res, query: q, principal }) {
        const node = await nodeOf(db, principal, q.region);
        const answer = await reader().breakdown(node, q.by, q.period, q.date);
        const rows = answer.rows as BreakdownRow[];
        const columns: LedgerColumn<BreakdownRow>[] = [
          col(BY[q.by].zh, BY[q.by].en, 'text', (r, l) => r.label ?? NOT_RECORDED[l]),
          ...(q.by === 'region' ? [col<BreakdownRow>('级别', 'Level', 'text', (r, l) => labelOf('regionLevel', r.level, l))] : []),
          col('未销号', 'Open', 'number', (r) => r.open),
          col('整改中', 'Rectifying', 'number', (r) => r.rectifying),
          col('待复查', 'Under review', 'number', (r) => r.underReview),
          col('逾期', 'Overdue', 'number', (r) => r.overdue),
          col('重大隐患', 'Major', 'number', (r) => r.major),
          col('重大逾期', 'Major overdue', 'number', (r) => r.overdueMajor),
          ...AGE_BUCKETS.map((b) => col<BreakdownRow>(`逾期${b.key}工作日`, `Overdue ${b.key} working days`, 'number', (r) => {
            const cell = r.ageing[b.key];
            return cell ? cell.general + cell.major : 0;
          })),
          ...(q.by === 'region'
            ? [
                col<BreakdownRow>('本期新增', 'Registered in period', 'number', (r) => r.registered),
                col<BreakdownRow>('本期销号', 'Closed in period', 'number', (r) => r.closed),
                col<BreakdownRow>('按期销号率', 'Closed on time', 'percent', (r) => r.onTimeRate ?? null),
              ]
            : []),
        ];
        await exportLedger(ctx, res, principal, {
          ledger: `figures-breakdown-${q.by}`,
          title: t(`隐患分布（按${BY[q.by].zh}）`, `Hazards by ${BY[q.by].en.toLowerCase()}`),
          lang: q.lang,
          columns,
          filters: [
            [q.lang === 'zh' ? '区域' : 'Region', node.name],
            [q.lang === 'zh' ? '统计周期' : 'Period', `${PERIOD[q.period]?.[q.lang] ?? q.period} ${answer.period.from} – ${answer.period.to}`],
            [q.lang === 'zh' ? '数据时间' : 'Figures as of', String(answer.computedAt ?? '')],
          ],
          query: { ...q },
          count: { rows: rows.length },
          pages: () => once(rows),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/enterprises/export.xlsx',
      operationId: 'exportFiguresEnterpriseRanking',
      summary: 'The enterprise ranking as Excel: enterprises of a region within reach with the most overdue hazards, or the most repeats in a period',
      tag: 'ledgers',
      access: JURISDICTIONS,
      query: rankingExportQuery,
      responses: { ...ledgerResponses('the ranking'), 404: { description: 'no such region within reach' } },
      async handler({ res, query: q, principal }) {
        const node = await nodeOf(db, principal, q.region);
        const answer = await reader().ranking(node, q.rank, q.period, q.limit, q.date);
        const rows = answer.rows as RankingRow[];
        const columns: LedgerColumn<RankingRow>[] =
          q.rank === 'overdue'
            ? [
                col('企业', 'Enterprise', 'text', (r) => r.name),
                col('逾期隐患', 'Overdue', 'number', (r) => r.overdue),
                col('其中重大', 'Of which major', 'number', (r) => r.major),
                col('最早期限', 'Oldest deadline', 'date', (r) => r.oldestDeadline),
              ]
            : [col('企业', 'Enterprise', 'text', (r) => r.name), col('重复隐患', 'Repeats', 'number', (r) => r.repeats)];
        const period = 'period' in answer && answer.period ? `${answer.period.from} – ${answer.period.to}` : null;
        await exportLedger(ctx, res, principal, {
          ledger: `figures-enterprises-${q.rank}`,
          title: q.rank === 'overdue' ? t('企业逾期排名', 'Enterprises by overdue hazards') : t('企业重复隐患排名', 'Enterprises by repeat hazards'),
          lang: q.lang,
          columns,
          filters: [
            [q.lang === 'zh' ? '区域' : 'Region', node.name],
            ...(period ? [[q.lang === 'zh' ? '统计周期' : 'Period', period] as [string, string]] : []),
            [q.lang === 'zh' ? '前' : 'Top', String(q.limit)],
          ],
          query: { ...q },
          count: { rows: rows.length },
          pages: () => once(rows),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/ageing/export.xlsx',
      operationId: 'exportFiguresAgeing',
      summary: 'The overdue ageing as Excel: overdue hazards of a region within reach by working days overdue and grade',
      tag: 'ledgers',
      access: JURISDICTIONS,
      query: ageingExportQuery,
      responses: { ...ledgerResponses('one row per age bucket'), 404: { description: 'no such region within reach' } },
      async handler({ res, query: q, principal }) {
        const node = await nodeOf(db, principal, q.region);
        const answer = await reader().ageing({ node });
        await exportLedger(ctx, res, principal, {
          ledger: 'figures-ageing',
          title: t('逾期账龄', 'Overdue ageing'),
          lang: q.lang,
          columns: [
            col<AgeingRow>('逾期工作日', 'Working days overdue', 'text', (r, l) => (r.max === null ? (l === 'zh' ? `${r.min}天以上` : `${r.min}+`) : `${r.min}–${r.max}`)),
            col<AgeingRow>('一般', 'General', 'number', (r) => r.general),
            col<AgeingRow>('重大', 'Major', 'number', (r) => r.major),
            col<AgeingRow>('合计', 'Total', 'number', (r) => r.total),
          ],
          filters: [
            [q.lang === 'zh' ? '区域' : 'Region', node.name],
            [q.lang === 'zh' ? '截至' : 'As of', answer.today],
          ],
          query: { ...q },
          count: { rows: answer.buckets.length },
          pages: () => once(answer.buckets),
        });
      },
    }),
  ];
}
