// @ts-check
/**
 * 双月督办会材料: the review packs of regions within reach, newest first, with a button for
 * leaders and admins to assemble one now for their own region's window so far; and one pack's
 * tables. Every count that a hazard list reproduces opens that list (#/hazards?<its query>).
 */
import { api, asProblem } from '../api.js';
import { h } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { personName } from '../people.js';
import { currentUser, hasRole } from '../session.js';
import { card, errorPanel, fact, gradeBadge, listHash, pager } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').ReviewPack['content']} Content */
/** @typedef {import('../types').Child} Child */

const PAGE_SIZE = 20;

/** A count that opens the hazards behind it, when the figure says which they are. */
const count = (/** @type {number | null | undefined} */ value, /** @type {string | null | undefined} */ list) => (list ? h('a', { href: `#/hazards?${list}`, class: 'figure-link' }, String(value)) : String(value ?? '—'));
const percent = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
const periodText = (/** @type {{from: string, to: string}} */ p) => t('packs.period', { from: formatDate(p.from), to: formatDate(p.to) });
/** Who assembled a pack: the schedule, or a person by display name. */
const assembler = (/** @type {Record<string, string>} */ people, /** @type {string} */ by) => (by === 'system' ? t('packs.bySchedule') : personName(people, by));

/**
 * @template R
 * @param {string} className
 * @param {Array<[string, string, (row: R) => Child]>} columns
 * @param {R[]} rows
 * @param {string} emptyKey
 */
function table(className, columns, rows, emptyKey) {
  if (!rows.length) return h('p', { class: 'empty' }, t(emptyKey));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: ['ledger', className] },
      h('thead', null, h('tr', null, columns.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(String(key)))))),
      h('tbody', null, rows.map((row) => h('tr', null, columns.map(([col, key, render]) => h('td', { class: `col-${col}`, 'data-label': t(String(key)) }, h('div', { class: 'cell' }, render(row))))))),
    ),
  );
}

export async function reviewPacksPage(/** @type {PageContext} */ { query, navigate, flash, flashed }) {
  const title = t('packs.title');
  const cursor = query.get('cursor') ?? '';
  const heading = h('h1', { tabindex: '-1' }, title);
  const user = currentUser();
  const assemble = hasRole('leader', 'admin')
    ? h(
        'button',
        {
          type: 'button',
          class: 'button button-primary',
          onClick: async (e) => {
            const button = e.currentTarget;
            button.disabled = true;
            try {
              const started = await api.assembleReviewPack({ regionId: user?.regionId });
              flash(t('packs.assembling', { period: periodText(started.period) }));
              navigate(`#/review-packs/${encodeURIComponent(started.id)}`);
            } catch (thrown) {
              const problem = asProblem(thrown);
              button.disabled = false;
              button.after(errorPanel(problem));
            }
          },
        },
        t('packs.assembleNow'),
      )
    : null;
  const head = h('div', { class: 'page-head' }, heading, assemble);
  let page;
  try {
    page = await api.listReviewPacks({ limit: PAGE_SIZE, cursor });
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, head, errorPanel(problem, () => navigate(location.hash))) };
  }
  const rows = table(
    'review-packs',
    [
      ['region', 'packs.col.region', (p) => h('a', { href: `#/review-packs/${encodeURIComponent(p.id)}`, class: 'pack-link' }, p.region.name)],
      ['period', 'packs.col.period', (p) => periodText(p.period)],
      ['assembledAt', 'packs.col.assembledAt', (p) => formatDateTime(p.assembledAt)],
      ['assembledBy', 'packs.col.assembledBy', (p) => assembler(page.people, p.assembledBy)],
    ],
    page.items,
    'packs.empty',
  );
  return {
    title,
    node: h(
      'section',
      { class: 'page' },
      head,
      flashed ? h('p', { class: 'flash', role: 'status' }, flashed) : null,
      h('p', { class: 'muted' }, t('packs.intro')),
      rows,
      pager({
        total: page.items.length,
        cursor,
        nextCursor: page.nextCursor,
        first: () => navigate('#/review-packs'),
        next: () => navigate(listHash('#/review-packs', { cursor: page.nextCursor })),
      }),
    ),
  };
}

/** @param {Content['interviews']['candidates'][number]['reasons'][number]} r */
const reasonText = (r) =>
  r.kind === 'major-overdue' ? t('packs.reason.majorOverdue', { days: r.workingDays }) : t(r.kind === 'overdue' ? 'packs.reason.overdue' : 'packs.reason.repeats', { count: r.count });

export async function reviewPackPage(/** @type {PageContext} */ { params, navigate, flashed }) {
  let pack;
  try {
    pack = await api.reviewPack(params.id);
  } catch (thrown) {
    const problem = asProblem(thrown);
    const title = t('packs.title');
    // A pack just asked for is not there until the workflow has stored it.
    const waiting = problem.status === 404 ? h('p', { class: 'muted' }, t('packs.notYet')) : null;
    return { title, node: h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, title), flashed ? h('p', { class: 'flash', role: 'status' }, flashed) : null, waiting, errorPanel(problem, () => navigate(location.hash))) };
  }
  const c = pack.content;
  const o = c.overview;
  const title = t('packs.packTitle', { region: pack.region.name });
  const kpis = h(
    'dl',
    { class: 'facts' },
    fact(t('packs.kpi.open'), count(o.open.value, o.open.list)),
    fact(t('packs.kpi.overdue'), count(o.overdue.value, o.overdue.list), ' ', t('packs.kpi.overdueMajor', { n: o.overdue.major ?? 0 })),
    fact(t('packs.kpi.registered'), count(o.registered.value, o.registered.list)),
    fact(t('packs.kpi.closed'), count(o.closed.value, o.closed.list)),
    fact(t('packs.kpi.onTimeRate'), percent(o.onTimeRate.value)),
    fact(t('packs.kpi.repeats'), count(o.repeats.value, o.repeats.list)),
    fact(t('packs.kpi.escalated'), String(o.escalated.value)),
  );
  /** @type {Array<[string, string, (r: {open: number, overdue: number, overdueMajor: number, lists: {open: string, overdue: string}}) => Child]>} */
  const scorecard = [
    ['open', 'packs.col.open', (r) => count(r.open, r.lists.open)],
    ['overdue', 'packs.col.overdue', (r) => count(r.overdue, r.lists.overdue)],
    ['overdueMajor', 'packs.col.overdueMajor', (r) => String(r.overdueMajor)],
  ];
  return {
    title,
    node: h(
      'section',
      { class: 'page review-pack' },
      h('h1', { tabindex: '-1' }, title),
      flashed ? h('p', { class: 'flash', role: 'status' }, flashed) : null,
      h(
        'p',
        { class: 'muted' },
        periodText(pack.period),
        ' · ',
        t('packs.assembled', { at: formatDateTime(pack.assembledAt), by: assembler(pack.people, pack.assembledBy) }),
      ),
      card('pack-overview', t('packs.overview'), kpis),
      card(
        'pack-overdue',
        t('packs.overdueTop', { n: c.overdueTop.limit }),
        table(
          'pack-overdue-table',
          [
            ['title', 'packs.col.hazard', (r) => h('a', { href: `#/hazards/${encodeURIComponent(r.id)}` }, r.title)],
            ['enterprise', 'packs.col.enterprise', (r) => r.enterprise.name],
            ['deadline', 'packs.col.deadline', (r) => formatDate(r.deadline)],
            ['days', 'packs.col.workingDaysOverdue', (r) => String(r.workingDaysOverdue)],
            ['grade', 'packs.col.grade', (r) => gradeBadge(r.grade)],
          ],
          c.overdueTop.rows,
          'packs.none',
        ),
        h('p', null, h('a', { href: `#/hazards?${c.overdueTop.list}` }, t('packs.allOverdue'))),
      ),
      card(
        'pack-interviews',
        t('packs.interviews'),
        h('p', { class: 'muted' }, t('packs.interviewRule', c.interviews.rule)),
        table(
          'pack-interviews-table',
          [
            ['enterprise', 'packs.col.enterprise', (r) => r.name],
            ['overdue', 'packs.col.overdue', (r) => count(r.overdue, r.lists.overdue)],
            ['repeats', 'packs.col.repeats', (r) => count(r.repeats, r.lists.repeats)],
            ['reasons', 'packs.col.reasons', (r) => r.reasons.map(reasonText).join(t('packs.reasonSeparator'))],
          ],
          c.interviews.candidates,
          'packs.none',
        ),
      ),
      card(
        'pack-repeats',
        t('packs.repeats'),
        table('pack-repeats-table', [['enterprise', 'packs.col.enterprise', (r) => r.name], ['repeats', 'packs.col.repeats', (r) => count(r.repeats, r.list)]], c.repeats, 'packs.none'),
      ),
      card('pack-leaders', t('packs.leaders'), table('pack-leaders-table', [['leader', 'packs.col.leader', (r) => r.label ?? t('packs.noLeader')], ...scorecard], c.leaders, 'packs.none')),
      card(
        'pack-grids',
        t('packs.grids'),
        table(
          'pack-grids-table',
          [
            ['grid', 'packs.col.grid', (r) => r.name],
            ...scorecard,
            ['closed', 'packs.col.closed', (r) => count(r.closed, r.lists.closed)],
            ['onTimeRate', 'packs.col.onTimeRate', (r) => percent(r.onTimeRate)],
          ],
          c.grids,
          'packs.none',
        ),
      ),
      c.campaigns.length
        ? card(
            'pack-campaigns',
            t('packs.campaigns'),
            table(
              'pack-campaigns-table',
              [
                ['name', 'packs.col.campaign', (r) => r.name],
                ['cutoff', 'packs.col.cutoff', (r) => formatDate(r.cutoff)],
                ['target', 'packs.col.target', (r) => formatDate(r.target)],
                ['stock', 'packs.col.stockOpen', (r) => count(r.stockOpen, r.list)],
              ],
              c.campaigns,
              'packs.none',
            ),
          )
        : null,
    ),
  };
}
