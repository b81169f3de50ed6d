// @ts-check
/** Pieces the pages share: badges, labels of API values, form fields, and the problem box. */
import { append, h, uid } from './dom.js';
import { formatDateTime, overdueDays } from './format.js';
import { has, t } from './i18n.js';
import { fieldProblemText, problemHint, problemText } from './problem-text.js';

/**
 * The label of an API value (status, grade, …), or the value itself if the dictionary lacks it.
 * @param {string} prefix
 * @param {unknown} value
 */
export function label(prefix, value) {
  if (value === null || value === undefined || value === '') return t('empty');
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : String(value);
}

/**
 * @param {string} tone
 * @param {import('./types').Child} text
 * @param {string | null} [extra]
 * @param {string | null} [title]
 */
export function badge(tone, text, extra, title) {
  return h('span', { class: ['badge', `badge-${tone}`, extra], title }, text);
}

/**
 * Beside a deadline: 期限待定 when the deadline itself was counted into a year without calendar
 * data; a quieter note when only the steps after it were (the deadline stands). Lists show only
 * the badge (`note: false`).
 * @param {{deadlineProvisional?: boolean, provisional?: boolean, laterStepsProvisional?: boolean}} item
 * @param {{note?: boolean}} [options]
 */
export function provisionalMark(item, { note = true } = {}) {
  if (item.deadlineProvisional ?? item.provisional) return [' ', badge('provisional', t('badge.provisional'), null, t('badge.provisionalTitle'))];
  if (note && item.laterStepsProvisional) return [' ', h('span', { class: 'provisional-later', title: t('badge.laterStepsProvisionalTitle') }, t('badge.laterStepsProvisional'))];
  return null;
}

export const statusBadge = (/** @type {string} */ status) => badge(`status-${status}`, label('status', status));
export const gradeBadge = (/** @type {string} */ grade) => badge(`grade-${grade}`, label('grade', grade));

/**
 * "逾期 N 天" while the hazard is overdue, null otherwise.
 * @param {{overdue?: boolean, dueAt: string}} hazard
 */
export function overdueBadge(hazard) {
  if (!hazard.overdue) return null;
  return badge('overdue', t('overdue.badge', { days: Math.max(1, overdueDays(hazard.dueAt)) }));
}

/**
 * "延期待批" while an extension request awaits a supervisor's decision, null otherwise.
 * @param {{extension?: {pending?: {requestedDeadline?: string} | null} | null, extensionPending?: boolean}} hazard
 */
export function extensionPendingBadge(hazard) {
  const pending = hazard.extension?.pending ?? null;
  if (!pending && hazard.extensionPending !== true) return null;
  return badge('extension-pending', t('extension.pendingBadge'), null, pending?.requestedDeadline ? t('extension.pendingBadgeTitle', { date: pending.requestedDeadline }) : null);
}

/**
 * A policy limit a refusal names ({name: 'extension.maxTotalDays', value: 30}) in words.
 * @param {{name: string, value: number}} limit
 */
export function limitText(limit) {
  const key = `limit.${limit.name}`;
  return t('form.limit', { limit: has(key) ? t(key, { value: limit.value }) : t('limit.other', { name: limit.name, value: limit.value }) });
}

/** @param {number} level */
export function escalationText(level) {
  return level > 0 ? t('escalation.level', { level }) : t('escalation.none');
}

/**
 * The escalation level reached (督办级别), or a dash before the first.
 * @param {number} level
 */
export function escalationBadge(level) {
  if (!(level > 0)) return h('span', { class: 'muted' }, t('escalation.none'));
  return badge(`escalation badge-escalation-${Math.min(level, 4)}`, escalationText(level));
}

/**
 * The next step and when, e.g. "提醒 · 2026-03-02 09:00".
 * @param {{next?: {kind: string, at: string} | null, status?: string}} hazard
 */
export function nextStep(hazard) {
  if (hazard.next) {
    return h(
      'span',
      { class: 'next-step' },
      h('span', { class: 'next-kind' }, label('next', hazard.next.kind)),
      h('time', { datetime: hazard.next.at, class: 'next-at' }, formatDateTime(hazard.next.at)),
    );
  }
  if (hazard.status === 'under_review') return h('span', { class: 'muted' }, t('next.awaitingReview'));
  return h('span', { class: 'muted' }, t('next.none'));
}

/**
 * @param {Map<string, string>} names
 * @param {string} id
 */
export function enterpriseName(names, id) {
  return names.get(id) ?? id;
}

/**
 * The label text of a field named by the API ("evidence.1" → "整改证据 #2").
 * @param {string} field
 */
export function fieldLabel(field) {
  const [base, index] = field.split('.');
  const key = `field.${base}`;
  const name = has(key) ? t(key) : field;
  return index !== undefined && /^\d+$/.test(index) ? `${name} #${Number(index) + 1}` : name;
}

/**
 * A labelled form field: label, optional hint, the control, and a place for its error.
 * `control` is built by the caller with the id given.
 * @template {HTMLElement} C
 * @param {{labelText: import('./types').Child, required?: boolean, hint?: import('./types').Child, build: (attrs: import('./types').ControlAttrs) => C, className?: string}} options
 * @returns {import('./types').Field<C>}
 */
export function field({ labelText, required = false, hint, build, className }) {
  const id = uid('field');
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const control = build({ id, 'aria-describedby': hintId ?? undefined, required: required || undefined });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const wrap = h(
    'div',
    { class: ['field', className] },
    h('label', { for: id }, labelText, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    error,
    control,
  );
  return { wrap, control, error, hintId };
}

/**
 * A list of text entries people can add to and remove from (evidence references, reasons).
 * Values are the trimmed, non-empty entries; blank rows are dropped before sending so that
 * an API error on "evidence.1" names the row people see as the second.
 * @param {{legend: import('./types').Child, itemLabel: (n: number) => string, addLabel: import('./types').Child, removeLabel: (n: number) => string, initial?: string[], required?: boolean, multiline?: boolean}} options
 */
export function listEditor({ legend, itemLabel, addLabel, removeLabel, initial = [''], required = false, multiline = false }) {
  const legendId = uid('legend');
  const error = h('p', { class: 'field-error', id: `${legendId}-error`, hidden: true });
  const list = h('ol', { class: 'list-editor-items' });
  /**
   * @typedef {{input: HTMLInputElement | HTMLTextAreaElement, labelEl: HTMLLabelElement, remove: HTMLButtonElement, li: HTMLLIElement}} Row
   * @type {Row[]}
   */
  const rows = [];

  function renumber() {
    rows.forEach((row, i) => {
      row.labelEl.textContent = itemLabel(i + 1);
      row.remove.textContent = removeLabel(i + 1);
      row.remove.hidden = rows.length === 1;
    });
  }

  function addRow(value = '', focus = false) {
    const id = uid('item');
    const input = multiline
      ? h('textarea', { id, rows: 2, value })
      : h('input', { id, type: 'text', value, autocomplete: 'off', spellcheck: 'false' });
    const labelEl = h('label', { for: id, class: 'item-label' });
    const row = /** @type {Row} */ ({ input, labelEl });
    row.remove = h('button', {
      type: 'button',
      class: 'button button-link',
      onClick: () => {
        const i = rows.indexOf(row);
        rows.splice(i, 1);
        row.li.remove();
        renumber();
        (rows[i] ?? rows[i - 1])?.input.focus();
      },
    });
    row.li = h('li', { class: 'list-editor-item' }, labelEl, h('div', { class: 'item-row' }, input, row.remove));
    rows.push(row);
    list.append(row.li);
    renumber();
    if (focus) input.focus();
  }

  for (const v of initial) addRow(v);
  const wrap = h(
    'fieldset',
    { class: 'field list-editor', 'aria-describedby': `${legendId}-error` },
    h('legend', { id: legendId }, legend, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    error,
    list,
    h('button', { type: 'button', class: 'button button-secondary button-small', onClick: () => addRow('', true) }, '+ ', addLabel),
  );

  return {
    wrap,
    error,
    /** Drop blank rows (keeping one) and return the entries. */
    compact() {
      for (const row of [...rows]) {
        if (row.input.value.trim() === '' && rows.length > 1) {
          rows.splice(rows.indexOf(row), 1);
          row.li.remove();
        }
      }
      renumber();
      return rows.map((r) => r.input.value.trim()).filter(Boolean);
    },
    inputAt: (/** @type {number} */ i) => rows[i]?.input ?? null,
    inputs: () => rows.map((r) => r.input),
  };
}

/**
 * What happened to a form: its fields by API name, the problem box above the submit button, and
 * the busy state while the request runs.
 */
export class FormState {
  /**
   * @param {HTMLElement} form
   * @param {HTMLButtonElement | null} submitButton
   * @param {string} submitText
   */
  constructor(form, submitButton, submitText) {
    this.form = form;
    this.submitButton = submitButton;
    this.submitText = submitText;
    /** @type {Map<string, {wrap: Element, error: HTMLElement, control?: Element | null, list?: ReturnType<typeof listEditor>}>} */
    this.fields = new Map();
    this.problemBox = h('div', { class: 'problem', role: 'alert', tabindex: '-1', hidden: true });
  }

  /**
   * @template {{wrap: Element, error: HTMLElement, control?: Element | null, list?: ReturnType<typeof listEditor>}} F
   * @param {string} name
   * @param {F} f
   * @returns {F}
   */
  add(name, f) {
    this.fields.set(name, f);
    return f;
  }

  /** @param {boolean} on */
  busy(on) {
    if (this.submitButton) {
      this.submitButton.disabled = on;
      this.submitButton.textContent = on ? t('form.submitting') : this.submitText;
    }
    this.form.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  clear() {
    this.problemBox.hidden = true;
    this.problemBox.replaceChildren();
    for (const f of this.fields.values()) {
      f.wrap.classList.remove('has-error');
      f.error.hidden = true;
      f.error.textContent = '';
      for (const c of f.list ? f.list.inputs() : [f.control]) c?.removeAttribute('aria-invalid');
      if (f.control) describe(f.control, f.error.id, false);
    }
  }

  /**
   * Show a problem (from the API or found here) next to the form, and mark the fields it names.
   * @param {import('./types').ProblemLike} problem
   * @returns {Element | null}
   */
  show(problem) {
    this.clear();
    const errors = problem.errors ?? [];
    /** @type {HTMLLIElement[]} */
    const items = [];
    /** @type {Element | null} */
    let first = null;
    for (const e of errors) {
      const [base, index] = e.field.split('.');
      const f = this.fields.get(e.field) ?? this.fields.get(base);
      const message = fieldProblemText(e, problem);
      items.push(
        h(
          'li',
          { 'data-code': e.code ?? null },
          t('form.fieldError', { field: fieldLabel(e.field), message }),
          e.limit ? h('span', { class: 'problem-limit', 'data-limit': e.limit.name }, limitText(e.limit)) : null,
        ),
      );
      if (!f) continue;
      f.wrap.classList.add('has-error');
      f.error.hidden = false;
      f.error.textContent = f.error.textContent ? `${f.error.textContent}; ${message}` : message;
      const target = f.list ? (index !== undefined ? f.list.inputAt(Number(index)) : f.list.inputAt(0)) : f.control;
      if (target) {
        target.setAttribute('aria-invalid', 'true');
        if (!f.list) describe(target, f.error.id, true);
      }
      first ??= target ?? null;
    }
    const status = problem.status > 0 ? h('span', { class: 'problem-status' }, ` (HTTP ${problem.status})`) : null;
    const text = problemText(problem);
    const hint = problemHint(problem);
    if (problem.code) this.problemBox.dataset.code = problem.code;
    else delete this.problemBox.dataset.code;
    append(this.problemBox, [
      h('h3', { class: 'problem-lead' }, t('form.problemLead'), status),
      text ? h('p', { class: 'problem-title' }, text) : null,
      hint ? h('p', { class: 'problem-detail' }, hint) : null,
      items.length ? h('p', { class: 'problem-fields-lead' }, t('form.fieldErrors')) : null,
      items.length ? h('ul', { class: 'problem-fields' }, items) : null,
    ]);
    this.problemBox.hidden = false;
    this.problemBox.focus();
    return first;
  }
}

/**
 * @param {Element} el
 * @param {string} id
 * @param {boolean} on
 */
function describe(el, id, on) {
  const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) el.setAttribute('aria-describedby', [...ids].join(' '));
  else el.removeAttribute('aria-describedby');
}

/**
 * A problem found before sending: required fields left empty.
 * @param {string[]} names
 * @returns {import('./types').ProblemLike}
 */
export function missingProblem(names) {
  return { status: -1, title: '', detail: '', errors: names.map((field) => ({ field, message: t('form.requiredMissing') })) };
}

/**
 * A page-level error (the record could not be loaded).
 * @param {import('./types').ProblemLike} problem
 * @param {() => void} [retry]
 */
export function errorPanel(problem, retry) {
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('h2', { class: 'problem-lead' }, t('error.load'), problem.status > 0 ? h('span', { class: 'problem-status' }, ` (HTTP ${problem.status})`) : null),
    problemText(problem) ? h('p', { class: 'problem-title' }, problemText(problem)) : null,
    problemHint(problem) ? h('p', { class: 'problem-detail' }, problemHint(problem)) : null,
    retry ? h('button', { type: 'button', class: 'button button-secondary', onClick: retry }, t('detail.reload')) : null,
  );
}

/**
 * A titled card of a detail page (its heading names the section for assistive technology).
 * @param {string} className
 * @param {import('./types').Child} titleText
 * @param {...import('./types').Child} content
 */
export function card(className, titleText, ...content) {
  const headingId = uid('card');
  return h('section', { class: ['card', className], 'aria-labelledby': headingId }, h('h2', { id: headingId }, titleText), ...content);
}

/**
 * One term and its value in a list of facts (<dl class="facts">).
 * @param {import('./types').Child} term
 * @param {...import('./types').Child} value
 */
export function fact(term, ...value) {
  return h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, ...value));
}

/**
 * A select's value as one of the values it offers (the API's own list), or undefined.
 * @template {string} T
 * @param {readonly T[]} allowed
 * @param {string} value
 * @returns {T | undefined}
 */
export function oneOf(allowed, value) {
  return allowed.find((a) => a === value);
}

/**
 * The hash of a list page with its filters and cursor (empty ones left out).
 * @param {string} base
 * @param {Record<string, string | null | undefined>} values
 */
export function listHash(base, values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * A list's status filter: changing it shows the first page of that status.
 * @param {{labelText: import('./types').Child, statuses: readonly string[], current: string, labelOf: (status: string) => string, onPick: (status: string) => void}} options
 */
export function statusFilter({ labelText, statuses, current, labelOf, onPick }) {
  const selectId = uid('filter');
  return h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('ledger.filters'), onSubmit: (e) => e.preventDefault() },
    h(
      'div',
      { class: 'filter' },
      h('label', { for: selectId }, labelText),
      h(
        'select',
        { id: selectId, name: 'status', onChange: (e) => onPick(e.target.value) },
        [['', t('ledger.filter.all')], ...statuses.map((s) => [s, labelOf(s)])].map(([value, text]) => h('option', { value, selected: current === value }, text)),
      ),
    ),
  );
}

/**
 * When a list's total is not the page's own: carried from the first page, as of its reading;
 * nothing when it is live (counted, or read from the figures with what was written since).
 * @param {{totalFrom?: 'count' | 'figures', totalAsOf?: string | null}} page
 */
export function totalAsOf({ totalAsOf }) {
  if (!totalAsOf) return null;
  return h('span', { class: 'total-as-of' }, t('ledger.totalAsOfFirstPage', { time: formatDateTime(totalAsOf) }));
}

/**
 * The total and the buttons to the first and the next page of a cursor-paged list.
 * @param {{total: number | string, totalAtLeast?: boolean, totalFrom?: 'count' | 'figures', totalAsOf?: string | null, cursor?: string | null, nextCursor?: string | null, first: () => void, next: () => void}} options
 */
export function pager({ total, totalAtLeast, totalFrom, totalAsOf: asOf, cursor, nextCursor, first, next }) {
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('ledger.pagination') },
    h('p', { class: 'total', role: 'status' }, t(totalAtLeast ? 'ledger.totalAtLeast' : 'ledger.total', { total }), totalAsOf({ totalFrom, totalAsOf: asOf })),
    h(
      'div',
      { class: 'pager-buttons' },
      cursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: first }, t('ledger.first')) : null,
      nextCursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: next }, t('ledger.next'), ' ›') : null,
    ),
  );
}
