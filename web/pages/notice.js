// @ts-check
/**
 * One supervision notice (督办通知): what it orders and by when, its hazards, the instruments its
 * ladder issued (提示卡 → 清单 → 督办函 → 指令), the decisions for people (约谈, 行政处罚, 停产整顿,
 * 移送司法), what happened and what was sent. The enterprise addressed signs for it (签收) here;
 * leaders and supervisors take or decline a pending decision here; supervisors move its deadline,
 * and confirm the completion of one without hazards (notice-commands.js).
 */
import { api, ApiProblem, asProblem, enterprises, newIdempotencyKey } from '../api.js';
import { append, h, uid } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { has, t } from '../i18n.js';
import { instant, namedAndReached, notificationsCard, timelineCard as caseTimeline } from '../case-pages.js';
import { hasRole } from '../session.js';
import { deliveriesCard } from '../delivery-card.js';
import { urgeCard } from '../urge.js';
import { instrumentPdfPath, pdfButton } from '../document-links.js';
import { personName } from '../people.js';
import { FormState, badge, card, enterpriseName, errorPanel, escalationBadge, fact, field, label, missingProblem, provisionalMark, statusBadge } from '../ui.js';
import { suspensionOrderForm } from '../suspension-order.js';
import { noticeCommandsCard } from '../notice-commands.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').Notice} Notice */
/** @typedef {import('../types').NoticeListItem} NoticeListItem */
/** @typedef {import('../types').NoticeDecision} NoticeDecision */

/**
 * The status, and the facts about time that matter (overdue).
 * @param {NoticeListItem} n
 */
export function noticeBadges(n) {
  return [badge(`notice-${n.status}`, label('notices.status', n.status)), n.overdue ? badge('overdue', t('notices.overdue')) : null];
}

/**
 * The deadline, marked 期限待定 while it was counted into a year without calendar data (the record also notes provisional later steps).
 * @param {NoticeListItem} n
 */
export function noticeDeadline(n, { note = false } = {}) {
  return [h('time', { datetime: n.deadline }, formatDate(n.deadline)), provisionalMark(n, { note })];
}

/** The enterprise addressed, or the government body a notice goes to. */
export const addresseeOf = (/** @type {NoticeListItem} */ n, /** @type {Map<string, string>} */ names) => (n.enterpriseId ? enterpriseName(names, n.enterpriseId) : (n.addressee ?? ''));

/**
 * @param {Notice} n
 * @param {Map<string, string>} names
 */
function recordCard(n, names) {
  return card(
    'record',
    t('notices.record'),
    h(
      'dl',
      { class: 'facts' },
      fact(t('notices.field.code'), n.code),
      fact(t('notices.field.title'), n.title),
      n.agency ? fact(t('notices.field.agency'), n.agency) : null,
      fact(t('notices.field.addressee'), addresseeOf(n, names)),
      n.grade ? fact(t('notices.field.grade'), label('grade', n.grade)) : null,
      fact(t('notices.field.requirements'), h('span', { class: 'prose' }, n.requirements)),
      n.legalBasis ? fact(t('notices.field.legalBasis'), h('span', { class: 'prose' }, n.legalBasis)) : null,
      fact(t('notices.field.deadline'), noticeDeadline(n, { note: true })),
      n.signDueAt && n.enterpriseId ? fact(t('notices.field.signDueAt'), instant(n.signDueAt)) : null,
      n.enterpriseId
        ? fact(
            t('notices.field.signed'),
            n.signedAt ? h('span', { class: 'signed' }, t('notices.field.signedValue', { by: n.signedBy ? personName(n.people, n.signedBy) : '', at: formatDateTime(n.signedAt) })) : h('span', { class: 'muted' }, t('notices.field.notSigned')),
          )
        : null,
      fact(t('notices.field.ladder'), escalationBadge(n.ladderLevel)),
      fact(t('notices.field.issued'), personName(n.people, n.issuedBy), ' · ', instant(n.issuedAt)),
      n.closedAt ? fact(t('notices.field.closedAt'), instant(n.closedAt)) : null,
    ),
  );
}

/**
 * @param {Notice} n
 */
function hazardsCard(n) {
  const items = n.hazards ?? [];
  if (!items.length) return card('notice-hazards', t('notices.hazards'), h('p', { class: 'muted' }, t('notices.hazardsEmpty')));
  return card(
    'notice-hazards',
    t('notices.hazards'),
    h(
      'ul',
      { class: 'plain-list' },
      items.map((hz) =>
        h('li', { 'data-hazard-id': hz.id }, h('a', { href: `#/hazards/${encodeURIComponent(hz.id)}`, class: 'hazard-link' }, hz.title), ' ', statusBadge(hz.status), hz.deadline ? [' ', h('span', { class: 'muted' }, formatDate(hz.deadline))] : null),
      ),
    ),
  );
}

/**
 * @param {Notice} n
 */
function instrumentsCard(n) {
  const items = n.instruments ?? [];
  if (!items.length) return card('instruments', t('notices.instruments'), h('p', { class: 'muted' }, t('notices.instrumentsEmpty')));
  const columns = [
    ['kind', 'notices.col.kind'],
    ['code', 'notices.col.instrumentCode'],
    ['recipient', 'notices.col.recipient'],
    ['issuedAt', 'notices.col.issuedAt'],
    ['pdf', 'documents.pdf'],
  ];
  return card(
    'instruments',
    t('notices.instruments'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'instruments' },
        h('thead', null, h('tr', null, columns.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
        h(
          'tbody',
          null,
          items.map((i) =>
            h(
              'tr',
              { 'data-instrument': i.kind },
              h('td', { class: 'col-kind' }, label('notices.instrument', i.kind)),
              h('td', { class: 'col-code' }, i.code),
              h('td', { class: 'col-recipient' }, namedAndReached(n.reached, label('role', i.recipientRole), i.step)),
              h('td', { class: 'col-issuedAt' }, instant(i.issuedAt)),
              h('td', { class: 'col-pdf' }, pdfButton(instrumentPdfPath(i.code), i.code)),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Take or decline a pending decision: the document number (when taken) and the reason.
 * @param {Notice} n
 * @param {NoticeDecision} d
 * @param {{onDone: (note: string) => unknown}} options
 */
function decisionForm(n, d, { onDone }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('notices.decision.submit'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'decision', 'data-decision-id': d.id });
  const state = new FormState(form, button, t('notices.decision.submit'));
  let idempotencyKey = newIdempotencyKey();

  const name = uid('outcome');
  const radio = (/** @type {string} */ value, /** @type {string} */ text) => {
    const rid = uid('outcome');
    return h('div', { class: 'radio' }, h('input', { type: 'radio', name, id: rid, value }), h('label', { for: rid }, text));
  };
  const outcomeError = h('p', { class: 'field-error', id: uid('outcome-error'), hidden: true });
  const outcome = h(
    'fieldset',
    { class: 'field radios', 'aria-describedby': outcomeError.id },
    h('legend', null, t('notices.decision.outcome'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    outcomeError,
    h('div', { class: 'radio-row' }, radio('taken', t('notices.decision.take')), radio('declined', t('notices.decision.decline'))),
  );
  state.add('outcome', { wrap: outcome, error: outcomeError, control: outcome.querySelector('input') });
  const documentNumber = state.add(
    'documentNumber',
    field({ labelText: t('notices.decision.documentNumber'), required: true, build: (a) => h('input', { ...a, type: 'text', name: 'documentNumber', autocomplete: 'off', maxlength: 100 }) }),
  );
  documentNumber.wrap.hidden = true;
  const reason = state.add('reason', field({ labelText: t('notices.decision.reason'), required: true, build: (a) => h('textarea', { ...a, name: 'reason', rows: 3, maxlength: 2000 }) }));
  const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="${name}"]:checked`))?.value ?? '';
  outcome.addEventListener('change', () => {
    documentNumber.wrap.hidden = chosen() !== 'taken';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const o = chosen();
    const why = reason.control.value.trim();
    const number = documentNumber.control.value.trim();
    const missing = [...(o ? [] : ['outcome']), ...(o === 'taken' && !number ? ['documentNumber'] : []), ...(why ? [] : ['reason'])];
    if (missing.length) return state.show(missingProblem(missing));
    /** @type {import('../types').Bodies['decision']} */
    const body = o === 'taken' ? { outcome: o, documentNumber: number, reason: why } : { outcome: /** @type {'declined'} */ (o), reason: why };
    state.clear();
    state.busy(true);
    try {
      await api.decideNotice(n.id, d.id, body, idempotencyKey);
      onDone(t('notices.decision.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      // Refused for want of the post the policy names: say which, in the page's language.
      if (problem instanceof ApiProblem && problem.code === 'decision-post-required') {
        const post = problem.post ? label('post', problem.post) : d.deciderPost ? label('post', d.deciderPost) : label('role', d.deciderRole);
        state.show(new ApiProblem(problem.status, { code: problem.code, title: t('notices.decision.postRequired', { post }) }));
      } else state.show(problem);
    }
  });
  return append(form, [outcome, documentNumber.wrap, reason.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
}

/**
 * @param {Notice} n
 * @param {{onDone: (note: string) => unknown}} actions
 */
function decisionsCard(n, actions) {
  const items = n.decisions ?? [];
  if (!items.length) return card('decisions', t('notices.decisions'), h('p', { class: 'muted' }, t('notices.decisionsEmpty')));
  // The policy addresses each decision to a post (or a role mapping to one) of a leader or a
  // supervisor; that kind of user is offered it, and the API refuses those not holding the post.
  const SUPERVISORS = ['supervisor', 'supervisor_chief', 'grid_worker', 'inspector', 'section_chief', 'bureau_director'];
  const decidingRole = (/** @type {string} */ role) => (SUPERVISORS.includes(role) ? 'supervisor' : /_leader$/.test(role) ? 'leader' : null);
  const mayDecide = (/** @type {NoticeDecision} */ d) => n.status !== 'closed' && d.status === 'pending' && !!decidingRole(d.deciderRole) && hasRole(decidingRole(d.deciderRole) ?? '');
  return card(
    'decisions',
    t('notices.decisions'),
    h(
      'ul',
      { class: 'plain-list decision-list' },
      items.map((d) =>
        h(
          'li',
          { class: 'decision', 'data-decision': d.kind, 'data-status': d.status },
          h('div', { class: 'event-head' }, h('span', { class: 'decision-kind' }, label('notices.decision', d.kind)), ' ', badge(`decision-${d.status}`, label('notices.decisionStatus', d.status))),
          h(
            'dl',
            { class: 'event-details' },
            fact(t('notices.decision.decider'), namedAndReached(n.reached, d.deciderPost ? label('post', d.deciderPost) : label('role', d.deciderRole), d.step)),
            fact(t('notices.decision.openedAt'), instant(d.openedAt)),
            d.documentNumber ? fact(t('notices.decision.documentNumber'), d.documentNumber) : null,
            d.reason ? fact(t('notices.decision.reason'), h('span', { class: 'prose' }, d.reason)) : null,
            d.decidedBy && d.decidedAt ? fact(t('notices.decision.decider'), t('notices.decision.decidedBy', { by: personName(n.people, d.decidedBy), at: formatDateTime(d.decidedAt) })) : null,
          ),
          d.status === 'taken' ? pdfButton(`/notices/${encodeURIComponent(n.id)}/decisions/${encodeURIComponent(d.id)}/pdf`, d.documentNumber ?? '') : null,
          mayDecide(d) ? decisionForm(n, d, actions) : null,
          carryingOut(n, d, actions),
        ),
      ),
    ),
  );
}

/**
 * A taken 停产整顿 decision is carried out by one suspension order: its link once ordered, else the
 * order form (filled from the decision) for those who order suspensions.
 * @param {Notice} n
 * @param {NoticeDecision} d
 * @param {{onDone: (note: string) => unknown}} options
 */
function carryingOut(n, d, { onDone }) {
  if (d.kind !== 'suspension' || d.status !== 'taken') return null;
  if (d.suspensionId) {
    return h('p', { class: 'decision-carried-out' }, h('a', { href: `#/suspensions/${encodeURIComponent(d.suspensionId)}` }, t('notices.decision.suspensionOrdered')));
  }
  if (!n.enterpriseId || !hasRole('supervisor', 'leader')) return null;
  return suspensionOrderForm({
    enterpriseId: n.enterpriseId,
    origin: { type: 'notice_decision', id: d.id },
    documentNumber: d.documentNumber ?? '',
    reason: d.reason ?? '',
    after: async () => null,
    onDone: (_answer, note) => onDone(note),
  });
}

/**
 * 签收: for the enterprise addressed while the notice is not yet signed for.
 * @param {Notice} n
 * @param {{onDone: (note: string) => unknown}} options
 */
function signCard(n, { onDone }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('notices.sign.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'sign' });
  const state = new FormState(form, button, t('notices.sign.button'));
  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    state.clear();
    state.busy(true);
    try {
      await api.signNotice(n.id, idempotencyKey);
      onDone(t('notices.sign.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  append(form, [h('p', { class: 'hint' }, t('notices.sign.intro')), state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return card('actions sign', t('notices.sign.button'), form);
}

/**
 * @param {Notice} n
 * @param {Notice['timeline'][number]} e
 */
function eventDetails(n, e) {
  const d = e.data;
  /** @type {HTMLElement[]} */
  const rows = [];
  const add = (/** @type {string} */ key, /** @type {import('../types').Child[]} */ ...value) => rows.push(fact(t(key), ...value));
  if (typeof d.instrument === 'string') add('notices.col.kind', label('notices.instrument', d.instrument));
  if (typeof d.kind === 'string' && e.type.startsWith('decision_')) add('notices.decision.outcome', label('notices.decision', d.kind));
  // The people the step reached stand beside the role it named (the event and its notification share the step).
  if (d.recipientRole) add('notices.col.recipient', namedAndReached(n.reached, label('role', d.recipientRole), e.step));
  if (d.deciderRole) add('notices.decision.decider', namedAndReached(n.reached, label('role', d.deciderRole), e.step));
  if (typeof d.documentNumber === 'string' && d.documentNumber) add('notices.decision.documentNumber', d.documentNumber);
  if (typeof d.reason === 'string' && d.reason) add('notices.decision.reason', d.reason);
  if (e.type === 'urged' && typeof d.message === 'string' && d.message) add('urge.message', d.message);
  if (e.type === 'urged' && d.bulkUrgeId) add('urge.how', t('urge.bulk'));
  if (typeof d.from === 'string' && typeof d.to === 'string') add('notices.field.deadline', `${formatDate(d.from)} → ${formatDate(d.to)}`);
  return rows.length ? h('dl', { class: 'event-details' }, rows) : null;
}

/**
 * @param {Notice} n
 */
function timelineCard(n) {
  return caseTimeline(n.timeline ?? [], {
    typeLabel: (e) => (has(`notices.event.${e.type}`) ? t(`notices.event.${e.type}`) : e.type),
    details: (e) => eventDetails(n, e),
  });
}

export async function noticePage(/** @type {PageContext} */ { params, navigate, flash, flashed }) {
  const back = h('a', { class: 'back-link', href: '#/notices' }, '‹ ', t('notices.back'));
  try {
    const [n, list] = await Promise.all([api.notice(params.id), enterprises().catch(() => [])]);
    const names = new Map(list.map((e) => [e.id, e.name]));
    const actions = {
      onDone: (/** @type {string} */ message) => {
        flash(message);
        navigate(location.hash);
      },
    };
    // The API shows an enterprise user its own notices only: one it can read is addressed to it.
    const maySign = hasRole('enterprise') && !!n.enterpriseId && n.status === 'issued';
    const node = h(
      'section',
      { class: 'page detail' },
      back,
      h(
        'header',
        { class: 'detail-head' },
        h('h1', { tabindex: '-1' }, t('notices.heading', { code: n.code })),
        h('div', { class: 'badges' }, noticeBadges(n)),
        h('p', { class: 'detail-sub' }, addresseeOf(n, names), ' · ', n.title),
        h('p', { class: 'detail-actions' }, pdfButton(instrumentPdfPath(n.code), n.code)),
      ),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      maySign ? signCard(n, actions) : null,
      urgeCard('notice', n, actions),
      noticeCommandsCard(n, actions),
      h('div', { class: 'detail-grid' }, recordCard(n, names), hazardsCard(n), instrumentsCard(n), decisionsCard(n, actions), timelineCard(n), notificationsCard(n.notifications ?? [], 'notices.notifKind', n.reached), hasRole('enterprise') ? null : deliveriesCard('notice', n.id, 'notices.notifKind')),
    );
    return { title: t('notices.heading', { code: n.code }), node };
  } catch (thrown) {
    const problem = asProblem(thrown);
    const node = h(
      'section',
      { class: 'page detail' },
      back,
      h('h1', { tabindex: '-1' }, problem.status === 404 ? t('notices.notFound') : t('error.load')),
      problem.status === 404 ? null : errorPanel(problem, () => navigate(location.hash)),
    );
    return { title: t('error.load'), node };
  }
}
