// @ts-check
/**
 * 催办 on a hazard's or a notice's page: for leaders while the item is open, a button with
 * optional words. The API decides (a closed item, or one urged within the last day, is refused
 * with its reason shown beside the button); the urge then stands on the item's timeline.
 */
import { api, asProblem, newIdempotencyKey } from './api.js';
import { append, h } from './dom.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { card, field, FormState } from './ui.js';

/** Longest message the API takes (domain/urge.ts URGE_MESSAGE_MAX). */
const MESSAGE_MAX = 500;

/**
 * Whether the signed-in person may urge an item in this status.
 * @param {string} status
 */
export function mayUrge(status) {
  return hasRole('leader') && status !== 'closed' && status !== 'void';
}

/**
 * The card, or null when the person may not urge it. `onDone(message)` shows the item again.
 * @param {'hazard' | 'notice'} kind
 * @param {{id: string, status: string}} item
 * @param {{onDone: (note: string) => unknown}} options
 */
export function urgeCard(kind, item, { onDone }) {
  if (!mayUrge(item.status)) return null;
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('urge.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'urge' });
  const state = new FormState(form, button, t('urge.button'));
  const message = field({ labelText: t('urge.message'), hint: t('urge.messageHint'), build: (a) => h('textarea', { ...a, name: 'message', rows: 2, maxlength: MESSAGE_MAX }) });
  state.add('message', message);
  // One key per urge meant: a retry of a lost answer is the same urge, never a second one.
  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = message.control.value.trim();
    state.clear();
    state.busy(true);
    try {
      await api.urge(kind, item.id, words ? { message: words } : {}, idempotencyKey);
      await onDone(t('urge.done'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  append(form, [h('p', { class: 'hint intro' }, t('urge.intro')), message.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return card('actions urge', t('urge.title'), form);
}
