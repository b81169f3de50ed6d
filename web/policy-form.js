// @ts-check
/**
 * A policy as a form: every field of every section an input of its own, named by its path in the
 * policy (`policy.escalation.1.afterDays`), so the API's field errors land beside the input they
 * are about. Steps of a ladder are rows that can be added and removed. Also the words for a
 * policy's paths and values, shared with the version history's diff.
 */
import { append, h, replace, uid } from './dom.js';
import { has, t } from './i18n.js';
import { label } from './ui.js';
/** @typedef {import('./types').Bodies['policy']} PolicyDraft */
/** @typedef {import('./types').PolicyList['vocabulary']} Vocabulary */
/** A ladder's step as the form edits it: fields by name (the API checks what is sent). */
/** @typedef {Record<string, unknown>} Step */

/**
 * Which labels a field's values take.
 * @type {Record<string, string>}
 */
const VALUE_LABELS = { recipientRole: 'role', escalateTo: 'role', signEscalateTo: 'role', deciderRole: 'role', instrument: 'notices.instrument', kind: 'notices.decision', unit: 'unit', dayUnit: 'unit', acceptanceParties: 'party', grade: 'grade', source: 'source' };

/**
 * "policy.escalation.1.afterDays" → "升级步骤 #2 · 逾期天数".
 * @param {string} path
 */
export function pathLabel(path) {
  return path
    .split('.')
    .filter((s) => s !== 'policy' && s !== '')
    .map((s) => (/^\d+$/.test(s) ? `#${Number(s) + 1}` : has(`admin.policy.path.${s}`) ? t(`admin.policy.path.${s}`) : s))
    .join(' · ')
    .replace(/ · #/g, ' #');
}

/**
 * A value of the field at `path` in words (a step added or removed: all its fields).
 * @param {string} path
 * @param {unknown} value the value as it stands in the policy (any JSON)
 * @returns {string}
 */
export function valueText(path, value) {
  const key = path.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? '';
  if (value === null || value === undefined) return t('admin.policy.absent');
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(path, v)).join(t('admin.policy.listSep')) : t('admin.policy.none');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => t('admin.policy.pair', { field: pathLabel(k), value: valueText(k, v) })).join(t('admin.policy.pairSep'));
  return VALUE_LABELS[key] ? label(VALUE_LABELS[key], value) : String(value);
}

/**
 * The step shapes of each ladder, with the default of a new row.
 * @type {Record<string, {fields: string[], blank: (rows: Step[]) => Step}>}
 */
const LADDERS = {
  escalation: { fields: ['afterDays', 'level', 'recipientRole'], blank: (rows) => ({ afterDays: Number(rows.at(-1)?.afterDays ?? 0) + 1, level: Number(rows.at(-1)?.level ?? 0) + 1, recipientRole: 'supervisor' }) },
  'notice.ladder': { fields: ['afterDays', 'instrument', 'recipientRole'], blank: (rows) => ({ afterDays: Number(rows.at(-1)?.afterDays ?? 0) + 1, instrument: 'directive', recipientRole: 'county_leader' }) },
  'notice.decisions': { fields: ['afterDays', 'kind', 'deciderRole'], blank: (rows) => ({ afterDays: Number(rows.at(-1)?.afterDays ?? 0) + 1, kind: 'penalty', deciderRole: 'supervisor_chief' }) },
};

/**
 * The form's fields for `policy` (edited in place as people type). `vocabulary` lists the values
 * each choice may take (from GET /api/policies). Returns the node and the error display.
 * @param {PolicyDraft} policy
 * @param {Vocabulary} vocabulary
 */
export function policyFields(policy, vocabulary) {
  const root = h('div', { class: 'policy-fields' });
  /** @type {Record<string, string[] | undefined>} */
  const choices = { recipientRole: vocabulary.recipientRoles, escalateTo: vocabulary.recipientRoles, signEscalateTo: vocabulary.recipientRoles, deciderRole: vocabulary.recipientRoles, instrument: vocabulary.instruments, kind: vocabulary.decisionKinds, unit: vocabulary.dayUnits, dayUnit: vocabulary.dayUnits };

  /**
   * One input for the value at obj[key], named by its path.
   * @param {object} edited a part of the policy, edited field by field
   * @param {string} key
   * @param {string} path
   */
  function input(edited, key, path) {
    const obj = /** @type {Record<string, unknown>} */ (edited);
    const id = uid('pf');
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const numeric = typeof obj[key] === 'number';
    const control = choices[key]
      ? h('select', { id, 'data-path': path }, (choices[key] ?? []).map((v) => h('option', { value: v, selected: v === obj[key] }, label(VALUE_LABELS[key] ?? key, v))))
      : h('input', { id, 'data-path': path, type: numeric ? 'number' : 'text', inputmode: numeric ? 'numeric' : null, value: String(obj[key] ?? ''), step: numeric ? 1 : null, class: numeric ? 'input-number' : null });
    control.addEventListener('input', () => {
      obj[key] = numeric ? (control.value === '' ? null : Number(control.value)) : control.value;
    });
    control.addEventListener('change', () => {
      obj[key] = numeric ? (control.value === '' ? null : Number(control.value)) : control.value;
    });
    return h('div', { class: 'field policy-field', 'data-field': path }, h('label', { for: id }, pathLabel(key)), error, control);
  }

  /**
   * @param {string} name
   * @param {string} titleKey
   * @param {...import('./types').Child} content
   */
  function section(name, titleKey, ...content) {
    return h('fieldset', { class: 'card policy-section', 'data-path': `policy.${name}`, 'data-section': name }, h('legend', null, t(titleKey)), h('p', { class: 'field-error', hidden: true }), ...content);
  }

  /**
   * @param {string} path
   */
  function ladder(path) {
    const spec = LADDERS[path];
    // The ladders are named by path (`escalation`, `notice.ladder`); the form edits them in place.
    const doc = /** @type {Record<string, Record<string, Step[]>>} */ (/** @type {unknown} */ (policy));
    const [parent, key] = path.includes('.') ? [doc[path.split('.')[0]] ?? {}, path.split('.')[1]] : [/** @type {Record<string, Step[]>} */ (/** @type {unknown} */ (policy)), path];
    const list = h('ol', { class: 'policy-steps' });
    /** @type {() => HTMLElement} */
    const draw = () =>
      replace(
        list,
        (parent[key] ?? []).map((step, i) =>
          h(
            'li',
            { class: 'policy-step', 'data-step': i },
            h('span', { class: 'step-number' }, t('admin.policy.step', { n: i + 1 })),
            spec.fields.map((f) => input(step, f, `policy.${path}.${i}.${f}`)),
            h('button', { type: 'button', class: 'button button-link', onClick: () => (parent[key]?.splice(i, 1), draw()) }, t('admin.policy.removeStep', { n: i + 1 })),
          ),
        ),
      );
    draw();
    return h(
      'div',
      { class: 'policy-ladder', 'data-path': `policy.${path}` },
      h('h3', null, pathLabel(path)),
      h('p', { class: 'field-error', hidden: true }),
      list,
      h('button', { type: 'button', class: 'button button-secondary button-small', onClick: () => ((parent[key] ??= []).push(spec.blank(parent[key])), draw()) }, '+ ', t('admin.policy.addStep')),
    );
  }

  const reminders = h('input', { id: uid('pf'), 'data-path': 'policy.reminderDaysBefore', type: 'text', value: policy.reminderDaysBefore.join(', '), inputmode: 'numeric' });
  reminders.addEventListener('input', () => {
    policy.reminderDaysBefore = reminders.value.split(/[\s,\uff0c]+/).filter(Boolean).map(Number);
  });
  const major = policy.major;
  const parties = major
    ? h(
        'div',
        { class: 'field policy-field', 'data-path': 'policy.major.acceptanceParties', role: 'group', 'aria-label': pathLabel('acceptanceParties') },
        h('span', { class: 'label' }, pathLabel('acceptanceParties')),
        h('p', { class: 'field-error', hidden: true }),
        vocabulary.acceptanceParties.map((p) => {
          const box = h('input', { type: 'checkbox', value: p, checked: major.acceptanceParties.includes(p) });
          box.addEventListener('change', () => {
            major.acceptanceParties = vocabulary.acceptanceParties.filter((x) => (x === p ? box.checked : major.acceptanceParties.includes(x)));
          });
          return h('label', { class: 'radio' }, box, ' ', label('party', p));
        }),
      )
    : null;

  const { extension, deadline, review, notice } = policy;
  // append() leaves out the sections a policy lacks (Element.append would write "null").
  append(root, [
    section(
      'reminders',
      'admin.policy.section.timing',
      h('div', { class: 'field policy-field', 'data-field': 'policy.reminderDaysBefore' }, h('label', { for: reminders.id }, pathLabel('reminderDaysBefore')), h('p', { class: 'hint' }, t('admin.policy.remindersHint')), h('p', { class: 'field-error', hidden: true }), reminders),
      'dayUnit' in policy ? input(policy, 'dayUnit', 'policy.dayUnit') : null,
      'repeatWindowMonths' in policy ? input(policy, 'repeatWindowMonths', 'policy.repeatWindowMonths') : null,
    ),
    section('escalation', 'admin.policy.section.escalation', ladder('escalation')),
    extension ? section('extension', 'admin.policy.section.extension', ['maxCount', 'maxTotalDays', 'minLeadDays'].map((k) => input(extension, k, `policy.extension.${k}`))) : null,
    deadline ? section('deadline', 'admin.policy.section.deadline', ['days', 'unit', 'legalBasis'].map((k) => input(deadline, k, `policy.deadline.${k}`))) : null,
    review ? section('review', 'admin.policy.section.review', ['withinDays', 'escalateTo'].map((k) => input(review, k, `policy.review.${k}`))) : null,
    notice
      ? section('notice', 'admin.policy.section.notice', ['signWithinDays', 'signEscalateTo'].map((k) => input(notice, k, `policy.notice.${k}`)), ladder('notice.ladder'), ladder('notice.decisions'))
      : null,
    major ? section('major', 'admin.policy.section.major', parties, input(major, 'suspensionMaxDays', 'policy.major.suspensionMaxDays')) : null,
  ]);
  return root;
}

/**
 * Show the API's field errors beside their inputs: each error goes to the element named by its
 * path, or, failing that, the nearest enclosing one (a whole ladder, a section). Returns the
 * first element marked.
 * @param {HTMLElement} root
 * @param {import('./types').FieldError[]} errors
 * @returns {Element | null}
 */
export function showFieldErrors(root, errors) {
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('.field-error'))) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of root.querySelectorAll('.has-error')) el.classList.remove('has-error');
  /** @type {Element | null} */
  let first = null;
  for (const e of errors) {
    let parts = e.field.split('.');
    /** @type {Element | null} */
    let target = null;
    while (parts.length && !target) {
      target = root.querySelector(`[data-path="${parts.join('.')}"]`);
      if (!target) parts = parts.slice(0, -1);
    }
    if (!target) continue;
    const box = target.closest('.policy-field') ?? target;
    const message = /** @type {HTMLElement | null} */ (box.querySelector('.field-error'));
    if (message) {
      message.hidden = false;
      message.textContent = message.textContent ? `${message.textContent}; ${e.message}` : e.message;
      if (!message.id) message.id = uid('pf-error');
      if (target.matches('input, select')) {
        target.setAttribute('aria-invalid', 'true');
        target.setAttribute('aria-describedby', message.id);
      }
    }
    box.classList.add('has-error');
    first ??= target;
  }
  return first;
}
