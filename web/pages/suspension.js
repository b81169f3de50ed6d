// @ts-check
/**
 * One suspension for rectification (停产整顿): the order, its clock (planned and maximum end,
 * days left), what happened (timeline) and what was sent (notifications). Read-only: the
 * commands are taken through the API.
 */
import { api, asProblem, enterprises } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate } from '../format.js';
import { has, t } from '../i18n.js';
import { instant, namedAndReached, notificationsCard, timelineCard as caseTimeline } from '../case-pages.js';
import { badge, card, enterpriseName, errorPanel, fact, label } from '../ui.js';
import { personName } from '../people.js';
import { resumptionCard } from './resumption.js';
import { resumptionReviewCard, suspensionCommandsCard } from '../suspension-commands.js';
import { documentsCard, loadDocuments, pdfButton } from '../document-links.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').Suspension} Suspension */
/** @typedef {import('../types').SuspensionListItem} SuspensionListItem */

/**
 * The status, and the facts about time that matter (overdue for review, past the maximum).
 * @param {SuspensionListItem} s
 */
export function suspensionBadges(s) {
  const open = s.status === 'suspended' || s.status === 'resumption_requested';
  return [
    badge(`suspension-${s.status}`, label('suspension.status', s.status)),
    s.reviewOverdue ? badge('overdue', t('suspension.reviewOverdue')) : null,
    open && s.maximumReachedAt ? badge('overdue', t('suspension.maximumReached')) : null,
  ];
}

/**
 * "还剩 N 天" / "已过 N 天" to an end, while the suspension runs.
 * @param {SuspensionListItem} s
 * @param {'plannedEnd' | 'maxEnd'} end
 */
export function remainingText(s, end) {
  if (s.status !== 'suspended' && s.status !== 'resumption_requested') return '';
  const days = s.daysRemaining[end];
  if (typeof days !== 'number') return '';
  return days >= 0 ? t('suspension.daysLeft', { days }) : t('suspension.daysPast', { days: -days });
}

const date = (/** @type {string} */ d) => h('time', { datetime: d }, formatDate(d));

/**
 * @param {Suspension} s
 * @param {Map<string, string>} names
 */
function recordCard(s, names) {
  return card(
    'record',
    t('suspension.record'),
    h(
      'dl',
      { class: 'facts' },
      fact(t('suspension.field.documentNumber'), s.documentNumber),
      fact(t('suspension.field.enterprise'), enterpriseName(names, s.enterpriseId)),
      fact(t('suspension.field.scope'), label('suspension.scope', s.scope), s.scopeNote ? ` · ${s.scopeNote}` : ''),
      fact(t('suspension.field.reason'), h('span', { class: 'prose' }, s.reason)),
      fact(t('suspension.field.startsOn'), date(s.startsOn)),
      fact(t('suspension.field.plannedEnd'), date(s.plannedEnd), ' ', h('span', { class: 'muted' }, remainingText(s, 'plannedEnd'))),
      fact(t('suspension.field.maxEnd'), date(s.maxEnd), ' ', h('span', { class: 'muted' }, t('suspension.maxDays', { days: s.maxDays }), ' ', remainingText(s, 'maxEnd'))),
      s.hazardId ? fact(t('suspension.field.hazard'), h('a', { href: `#/hazards/${encodeURIComponent(s.hazardId)}` }, t('suspension.field.hazardLink'))) : null,
      s.origin ? fact(t('suspension.field.origin'), t('suspension.origin', { id: s.origin.id })) : null,
      fact(t('suspension.field.createdBy'), personName(s.people, s.createdBy), ' · ', instant(s.createdAt)),
      s.next ? fact(t('suspension.field.next'), label('suspension.next', s.next.kind), ' · ', instant(s.next.at)) : null,
    ),
  );
}

/**
 * @param {Suspension} s
 * @param {Suspension['timeline'][number]} e
 */
function eventDetails(s, e) {
  const d = e.data;
  /** @type {HTMLElement[]} */
  const rows = [];
  const add = (/** @type {string} */ key, /** @type {import('../types').Child[]} */ ...value) => rows.push(fact(t(key), ...value));
  if (typeof d.plannedEnd === 'string' && d.plannedEnd && e.type !== 'ordered') add('suspension.field.plannedEnd', date(d.plannedEnd));
  if (typeof d.previousPlannedEnd === 'string' && d.previousPlannedEnd) add('suspension.field.previousPlannedEnd', date(d.previousPlannedEnd));
  if (Array.isArray(d.reasons)) add('suspension.field.reasons', h('ul', { class: 'plain-list' }, d.reasons.map((r) => h('li', null, String(r)))));
  if (typeof d.reason === 'string' && e.type !== 'ordered') add('suspension.field.reason', d.reason);
  if (typeof d.documentNumber === 'string' && e.type === 'lifted') add('suspension.field.documentNumber', d.documentNumber);
  if (d.selfCheck && typeof d.selfCheck === 'object' && 'summary' in d.selfCheck && typeof d.selfCheck.summary === 'string') add('suspension.field.selfCheck', d.selfCheck.summary);
  if (typeof d.note === 'string' && d.note) add('suspension.field.note', d.note);
  if (typeof d.comment === 'string' && d.comment) add('suspension.field.comment', d.comment);
  if (d.recipientRole) add('suspension.field.recipient', namedAndReached(s.reached, label('role', d.recipientRole), e.step));
  return rows.length ? h('dl', { class: 'event-details' }, rows) : null;
}

/**
 * @param {Suspension} s
 */
function timelineCard(s) {
  return caseTimeline(s.timeline ?? [], {
    typeLabel: (e) => (has(`suspension.event.${e.type}`) ? t(`suspension.event.${e.type}`) : e.type),
    details: (e) => eventDetails(s, e),
  });
}

export async function suspensionPage(/** @type {PageContext} */ { params, navigate, flash, flashed }) {
  const back = h('a', { class: 'back-link', href: '#/suspensions' }, '‹ ', t('suspensions.back'));
  try {
    const [s, list] = await Promise.all([api.suspension(params.id), enterprises().catch(() => [])]);
    const names = new Map(list.map((e) => [e.id, e.name]));
    const node = h('section', { class: 'page detail' });
    const documents = h('div', { class: 'documents-slot' });
    // A command done: the page shows the suspension the API answered with, and says what was done.
    /**
     * @param {Suspension} current
     * @param {string} [message]
     */
    const render = (current, message) => {
      const done = message ? h('div', { class: 'notice notice-success', role: 'status', tabindex: '-1' }, message) : null;
      replace(
        node,
        back,
        h(
          'header',
          { class: 'detail-head' },
          h('h1', { tabindex: '-1' }, t('suspension.heading', { number: current.documentNumber })),
          h('div', { class: 'badges' }, suspensionBadges(current)),
          h('p', { class: 'detail-sub' }, enterpriseName(names, current.enterpriseId)),
          h('p', { class: 'detail-actions' }, pdfButton(`/suspensions/${encodeURIComponent(current.id)}/pdf`, current.documentNumber)),
        ),
        done,
        h(
          'div',
          { class: 'detail-grid' },
          recordCard(current, names),
          resumptionCard(current, async (/** @type {Suspension} */ updated, /** @type {string} */ note) => render(updated, note)),
          resumptionReviewCard(current, { onDone: async (note) => render(await api.suspension(params.id), note) }),
          suspensionCommandsCard(current, { onDone: (updated, note) => render(updated, note) }),
          timelineCard(current),
          notificationsCard(current.notifications ?? [], 'notice.kind', current.reached),
          documents,
        ),
      );
      // The order and each decision on resumption, fetched beside the record (they follow each step).
      void loadDocuments(`/suspensions/${encodeURIComponent(current.id)}`).then((list) => replace(documents, documentsCard(list)));
      done?.focus();
    };
    render(s);
    return { title: t('suspension.heading', { number: s.documentNumber }), node };
  } catch (thrown) {
    const problem = asProblem(thrown);
    const node = h(
      'section',
      { class: 'page detail' },
      back,
      h('h1', { tabindex: '-1' }, problem.status === 404 ? t('suspension.notFound') : t('error.load')),
      problem.status === 404 ? null : errorPanel(problem, () => navigate(location.hash)),
    );
    return { title: t('error.load'), node };
  }
}
