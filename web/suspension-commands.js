// @ts-check
/**
 * A supervisor's or leader's commands on a suspension: the review of a resumption request (复产审查):
 * approve with a comment, or reject with reasons (one a line) and optionally a new planned end,
 * shown only while a request waits; extending it, and (leaders) lifting it early. The API's
 * refusal is shown beside the form.
 */
import { api, asProblem, newIdempotencyKey } from './api.js';
import { area, commandForm, text } from './command-form.js';
import { h, replace } from './dom.js';
import { addDays, shanghaiToday } from './format.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { FormState, card, field } from './ui.js';

/**
 * @param {import('./types').Suspension} s
 * @param {{onDone: (note: string) => unknown}} options
 */
export function resumptionReviewCard(s, { onDone }) {
  if (s.status !== 'resumption_requested' || !hasRole('supervisor', 'leader')) return null;
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('resume.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'resumption-review' });
  const state = new FormState(form, button, t('resume.button'));
  const decision = h(
    'fieldset',
    { class: 'choice-group' },
    h('legend', null, t('resume.decision')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'decision', value: 'approve', checked: true }), ' ', t('resume.approve')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'decision', value: 'reject' }), ' ', t('resume.reject')),
  );
  const comment = state.add('comment', field({ labelText: t('resume.comment'), build: (a) => h('textarea', { ...a, name: 'comment', rows: 3, maxlength: 2000 }) }));
  const reasons = state.add('reasons', field({ labelText: t('resume.reasons'), build: (a) => h('textarea', { ...a, name: 'reasons', rows: 3 }) }));
  const plannedEnd = state.add('plannedEnd', field({ labelText: t('resume.plannedEnd'), build: (a) => h('input', { ...a, type: 'date', name: 'plannedEnd', min: shanghaiToday() }) }));
  const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="decision"]:checked'))?.value ?? 'approve';
  const show = () => {
    const rejecting = chosen() === 'reject';
    comment.wrap.hidden = rejecting;
    reasons.wrap.hidden = !rejecting;
    plannedEnd.wrap.hidden = !rejecting;
  };
  decision.addEventListener('change', show);
  let key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (/** @type {{control: Element}} */ f) => /** @type {HTMLInputElement} */ (f.control).value.trim();
    /** @type {import('./types').Bodies['resumptionReview']} */
    const body =
      chosen() === 'approve'
        ? { decision: 'approve', comment: value(comment) }
        : {
            decision: 'reject',
            reasons: value(reasons).split('\n').map((r) => r.trim()).filter(Boolean),
            ...(value(plannedEnd) ? { plannedEnd: value(plannedEnd) } : {}),
          };
    state.clear();
    state.busy(true);
    try {
      await api.reviewResumption(s.id, body, key);
      onDone(t('resume.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) key = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  replace(form, decision, comment.wrap, reasons.wrap, plannedEnd.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  show();
  return card('resumption-review', t('resume.title'), form);
}

/**
 * The commands on an open suspension: extend its planned end with a reason, up to the policy's
 * maximum (supervisors and leaders), or lift it early by a decision with a document number
 * (leaders). Null when the signed-in person has none here.
 * @param {import('./types').Suspension} s
 * @param {{onDone: (updated: import('./types').Suspension, note: string) => unknown}} options
 */
export function suspensionCommandsCard(s, { onDone }) {
  const open = s.status === 'suspended' || s.status === 'resumption_requested';
  if (!open || !hasRole('supervisor', 'leader')) return null;
  const after = addDays(s.plannedEnd, 1);
  const today = shanghaiToday();
  const forms = [];
  if (s.plannedEnd < s.maxEnd) {
    forms.push(
      commandForm({
        name: 'extend-suspension',
        title: t('suspension.cmd.extend'),
        done: t('suspension.cmd.extended'),
        fields: [
          {
            name: 'plannedEnd',
            label: t('suspension.cmd.plannedEnd'),
            required: true,
            hint: t('suspension.cmd.plannedEndHint', { plannedEnd: s.plannedEnd, maxEnd: s.maxEnd }),
            build: (a) => h('input', { ...a, type: 'date', min: after > today ? after : today, max: s.maxEnd }),
          },
          { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
        ],
        send: (v, key) => api.extendSuspension(s.id, { plannedEnd: v.plannedEnd, reason: v.reason }, key),
        onDone,
      }),
    );
  }
  if (hasRole('leader')) {
    forms.push(
      commandForm({
        name: 'lift-suspension',
        title: t('suspension.cmd.lift'),
        done: t('suspension.cmd.lifted'),
        fields: [
          { name: 'documentNumber', label: t('suspension.cmd.liftNumber'), required: true, build: text },
          { name: 'reason', label: t('cmd.field.reason'), required: true, hint: t('suspension.cmd.liftHint'), build: area },
        ],
        send: (v, key) => api.liftSuspension(s.id, { documentNumber: v.documentNumber, reason: v.reason }, key),
        onDone,
      }),
    );
  }
  return forms.length ? card('commands', t('cmd.title'), ...forms) : null;
}
