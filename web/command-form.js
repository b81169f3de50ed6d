// @ts-check
/**
 * One command as a small collapsible form the API answers: its fields, a required check before
 * sending, one Idempotency-Key kept while an attempt's answer is unknown, and the refusal shown
 * beside the form.
 */
import { asProblem, newIdempotencyKey } from './api.js';
import { h, replace } from './dom.js';
import { shanghaiToday } from './format.js';
import { t } from './i18n.js';
import { FormState, field } from './ui.js';

/** @typedef {import('./types').ControlAttrs & {name: string}} Attrs */

/**
 * One command as a collapsible form: `fields` build the inputs, `send(values, key)` calls the API.
 * @template T
 * @param {{name: string, title: string, fields: Array<{name: string, label: string, required?: boolean, hint?: string, build: (a: Attrs) => HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement}>, send: (values: Record<string, string>, key: string) => Promise<T>, onDone: (answer: T, note: string) => void, done: string, after?: import('./types').Child}} spec
 * `after` is shown below the fields (what the values picked would do).
 */
export function commandForm(spec) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, spec.title);
  const form = h('form', { class: 'action-form command-form', novalidate: true, 'data-form': spec.name });
  const state = new FormState(form, button, spec.title);
  const inputs = spec.fields.map((f) => /** @type {const} */ ([f.name, state.add(f.name, field({ labelText: f.label, required: f.required, hint: f.hint, build: (a) => f.build({ ...a, name: f.name }) }))]));
  // Kept while an attempt's answer is unknown: a retry is the same command.
  let key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(inputs.map(([name, f]) => [name, /** @type {HTMLInputElement} */ (f.control).value.trim()]));
    const missing = spec.fields.filter((f) => f.required && !values[f.name]).map((f) => ({ field: f.name, message: t('form.requiredMissing') }));
    if (missing.length) {
      state.show({ status: -1, title: t('form.requiredMissing'), errors: missing });
      return;
    }
    state.clear();
    state.busy(true);
    try {
      const answer = await spec.send(values, key);
      spec.onDone(answer, spec.done);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) key = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  replace(form, ...inputs.map(([, f]) => f.wrap), spec.after ?? null, state.problemBox, h('div', { class: 'form-actions' }, button));
  return h('details', { class: 'command', 'data-command': spec.name }, h('summary', null, spec.title), form);
}

/** Field builders for the commands' forms. */
export const text = (/** @type {Attrs} */ a) => h('input', { ...a, maxlength: 200 });
export const area = (/** @type {Attrs} */ a) => h('textarea', { ...a, rows: 3, maxlength: 1000 });
export const date = (/** @type {Attrs} */ a) => h('input', { ...a, type: 'date', min: shanghaiToday() });
export const choice = (/** @type {Array<[string, string]>} */ options) => (/** @type {Attrs} */ a) => h('select', a, options.map(([value, label]) => h('option', { value }, label)));
