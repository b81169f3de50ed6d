// @ts-check
/**
 * One hazard: its record, its evidence files, what happened (timeline), what was sent
 * (notifications), what comes next, and the actions its status allows the signed-in person:
 * an enterprise user uploads evidence and submits it while the hazard is being rectified; a
 * supervisor reviews it once submitted. While rectifying, the enterprise may ask to move the
 * deadline (延期) and a supervisor approves or denies the request. Everyone else reads. The API
 * decides; a refusal is shown next to the form with its problem detail (and the policy limit it
 * names, if that is why).
 */
import { api, asProblem, enterprises } from '../api.js';
import { commandsCard } from '../hazard-commands.js';
import { photoComparison } from '../photo-compare.js';
import { append, h, replace, uid } from '../dom.js';
import { addDays, daysBetween, formatDate, formatDateTime, formatSize, shanghaiToday } from '../format.js';
import { t } from '../i18n.js';
import { namedAndReached, timelineCard as caseTimeline } from '../case-pages.js';
import { hasRole } from '../session.js';
import { urgeCard } from '../urge.js';
import { deliveriesCard } from '../delivery-card.js';
import { keepDraft } from '../drafts.js';
import { evidenceUploader } from '../evidence-uploader.js';
import { extensionPreview } from '../extension-preview.js';
import { personName } from '../people.js';
import { majorCard, planNeededNote } from './major-hazard.js';
import { caseFileCard, documentsCard, loadDocuments } from '../document-links.js';
import {
  FormState,
  badge,
  enterpriseName,
  errorPanel,
  escalationBadge,
  extensionPendingBadge,
  field,
  label,
  listEditor,
  missingProblem,
  nextStep,
  overdueBadge,
  provisionalMark,
  statusBadge,
} from '../ui.js';
/** @typedef {import('../types').Hazard} Hazard */
/** @typedef {import('../types').PageContext} PageContext */

export async function detailPage(/** @type {PageContext} */ { params, navigate, flashed }) {
  const id = params.id;
  const root = h('section', { class: 'page detail' });
  let names = new Map();

  /** The record and its files, fetched together so the page never shows one newer than the other. */
  const fetchAll = () => Promise.all([api.hazard(id), api.evidence(id).then((r) => r.items)]);

  /** @param {string} [message] */
  const reload = async (message) => {
    const [hazard, files] = await fetchAll();
    render(hazard, files, message);
  };

  /**
   * @param {Hazard} hazard
   * @param {import('../types').EvidenceFile[]} files
   * @param {string | null} [message]
   */
  function render(hazard, files, message) {
    // Drawn again (fresh data after a refusal, an urge, a step done): forms being written stay as they were.
    const restore = keepDraft(root);
    const heading = h('h1', { tabindex: '-1', class: 'detail-title' }, hazard.title);
    const documents = h('div', { class: 'documents-slot' });
    const done = message ? h('div', { class: 'notice notice-success', role: 'status', tabindex: '-1' }, message) : null;
    let evidenceNode = evidenceCard(files, hazard.people);
    const ctx = {
      reload,
      // A step done: show the record the API answered with, and the files as they are now.
      onDone: async (/** @type {Hazard} */ updated, /** @type {string} */ note) => {
        const fresh = await api.evidence(id).then((r) => r.items, () => files);
        render(updated, fresh, note);
      },
      // Files uploaded: the evidence card and the form's list change; what was typed stays.
      onFiles: (/** @type {import('../types').EvidenceFile[]} */ fresh) => {
        files = fresh;
        const next = evidenceCard(fresh, hazard.people);
        evidenceNode.replaceWith(next);
        evidenceNode = next;
      },
    };
    replace(
      root,
      h('a', { class: 'back-link', href: '#/' }, '‹ ', t('detail.back')),
      h(
        'header',
        { class: 'detail-head' },
        heading,
        h(
          'div',
          { class: 'badges' },
          statusBadge(hazard.status),
          badge(`grade-${hazard.grade}`, label('grade', `${hazard.grade}.long`)),
          overdueBadge(hazard),
          hazard.deadlineProvisional ? provisionalMark(hazard, { note: false }) : null,
          extensionPendingBadge(hazard),
          repeatBadge(hazard),
          hazard.round > 1 ? badge('round', t('round', { round: hazard.round })) : null,
        ),
        h('p', { class: 'detail-sub' }, enterpriseName(names, hazard.enterpriseId), ' · ', hazard.category),
        // The trail with its hashes is the bureau's to check (the API refuses enterprises).
        hasRole('enterprise') ? null : h('p', { class: 'detail-links' }, h('a', { class: 'audit-link', href: `#/hazards/${encodeURIComponent(hazard.id)}/audit` }, t('audit.link'))),
      ),
      done,
      h(
        'div',
        { class: 'detail-grid' },
        recordCard(hazard, names),
        // The side column: what can be done now, and the extension (延期) while one can be asked or decided.
        h('div', { class: 'side' }, actionsCard(hazard, files, ctx), urgeCard('hazard', hazard, { onDone: (note) => reload(note) }), extensionCard(hazard, ctx), commandsCard(hazard, ctx)),
        majorCard(hazard, { ...ctx, refused }),
        evidenceNode,
        timelineCard(hazard, files),
        noticesCard(hazard),
        // Who was told on which channel, and what became of it: the bureau's side only.
        hasRole('enterprise') ? null : deliveriesCard('hazard', hazard.id, 'notice.kind'),
        documents,
        // The case file is the bureau's: it holds the deliberations an enterprise is not shown.
        hasRole('enterprise') ? null : caseFileCard(hazard.id),
      ),
    );
    // Its instruments and its notices' (打印/下载 PDF), fetched beside the record: each step may add one.
    void loadDocuments(`/hazards/${encodeURIComponent(hazard.id)}`).then((list) => replace(documents, documentsCard(list)));
    restore(root);
    if (done) done.focus();
  }

  try {
    const [[hazard, files], list] = await Promise.all([fetchAll(), enterprises().catch(() => [])]);
    names = new Map(list.map((e) => [e.id, e.name]));
    render(hazard, files, flashed);
    return { title: hazard.title, node: root };
  } catch (thrown) {
    const problem = asProblem(thrown);
    const node = h(
      'section',
      { class: 'page detail' },
      h('a', { class: 'back-link', href: '#/' }, '‹ ', t('detail.back')),
      h('h1', { tabindex: '-1' }, problem.status === 404 ? t('detail.notFound') : t('error.load')),
      problem.status === 404 ? null : errorPanel(problem, () => navigate(location.hash || '#/')),
    );
    return { title: t('error.load'), node };
  }
}

/**
 * "重复隐患" when the hazard repeats one of the same enterprise and category closed within the
 * policy's window: a link to that closed hazard.
 * @param {Hazard} hz
 */
function repeatBadge(hz) {
  if (!hz.isRepeat || !hz.repeatOf) return null;
  return h(
    'a',
    { class: 'badge badge-repeat', href: `#/hazards/${encodeURIComponent(hz.repeatOf)}`, title: t('repeat.badgeTitle') },
    t('repeat.badge'),
  );
}

/**
 * @param {string} className
 * @param {string} titleText
 * @param {...import('../types').Child} content
 */
function card(className, titleText, ...content) {
  const headingId = uid('card');
  return h('section', { class: ['card', className], 'aria-labelledby': headingId }, h('h2', { id: headingId }, titleText), ...content);
}

/**
 * @param {string} term
 * @param {...import('../types').Child} value
 */
function fact(term, ...value) {
  return h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, ...value));
}

/**
 * A fact that takes the whole width of its list (a reason, a note).
 * @param {string} term
 * @param {...import('../types').Child} value
 */
function wideFact(term, ...value) {
  return h('div', { class: 'fact fact-wide' }, h('dt', null, term), h('dd', null, ...value));
}

const time = (/** @type {string | null} */ iso) => (iso ? h('time', { datetime: iso }, formatDateTime(iso)) : h('span', { class: 'muted' }, t('empty')));
/** A calendar date (YYYY-MM-DD, Shanghai). */
const day = (/** @type {string} */ isoDate, /** @type {string | null} */ className = null) => h('time', { datetime: isoDate, class: className }, formatDate(isoDate));

/**
 * Extensions granted in this round, and the deadline the round was ordered with; null if none.
 * @param {Hazard} hz
 */
function extendedThisRound(hz) {
  const ext = hz.extension;
  if (!ext || !ext.originalDeadline || ext.originalDeadline === hz.deadline) return null;
  return { original: ext.originalDeadline, count: Number.isInteger(ext.grantedThisRound) ? ext.grantedThisRound : 0, days: daysBetween(ext.originalDeadline, hz.deadline) };
}

/**
 * @param {Hazard} hz
 * @param {Map<string, string>} names
 */
function recordCard(hz, names) {
  const long = (/** @type {string} */ key, /** @type {string} */ text) => (text ? fact(t(key), h('span', { class: 'prose' }, text)) : null);
  return card(
    'record',
    t('detail.record'),
    h(
      'dl',
      { class: 'facts' },
      fact(t('detail.enterprise'), enterpriseName(names, hz.enterpriseId)),
      fact(t('detail.category'), hz.category),
      fact(t('detail.source'), label('source', hz.source)),
      fact(t('detail.grade'), label('grade', `${hz.grade}.long`)),
      fact(t('detail.status'), statusBadge(hz.status)),
      fact(t('detail.round'), t('round', { round: hz.round })),
      fact(t('detail.deadline'), [day(hz.deadline, 'deadline'), provisionalMark(hz)]),
      hz.deadlineRule
        ? fact(
            t('detail.deadlineRule'),
            t('detail.deadlineRuleValue', { from: formatDate(hz.deadlineRule.from), days: hz.deadlineRule.days, unit: t(`unit.${hz.deadlineRule.unit}`), basis: hz.deadlineRule.legalBasis }),
          )
        : null,
      ...extendedFacts(hz),
      fact(t('detail.dueAt'), time(hz.dueAt)),
      fact(t('detail.overdue'), overdueBadge(hz) ?? h('span', { class: 'muted' }, t('overdue.none'))),
      fact(t('detail.escalation'), escalationBadge(hz.escalationLevel)),
      fact(t('detail.next'), nextStep(hz)),
      hz.location ? fact(t('detail.location'), hz.location) : null,
      hz.isRepeat && hz.repeatOf
        ? fact(t('repeat.of'), h('a', { class: 'repeat-link', href: `#/hazards/${encodeURIComponent(hz.repeatOf)}` }, t('repeat.link')))
        : null,
      hz.inspection
        ? fact(
            t('detail.inspection'),
            h('a', { class: 'inspection-link', href: `#/inspections/${encodeURIComponent(hz.inspection.id)}` }, t('detail.inspectionFinding', { n: hz.inspection.finding ?? '' })),
          )
        : null,
      fact(t('detail.createdBy'), personName(hz.people, hz.createdBy)),
      fact(t('detail.createdAt'), time(hz.createdAt)),
      hz.submittedAt ? fact(t('detail.submittedAt'), time(hz.submittedAt)) : null,
      hz.closedAt ? fact(t('detail.closedAt'), time(hz.closedAt)) : null,
    ),
    h(
      'dl',
      { class: 'facts facts-long' },
      long('detail.description', hz.description),
      long('detail.requiredMeasures', hz.requiredMeasures),
      long('detail.legalBasis', hz.legalBasis),
    ),
  );
}

/**
 * @param {Hazard} hz
 */
function extendedFacts(hz) {
  const ext = extendedThisRound(hz);
  if (!ext) return [];
  return [
    fact(t('extension.original'), day(ext.original, 'original-deadline')),
    fact(t('extension.grantedRound'), t('extension.grantedValue', { count: ext.count, days: ext.days })),
  ];
}

/* ---------- evidence files ---------- */

/**
 * A button that fetches the file with the session's token and saves it (a plain link could not
 * carry the Authorization header). A failure is said beside it.
 * @param {import('../types').EvidenceFile} file
 */
function downloadButton(file) {
  const status = h('span', { class: 'download-error', role: 'alert' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary button-small download-button',
      'aria-label': t('evidence.downloadName', { name: file.originalName }),
      onClick: async () => {
        status.textContent = '';
        button.disabled = true;
        try {
          await api.downloadEvidence(file);
        } catch (thrown) {
          const problem = asProblem(thrown);
          status.textContent = problem.status > 0 ? `${t('evidence.downloadFailed')} (HTTP ${problem.status})` : t('evidence.downloadFailed');
        } finally {
          button.disabled = false;
        }
      },
    },
    t('evidence.download'),
  );
  return h('span', { class: 'download' }, button, status);
}

/** A "before" photo is the registration's record of the hazard, never evidence waiting to be submitted. */
const roundText = (/** @type {import('../types').EvidenceFile} */ file) =>
  file.phase === 'before'
    ? h('span', { class: 'badge badge-before' }, t('evidence.before'))
    : file.submittedRound
      ? t('evidence.submittedIn', { round: file.submittedRound })
      : h('span', { class: 'pending' }, t('evidence.pending'));

/**
 * @param {import('../types').EvidenceFile[]} files
 * @param {Record<string, string> | undefined} people
 */
function evidenceCard(files, people) {
  if (!files.length) return card('evidence', t('detail.evidence'), h('p', { class: 'muted' }, t('detail.evidenceEmpty')));
  const cols = ['evidence.name', 'evidence.type', 'evidence.size', 'evidence.capturedAt', 'evidence.round', 'evidence.actions'];
  const td = (/** @type {number} */ i, /** @type {string} */ cls, /** @type {import('../types').Child[]} */ ...c) => h('td', { class: cls, 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  return card(
    'evidence',
    t('detail.evidence'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'evidence-table' },
        // The last column holds only buttons that name themselves: its heading is for screen readers.
        h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col' }, i === cols.length - 1 ? h('span', { class: 'visually-hidden' }, t(k)) : t(k))))),
        h(
          'tbody',
          null,
          files.map((f) =>
            h(
              'tr',
              { 'data-evidence-id': f.id, 'data-phase': f.phase ?? 'after', class: f.submittedRound || f.phase === 'before' ? null : 'is-pending' },
              td(
                0,
                'col-name',
                h('span', { class: 'file-name' }, f.originalName),
                h(
                  'span',
                  { class: 'uploaded-by' },
                  t('evidence.uploadedBy', { who: f.uploadedByName ?? personName(people, f.uploadedBy) }),
                  ' ',
                  h('time', { datetime: f.uploadedAt, class: 'nowrap' }, formatDateTime(f.uploadedAt)),
                ),
              ),
              td(1, 'col-type', label('media', f.mediaType)),
              td(2, 'col-size', h('span', { class: 'tabular' }, formatSize(f.size))),
              td(3, 'col-captured', time(f.capturedAt)),
              td(4, 'col-round', roundText(f)),
              td(5, 'col-download', downloadButton(f)),
            ),
          ),
        ),
      ),
    ),
  );
}

/* ---------- timeline ---------- */

/**
 * @param {string[]} items
 */
function textList(items) {
  return h('ul', { class: 'plain-list' }, (Array.isArray(items) ? items : []).map((x) => h('li', null, String(x))));
}

/**
 * @param {import('../types').HazardEvent} e
 * @param {Map<string, string>} fileNames
 * @param {Record<string, string> | undefined} people
 * @param {Hazard['reached']} reached whom each step reached (inside the bureau)
 */
function eventDetails(e, fileNames, people, reached) {
  // What the domain recorded for the event's type, each field read as the type it is.
  const data = /** @type {Record<string, unknown>} */ (e.data && typeof e.data === 'object' ? e.data : {});
  const d = /** @type {Record<string, string | undefined>} */ (Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string')));
  const n = /** @type {Record<string, number | undefined>} */ (Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')));
  const strings = (/** @type {unknown} */ v) => (Array.isArray(v) ? v.map(String) : []);
  /** @type {HTMLElement[]} */
  const rows = [];
  const add = (/** @type {string} */ term, /** @type {import('../types').Child[]} */ ...value) => rows.push(fact(term, ...value));
  switch (e.type) {
    case 'registered':
      if (d.deadline) add(t('event.deadline'), formatDate(d.deadline));
      if (d.grade) add(t('event.grade'), label('grade', d.grade));
      break;
    case 'reminder_sent':
      if (n.daysBefore) add(t('event.daysBefore'), t('event.days', { days: n.daysBefore }));
      break;
    case 'became_overdue':
      if (d.deadline) add(t('event.deadline'), formatDate(d.deadline));
      break;
    case 'escalated':
      if (n.level) add(t('event.level'), t('escalation.level', { level: n.level }));
      if (n.afterDays) add(t('event.afterDays'), t('event.days', { days: n.afterDays }));
      if (d.recipientRole) add(t('event.recipient'), namedAndReached(reached, label('role', d.recipientRole), e.step));
      break;
    case 'rectification_submitted':
      // Submissions name their files by id; the names are the ones people recognise.
      if (Array.isArray(data.evidence)) add(t('event.evidence'), textList(strings(data.evidence).map((ref) => fileNames.get(ref) ?? ref)));
      if (d.note) add(t('event.note'), h('span', { class: 'prose' }, d.note));
      if (typeof d.manifestHash === 'string') add(t('event.manifest'), h('code', { class: 'hash', title: d.manifestHash }, d.manifestHash.slice(0, 16), '…'));
      break;
    case 'review_accepted':
      if (d.comment) add(t('event.comment'), h('span', { class: 'prose' }, d.comment));
      break;
    case 'review_rejected':
      if (Array.isArray(data.reasons)) add(t('event.reasons'), textList(strings(data.reasons)));
      if (d.newDeadline) add(t('event.newDeadline'), formatDate(d.newDeadline));
      break;
    case 'extension_requested':
      if (d.requestedDeadline) add(t('event.requestedDeadline'), formatDate(d.requestedDeadline));
      if (d.currentDeadline) add(t('event.currentDeadline'), formatDate(d.currentDeadline));
      if (d.reason) add(t('event.extensionReason'), h('span', { class: 'prose' }, d.reason));
      break;
    case 'extension_approved':
      if (d.previousDeadline) add(t('event.previousDeadline'), formatDate(d.previousDeadline));
      if (d.newDeadline) add(t('event.newDeadline'), formatDate(d.newDeadline));
      // Said only when the supervisor granted less than was asked for.
      if (d.requestedDeadline && d.requestedDeadline !== d.newDeadline) add(t('event.requestedDeadline'), formatDate(d.requestedDeadline));
      if (typeof n.days === 'number') add(t('event.extendedBy'), t('event.extendedValue', { days: n.days, total: typeof n.totalDays === 'number' ? n.totalDays : n.days }));
      if (typeof n.extension === 'number') add(t('event.extensionNumber'), t('event.extensionNumberValue', { n: n.extension }));
      if (d.requestedBy) add(t('event.requestedBy'), personName(people, d.requestedBy));
      break;
    case 'extension_denied':
      if (d.requestedDeadline) add(t('event.requestedDeadline'), formatDate(d.requestedDeadline));
      if (d.reason) add(t('event.denyReason'), h('span', { class: 'prose' }, d.reason));
      if (d.requestedBy) add(t('event.requestedBy'), personName(people, d.requestedBy));
      break;
    case 'voided':
      if (d.kind) add(t('detail.voided'), label('void', d.kind));
      if (d.reason) add(t('event.reason'), h('span', { class: 'prose' }, d.reason));
      break;
    case 'reopened':
      if (d.reason) add(t('event.reason'), h('span', { class: 'prose' }, d.reason));
      if (d.newDeadline) add(t('event.newDeadline'), formatDate(d.newDeadline));
      break;
    case 'reassigned':
    case 'delegated':
    case 'delegation_withdrawn':
      add(t('event.from'), d.from ? personName(people, d.from) : t('empty'));
      add(t('event.to'), d.to ? personName(people, d.to) : t('empty'));
      if (d.reason) add(t('event.reason'), h('span', { class: 'prose' }, d.reason));
      break;
    case 'plan_filed':
      if (typeof n.version === 'number') add(t('major.plan'), t('plan.versionNumber', { version: n.version }));
      if (typeof n.funds === 'number') add(t('major.funds'), t('major.fundsValue', { amount: n.funds.toLocaleString() }));
      break;
    case 'acceptance_recorded':
      if (d.party) add(t('event.party'), label('party', d.party));
      if (typeof data.passed === 'boolean') add(t('acceptance.result'), t(data.passed ? 'acceptance.passed' : 'acceptance.failed'));
      if (d.signatory) add(t('acceptance.signatory'), d.signatory);
      if (d.opinion) add(t('event.opinion'), h('span', { class: 'prose' }, d.opinion));
      break;
    case 'review_overdue':
      if (d.reviewDue) add(t('event.reviewDue'), formatDate(d.reviewDue));
      if (d.recipientRole) add(t('event.recipient'), namedAndReached(reached, label('role', d.recipientRole), e.step));
      break;
    case 'calendar_applied': {
      // Here `deadline` is the move: {from, to}.
      const moved = /** @type {Record<string, unknown>} */ (data.deadline && typeof data.deadline === 'object' ? data.deadline : {});
      if (typeof moved.from === 'string') add(t('event.previousDeadline'), formatDate(moved.from));
      if (typeof moved.to === 'string') add(t('event.newDeadline'), formatDate(moved.to));
      break;
    }
    case 'urged':
      if (d.message) add(t('urge.message'), h('span', { class: 'prose' }, d.message));
      if (d.bulkUrgeId) add(t('urge.how'), t('urge.bulk'));
      break;
    case 'extension_lapsed':
      if (d.requestedDeadline) add(t('event.requestedDeadline'), formatDate(d.requestedDeadline));
      if (d.because) add(t('event.lapsedBecause'), label('event.because', d.because));
      break;
    default:
      break;
  }
  return rows.length ? h('dl', { class: 'event-details' }, rows) : null;
}

/**
 * @param {Hazard} hz
 * @param {import('../types').EvidenceFile[]} files
 */
function timelineCard(hz, files) {
  const fileNames = new Map(files.map((f) => [f.id, f.originalName]));
  return caseTimeline(hz.timeline ?? [], {
    typeLabel: (e) => label('event', e.type),
    headExtra: (e) => (e.data && typeof e.data === 'object' && 'round' in e.data && typeof e.data.round === 'number' ? h('span', { class: 'event-round' }, t('event.round', { round: e.data.round })) : null),
    details: (e) => eventDetails(e, fileNames, hz.people, hz.reached),
    people: hz.people,
  });
}

/* ---------- notifications ---------- */

/**
 * @param {Hazard} hz
 */
function noticesCard(hz) {
  const items = hz.notifications ?? [];
  if (!items.length) return card('notices', t('detail.notifications'), h('p', { class: 'muted' }, t('detail.notificationsEmpty')));
  const cols = ['notice.time', 'notice.kind', 'notice.recipient', 'notice.level', 'notice.message'];
  const td = (/** @type {number} */ i, /** @type {import('../types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  return card(
    'notices',
    t('detail.notifications'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'notices-table' },
        h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
        h(
          'tbody',
          null,
          items.map((n) =>
            h(
              'tr',
              { 'data-step': n.step },
              td(0, time(n.scheduledAt)),
              td(1, label('notice.kind', n.kind)),
              td(2, namedAndReached(hz.reached, label('role', n.recipientRole), n.step)),
              td(3, n.level ? t('escalation.level', { level: n.level }) : t('empty')),
              td(4, n.message),
            ),
          ),
        ),
      ),
    ),
  );
}

/* ---------- actions ---------- */

/**
 * What the signed-in person can do now. The API enforces the roles; the page only offers what
 * would be allowed: submitting to enterprise users while rectifying, reviewing to supervisors
 * while under review. Everyone else is told whose move it is.
 * @param {Hazard} hz
 * @param {import('../types').EvidenceFile[]} files
 * @param {import('../types').HazardActions} ctx
 */
function actionsCard(hz, files, ctx) {
  if (hz.status === 'rectifying') {
    if (hasRole('enterprise')) return card('actions', t('submit.title'), planNeededNote(hz), submitForm(hz, files, ctx));
    return card('actions', t('detail.actions'), h('p', { class: 'muted waiting' }, t('detail.waitingEnterprise', { round: hz.round })));
  }
  if (hz.status === 'under_review') {
    if (hasRole('supervisor')) return card('actions', t('review.title'), currentSubmission(hz, files), photoComparison(hz, files), reviewForm(hz, ctx));
    return card('actions', t('detail.actions'), currentSubmission(hz, files), photoComparison(hz, files), h('p', { class: 'muted waiting' }, t('detail.waitingReview')));
  }
  return card('actions', t('detail.actions'), h('p', { class: 'muted' }, t('detail.noActions')));
}

/**
 * Show the problem; a 409 means this page is behind the record: offer to reload it.
 * @param {import('../ui.js').FormState} state
 * @param {import('../api.js').ApiProblem} problem
 * @param {import('../types').HazardActions['reload']} reload
 */
function refused(state, problem, reload) {
  state.busy(false);
  state.show(problem);
  if (problem.status === 409) {
    state.problemBox.append(h('button', { type: 'button', class: 'button button-secondary button-small', onClick: () => reload().catch((p) => state.show(asProblem(p))) }, t('detail.reload')));
  }
}

/**
 * @param {Hazard} hz
 * @param {import('../types').EvidenceFile[]} initialFiles
 * @param {import('../types').HazardActions} actions
 */
function submitForm(hz, initialFiles, { onDone, onFiles, reload }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('submit.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'submission' });
  const state = new FormState(form, button, t('submit.button'));

  /* Step 1: upload. Photos from the camera or files are previewed, then uploaded with their progress shown. */
  const uploadPart = evidenceUploader({
    hazardId: hz.id,
    onUploaded: async () => {
      const fresh = await api.evidence(hz.id).then((r) => r.items);
      state.clear(); // "tick at least one file" is answered now
      onFiles(fresh);
      showChoices(fresh);
    },
    onRefused: (uploadState, problem) => refused(uploadState, problem, reload),
  });

  /* Step 2: which of the files not yet submitted go into this submission (all, unless unticked). */
  const unticked = new Set();
  const chooseError = h('p', { class: 'field-error', id: uid('choose-error'), hidden: true });
  const chooseList = h('ul', { class: 'choose-list' });
  const choose = h(
    'fieldset',
    { class: 'field choose-files', 'aria-describedby': chooseError.id },
    h('legend', null, t('submit.choose'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'hint' }, t('submit.chooseHint')),
    chooseError,
    chooseList,
  );
  const chosenIds = () => [.../** @type {NodeListOf<HTMLInputElement>} */ (chooseList.querySelectorAll('input[type="checkbox"]:checked'))].map((c) => c.value);
  state.add('evidence', { wrap: choose, error: chooseError, get control() { return chooseList.querySelector('input') ?? undefined; } });

  /**
   * @param {import('../types').EvidenceFile[]} files
   */
  function showChoices(files) {
    const pending = files.filter((f) => !f.submittedRound);
    if (!pending.length) {
      replace(chooseList, h('li', { class: 'muted choose-empty' }, t('submit.noneYet')));
      return;
    }
    replace(
      chooseList,
      pending.map((f) => {
        const cid = uid('choose');
        return h(
          'li',
          { class: 'choose-item', 'data-evidence-id': f.id },
          h('input', {
            type: 'checkbox',
            id: cid,
            value: f.id,
            checked: !unticked.has(f.id),
            onChange: (e) => (e.target.checked ? unticked.delete(f.id) : unticked.add(f.id)),
          }),
          h(
            'label',
            { for: cid },
            h('span', { class: 'choose-name' }, f.originalName),
            h(
              'span',
              { class: 'choose-meta' },
              label('media', f.mediaType),
              ' · ',
              formatSize(f.size),
              f.capturedAt ? [' · ', t('evidence.capturedShort', { time: formatDateTime(f.capturedAt) })] : null,
            ),
          ),
          downloadButton(f),
        );
      }),
    );
  }
  showChoices(initialFiles);

  const note = field({ labelText: t('submit.note'), build: (a) => h('textarea', { ...a, name: 'note', rows: 3, maxlength: 2000 }) });
  state.add('note', note);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const evidence = chosenIds();
    if (!evidence.length) return state.show({ status: -1, title: '', errors: [{ field: 'evidence', message: t('submit.pick') }] });
    state.clear();
    state.busy(true);
    try {
      await onDone(await api.submitRectification(hz.id, { evidence, note: note.control.value.trim() }), t('submit.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });
  append(form, [h('p', { class: 'hint intro' }, t('submit.intro')), uploadPart, choose, note.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/** The note an event's data carries (a submission's), if any. */
const noteOf = (/** @type {unknown} */ data) => (data && typeof data === 'object' && 'note' in data && typeof data.note === 'string' ? data.note : '');

/**
 * What was submitted in this round: the files (to download and check), the note, who and when.
 * @param {Hazard} hz
 * @param {import('../types').EvidenceFile[]} files
 */
function currentSubmission(hz, files) {
  const last = [...(hz.timeline ?? [])].reverse().find((e) => e.type === 'rectification_submitted');
  if (!last) return null;
  const submitted = files.filter((f) => f.submittedRound === hz.round);
  return h(
    'div',
    { class: 'submission' },
    h('h3', null, t('review.submission')),
    submitted.length
      ? h(
          'ul',
          { class: 'submission-files' },
          submitted.map((f) =>
            h(
              'li',
              { 'data-evidence-id': f.id },
              h('span', { class: 'submission-file' }, h('span', { class: 'choose-name' }, f.originalName), h('span', { class: 'choose-meta' }, label('media', f.mediaType), ' · ', formatSize(f.size))),
              downloadButton(f),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('review.noFiles')),
    noteOf(last.data) ? h('p', { class: 'prose submission-note' }, noteOf(last.data)) : null,
    h('p', { class: 'muted small' }, last.actorName ?? personName(hz.people, last.actor), ' · ', formatDateTime(last.occurredAt)),
  );
}

/**
 * @param {Hazard} hz
 * @param {import('../types').HazardActions} actions
 */
function reviewForm(hz, { onDone, reload }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('review.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'review' });
  const state = new FormState(form, button, t('review.button'));

  const radio = (/** @type {string} */ value, /** @type {string} */ text) => {
    const rid = uid('decision');
    return h('div', { class: 'radio' }, h('input', { type: 'radio', name: 'decision', id: rid, value }), h('label', { for: rid }, text));
  };
  const decisionError = h('p', { class: 'field-error', id: uid('decision-error'), hidden: true });
  const decision = h(
    'fieldset',
    { class: 'field radios', 'aria-describedby': decisionError.id },
    h('legend', null, t('review.decision'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    decisionError,
    h('div', { class: 'radio-row' }, radio('accept', t('review.accept')), radio('reject', t('review.reject'))),
  );
  state.add('decision', { wrap: decision, error: decisionError, control: decision.querySelector('input') });

  const comment = field({ labelText: t('review.comment'), build: (a) => h('textarea', { ...a, name: 'comment', rows: 3 }) });
  state.add('comment', comment);
  const reasons = listEditor({
    legend: t('review.reasons'),
    itemLabel: (n) => t('review.reasonItem', { n }),
    addLabel: t('review.addReason'),
    removeLabel: (n) => t('review.removeReason', { n }),
    required: true,
    multiline: true,
  });
  state.add('reasons', { wrap: reasons.wrap, error: reasons.error, list: reasons });
  const newDeadline = field({
    labelText: t('review.newDeadline'),
    required: true,
    hint: t('register.deadlineHint'),
    build: (a) => h('input', { ...a, type: 'date', name: 'newDeadline', min: shanghaiToday() }),
  });
  state.add('newDeadline', newDeadline);

  const acceptPart = h('div', { class: 'decision-part', hidden: true }, comment.wrap);
  const rejectPart = h('div', { class: 'decision-part', hidden: true }, reasons.wrap, newDeadline.wrap);
  const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="decision"]:checked'))?.value ?? '';
  decision.addEventListener('change', () => {
    acceptPart.hidden = chosen() !== 'accept';
    rejectPart.hidden = chosen() !== 'reject';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const d = chosen();
    /** @type {import('../types').Bodies['review']} */
    let body;
    if (d === 'accept') {
      body = { decision: 'accept', comment: comment.control.value.trim() };
    } else if (d === 'reject') {
      const list = reasons.compact();
      const missing = [...(list.length ? [] : ['reasons']), ...(newDeadline.control.value ? [] : ['newDeadline'])];
      if (missing.length) return state.show(missingProblem(missing));
      body = { decision: 'reject', reasons: list, newDeadline: newDeadline.control.value };
    } else {
      return state.show(missingProblem(['decision']));
    }
    state.clear();
    state.busy(true);
    try {
      const updated = await api.review(hz.id, body);
      await onDone(updated, d === 'accept' ? t('review.accepted') : t('review.rejected', { round: updated.round }));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });

  append(form, [h('p', { class: 'hint intro' }, t('review.intro')), decision, acceptPart, rejectPart, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/* ---------- extensions (延期) ---------- */

/** The limits of a policy that states none (policies saved before extensions existed): README, "Extensions". */
export const DEFAULT_EXTENSION_LIMITS = Object.freeze({ maxCount: 2, maxTotalDays: 30, minLeadDays: 1 });

/** @type {(l: unknown) => l is {maxCount: number, maxTotalDays: number, minLeadDays: number}} */
const isLimits = (l) =>
  !!l &&
  typeof l === 'object' &&
  ['maxCount', 'maxTotalDays', 'minLeadDays'].every((k) => {
    const v = /** @type {Record<string, unknown>} */ (l)[k];
    return Number.isInteger(v) && Number(v) >= 0;
  });

/**
 * The extension limits this hazard runs on, and whether the record says so. The record states
 * them in `extension.limits` when the API gives them; government users also see the hazard's
 * policy (no `extension` in it: the defaults apply). An enterprise user sees neither: the
 * defaults are shown, marked as such, and the API checks the real ones.
 * @param {Hazard} hz
 */
function extensionLimits(hz) {
  if (isLimits(hz.extension?.limits)) return { ...hz.extension.limits, known: true };
  if (hz.policy && typeof hz.policy === 'object') {
    return { ...(isLimits(hz.policy.extension) ? hz.policy.extension : DEFAULT_EXTENSION_LIMITS), known: true };
  }
  return { ...DEFAULT_EXTENSION_LIMITS, known: false };
}

/**
 * Where the hazard stands against its limits in this round.
 * @param {Hazard} hz
 */
export function extensionAllowance(hz) {
  const limits = extensionLimits(hz);
  const ext = hz.extension ?? {};
  const original = ext.originalDeadline || hz.deadline;
  const count = Number.isInteger(ext.grantedThisRound) ? ext.grantedThisRound : 0;
  const latest = addDays(original, limits.maxTotalDays);
  // A request is in time up to the end of this day (minLeadDays calendar days before the deadline).
  const lastDay = addDays(hz.deadline, -limits.minLeadDays);
  return {
    limits,
    original,
    count,
    timesLeft: Math.max(0, limits.maxCount - count),
    latest,
    daysLeft: Math.max(0, daysBetween(hz.deadline, latest)),
    lastDay,
    tooLate: shanghaiToday() > lastDay,
  };
}

/**
 * While rectifying: the pending request, shown to everyone, with the decision form for a
 * supervisor; with none pending, the request form for the enterprise. Nothing otherwise (the
 * timeline keeps what happened).
 * @param {Hazard} hz
 * @param {import('../types').HazardActions} ctx
 */
function extensionCard(hz, ctx) {
  if (hz.status !== 'rectifying') return null;
  const pending = hz.extension?.pending ?? null;
  if (pending) {
    return card(
      'extension',
      t('extension.pendingTitle'),
      pendingRequest(hz, pending),
      hasRole('supervisor') ? decisionForm(hz, pending, ctx) : h('p', { class: 'muted waiting' }, t('extension.waitingDecision')),
    );
  }
  if (hasRole('enterprise')) return card('extension', t('extension.requestTitle'), requestForm(hz, ctx));
  return null;
}

const instant = (/** @type {string | number} */ at) => (typeof at === 'number' ? new Date(at).toISOString() : at);

/**
 * @param {Hazard} hz
 * @param {NonNullable<Hazard['extension']['pending']>} pending
 */
function pendingRequest(hz, pending) {
  return h(
    'dl',
    { class: 'facts extension-request' },
    fact(t('extension.requestedDeadline'), day(pending.requestedDeadline, 'requested-deadline')),
    fact(t('extension.currentDeadline'), day(hz.deadline)),
    fact(t('extension.requestedBy'), h('span', { class: 'requested-by' }, personName(hz.people, pending.requestedBy))),
    fact(t('extension.requestedAt'), time(instant(pending.requestedAt))),
    wideFact(t('extension.reason'), h('span', { class: 'prose extension-reason' }, pending.reason)),
  );
}

/**
 * @param {ReturnType<typeof extensionAllowance>} a
 */
function limitsBox(a) {
  const { limits } = a;
  const warnings = [
    a.timesLeft === 0 ? t('extension.exhausted') : null,
    a.timesLeft > 0 && a.daysLeft === 0 ? t('extension.noDaysLeft') : null,
    a.tooLate ? t('extension.tooLate') : null,
  ].filter(Boolean);
  return h(
    'section',
    { class: 'extension-limits', 'aria-label': t('extension.limits') },
    h('h3', null, t('extension.limits')),
    h(
      'dl',
      { class: 'limit-list' },
      fact(t('extension.timesLeft'), h('span', { 'data-limit': 'maxCount' }, t('extension.timesLeftValue', { left: a.timesLeft, max: limits.maxCount }))),
      fact(t('extension.daysLeft'), h('span', { 'data-limit': 'maxTotalDays' }, t('extension.daysLeftValue', { days: a.daysLeft, date: formatDate(a.latest) }))),
      fact(
        t('extension.leadTime'),
        h('span', { 'data-limit': 'minLeadDays' }, limits.minLeadDays > 0 ? t('extension.leadTimeValue', { days: limits.minLeadDays, date: formatDate(a.lastDay) }) : t('extension.leadTimeZero')),
      ),
      a.count > 0 ? fact(t('extension.original'), day(a.original)) : null,
    ),
    warnings.length ? h('ul', { class: 'limit-warnings' }, warnings.map((w) => h('li', null, w))) : null,
    limits.known ? null : h('p', { class: 'hint limits-default' }, t('extension.defaultLimits')),
  );
}

/**
 * The enterprise asks to move the deadline: a later date and a reason. The API checks the limits.
 * @param {Hazard} hz
 * @param {import('../types').HazardActions} actions
 */
function requestForm(hz, { onDone, reload }) {
  const allowance = extensionAllowance(hz);
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('extension.requestButton'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'extension-request' });
  const state = new FormState(form, button, t('extension.requestButton'));

  const date = field({
    labelText: t('extension.requestedDeadline'),
    required: true,
    hint: t('extension.requestedDeadlineHint', { deadline: formatDate(hz.deadline) }),
    // min and max guide the date picker only (the form is novalidate): the API decides.
    build: (a) => h('input', { ...a, type: 'date', name: 'requestedDeadline', min: addDays(hz.deadline, 1), max: allowance.limits.known ? allowance.latest : null }),
  });
  state.add('requestedDeadline', date);
  const { days, preview } = extensionPreview(hz, allowance, date.control);
  const reason = field({ labelText: t('extension.reason'), required: true, build: (a) => h('textarea', { ...a, name: 'reason', rows: 3, maxlength: 1000 }) });
  state.add('reason', reason);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { requestedDeadline: date.control.value, reason: reason.control.value.trim() };
    const missing = Object.entries(body).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length) return state.show(missingProblem(missing));
    state.clear();
    state.busy(true);
    try {
      await onDone(await api.requestExtension(hz.id, body), t('extension.requested'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });

  append(form, [h('p', { class: 'hint intro' }, t('extension.requestIntro')), limitsBox(allowance), days.wrap, date.wrap, preview, reason.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/**
 * A supervisor approves (the date asked for, or an earlier one) or denies with a reason.
 * @param {Hazard} hz
 * @param {NonNullable<Hazard['extension']['pending']>} pending
 * @param {import('../types').HazardActions} actions
 */
function decisionForm(hz, pending, { onDone, reload }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('extension.decideButton'));
  const form = h('form', { class: 'action-form extension-decision', novalidate: true, 'data-form': 'extension-decision' });
  const state = new FormState(form, button, t('extension.decideButton'));

  const radio = (/** @type {string} */ value, /** @type {string} */ text) => {
    const rid = uid('extension-decision');
    return h('div', { class: 'radio' }, h('input', { type: 'radio', name: 'extension-decision', id: rid, value }), h('label', { for: rid }, text));
  };
  const decisionError = h('p', { class: 'field-error', id: uid('extension-decision-error'), hidden: true });
  const decision = h(
    'fieldset',
    { class: 'field radios', 'aria-describedby': decisionError.id },
    h('legend', null, t('extension.decision'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    decisionError,
    h('div', { class: 'radio-row' }, radio('approve', t('extension.approve')), radio('deny', t('extension.deny'))),
  );
  state.add('decision', { wrap: decision, error: decisionError, control: decision.querySelector('input') });

  const earliest = [addDays(hz.deadline, 1), shanghaiToday()].sort()[1];
  const newDeadline = field({
    labelText: t('extension.newDeadline'),
    hint: t('extension.newDeadlineHint', { requested: formatDate(pending.requestedDeadline), deadline: formatDate(hz.deadline) }),
    build: (a) => h('input', { ...a, type: 'date', name: 'newDeadline', value: pending.requestedDeadline, min: earliest, max: pending.requestedDeadline }),
  });
  state.add('newDeadline', newDeadline);
  const reason = field({ labelText: t('extension.denyReason'), required: true, build: (a) => h('textarea', { ...a, name: 'reason', rows: 3, maxlength: 1000 }) });
  state.add('reason', reason);

  const approvePart = h('div', { class: 'decision-part', hidden: true }, newDeadline.wrap);
  const denyPart = h('div', { class: 'decision-part', hidden: true }, reason.wrap);
  const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="extension-decision"]:checked'))?.value ?? '';
  decision.addEventListener('change', () => {
    approvePart.hidden = chosen() !== 'approve';
    denyPart.hidden = chosen() !== 'deny';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const d = chosen();
    /** @type {import('../types').Bodies['extensionDecision']} */
    let body;
    if (d === 'approve') {
      const date = newDeadline.control.value;
      // Left as asked (or emptied): the date asked for is granted.
      body = date && date !== pending.requestedDeadline ? { decision: 'approve', newDeadline: date } : { decision: 'approve' };
    } else if (d === 'deny') {
      const why = reason.control.value.trim();
      if (!why) return state.show(missingProblem(['reason']));
      body = { decision: 'deny', reason: why };
    } else {
      return state.show(missingProblem(['decision']));
    }
    state.clear();
    state.busy(true);
    try {
      const updated = await api.decideExtension(hz.id, body);
      await onDone(updated, d === 'approve' ? t('extension.approved', { deadline: formatDate(updated.deadline) }) : t('extension.denied'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });

  append(form, [h('h3', null, t('extension.decideTitle')), h('p', { class: 'hint intro' }, t('extension.decideIntro')), decision, approvePart, denyPart, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}
