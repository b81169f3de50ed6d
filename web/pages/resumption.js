// @ts-check
/**
 * 复产申请: while a suspension runs, the enterprise asks to resume production after a passing
 * self-check (its summary, and a note); a supervisor or leader then reviews it. While a request
 * awaits review, the enterprise is told so.
 */
import { api, asProblem, newIdempotencyKey } from '../api.js';
import { append, h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { hasRole } from '../session.js';
import { FormState, card, field, missingProblem } from '../ui.js';

/**
 * @param {import('../types').Suspension} s
 * @param {import('../types').Updated<import('../types').Suspension>} onDone
 */
function resumptionForm(s, onDone) {
  const submitText = t('resumption.button');
  const button = h('button', { type: 'submit', class: 'button button-primary' }, submitText);
  const form = h('form', { class: 'action-form resumption-form', novalidate: true, 'data-form': 'resumption' });
  const state = new FormState(form, button, submitText);
  const passedId = 'resumption-self-check-passed';
  const passedError = h('p', { class: 'field-error', id: `${passedId}-error`, hidden: true });
  const passed = h(
    'div',
    { class: 'field checkbox' },
    passedError,
    h('input', { type: 'checkbox', id: passedId, name: 'selfCheckPassed', 'aria-describedby': passedError.id }),
    h('label', { for: passedId }, t('resumption.passed')),
  );
  state.add('selfCheck.passed', { wrap: passed, error: passedError, control: passed.querySelector('input') });
  const summary = state.add('selfCheck.summary', field({ labelText: t('resumption.summary'), required: true, hint: t('resumption.summaryHint'), build: (a) => h('textarea', { ...a, name: 'summary', rows: 4, maxlength: 2000 }) }));
  state.fields.set('selfCheck', summary);
  const note = state.add('note', field({ labelText: t('resumption.note'), build: (a) => h('textarea', { ...a, name: 'note', rows: 3, maxlength: 2000 }) }));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = /** @type {HTMLInputElement} */ (passed.querySelector('input')).checked;
    const body = { selfCheck: { passed: ok, summary: summary.control.value.trim() }, note: note.control.value.trim() };
    if (!body.selfCheck.summary) return state.show(missingProblem(['selfCheck.summary']));
    if (!ok) return state.show({ status: -1, title: '', detail: '', errors: [{ field: 'selfCheck.passed', message: t('problem.resumption-self-check-failed') }] });
    state.clear();
    state.busy(true);
    try {
      await onDone(await api.requestResumption(s.id, body, newIdempotencyKey()), t('resumption.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  append(form, [h('p', { class: 'hint intro' }, t('resumption.intro')), passed, summary.wrap, note.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/**
 * The enterprise's card: the request form while suspended, the waiting note once asked.
 * @param {import('../types').Suspension} s
 * @param {import('../types').Updated<import('../types').Suspension>} onDone
 */
export function resumptionCard(s, onDone) {
  if (!hasRole('enterprise')) return null;
  if (s.status === 'suspended') return card('actions resumption', t('resumption.title'), resumptionForm(s, onDone));
  if (s.status === 'resumption_requested') {
    return card(
      'actions resumption',
      t('resumption.title'),
      h('p', { class: 'muted waiting' }, t('resumption.waiting', { at: s.resumptionRequestedAt ? formatDateTime(s.resumptionRequestedAt) : '' })),
    );
  }
  return null;
}
