// @ts-check
/**
 * 统一催办 (leaders): every overdue hazard and notice of one enterprise, or of one region's
 * subtree, urged at once. The API begins it in its own workflow (202); the card then follows its
 * progress until done: how many items were concerned, urged, passed over (urged lately, or settled
 * meanwhile), already ended, failed.
 */
import { api, asProblem, enterprises, everyRegion, newIdempotencyKey } from './api.js';
import { append, h, replace } from './dom.js';
import { t } from './i18n.js';
import { regionOptions } from './admin-ui.js';
import { FormState, card, field, missingProblem } from './ui.js';
/** @typedef {import('./types').BulkUrgeProgress} BulkUrgeProgress */

/** Longest message the API takes (domain/urge.ts URGE_MESSAGE_MAX). */
const MESSAGE_MAX = 500;
/** How often the progress is read while the bulk urge goes on. */
const POLL_MS = 1000;

/**
 * The counts of a bulk urge, as far as it has got.
 * @param {BulkUrgeProgress} p
 */
function progressText(p) {
  const counts = /** @type {const} */ (['concerned', 'urged', 'passedOver', 'alreadyEnded', 'failed', 'remaining']);
  return h(
    'div',
    { class: 'bulk-progress', 'data-done': String(p.done), 'data-urged': String(p.urged) },
    h('p', null, p.done ? t('bulk.done') : t('bulk.running')),
    h('dl', { class: 'facts' }, counts.map((k) => h('div', { class: 'fact', 'data-count': k }, h('dt', null, t(`bulk.count.${k}`)), h('dd', null, String(p[k]))))),
  );
}

/** The card; the enterprises and regions within reach load into it. */
export function bulkUrgeCard() {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('bulk.button'));
  const form = h('form', { class: 'action-form', novalidate: true, 'data-form': 'bulk-urge' });
  const state = new FormState(form, button, t('bulk.button'));
  const scope = h(
    'fieldset',
    { class: 'choice-group' },
    h('legend', null, t('bulk.scope')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'scope', value: 'enterprise', checked: true }), ' ', t('bulk.scope.enterprise')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'scope', value: 'region' }), ' ', t('bulk.scope.region')),
  );
  const enterprise = state.add('enterpriseId', field({ labelText: t('bulk.field.enterprise'), required: true, build: (a) => h('select', a, h('option', { value: '' }, t('picker.loading'))) }));
  const region = state.add('regionId', field({ labelText: t('bulk.field.region'), required: true, build: (a) => h('select', a, h('option', { value: '' }, t('picker.loading'))) }));
  const message = state.add('message', field({ labelText: t('urge.message'), hint: t('urge.messageHint'), build: (a) => h('textarea', { ...a, name: 'message', rows: 2, maxlength: MESSAGE_MAX }) }));
  const progress = h('div', { class: 'bulk-progress-slot', 'aria-live': 'polite' });
  const scopeChosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="scope"]:checked'))?.value ?? 'enterprise';
  const showScope = () => {
    enterprise.wrap.toggleAttribute('hidden', scopeChosen() !== 'enterprise');
    region.wrap.toggleAttribute('hidden', scopeChosen() !== 'region');
  };
  scope.addEventListener('change', showScope);
  showScope();
  Promise.all([enterprises(), everyRegion()]).then(
    ([es, rs]) => {
      replace(enterprise.control, h('option', { value: '' }, t('picker.choose')), es.map((e) => h('option', { value: e.id }, e.name)));
      replace(region.control, h('option', { value: '' }, t('picker.choose')), regionOptions(rs, ''));
    },
    () => state.show({ status: -1, title: t('picker.failed') }),
  );
  // Kept while an attempt's answer is unknown: a retry is the same bulk urge, never a second one.
  let key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const byEnterprise = scopeChosen() === 'enterprise';
    const picked = byEnterprise ? enterprise.control.value : region.control.value;
    if (!picked) return state.show(missingProblem([byEnterprise ? 'enterpriseId' : 'regionId']));
    const words = message.control.value.trim();
    state.clear();
    state.busy(true);
    try {
      const begun = await api.bulkUrge({ ...(byEnterprise ? { enterpriseId: picked } : { regionId: picked }), ...(words ? { message: words } : {}) }, key);
      key = newIdempotencyKey();
      replace(progress, h('p', null, t('bulk.begun', { count: begun.concerned })));
      let p = await api.bulkUrgeProgress(begun.bulkUrgeId);
      replace(progress, progressText(p));
      while (!p.done) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        p = await api.bulkUrgeProgress(begun.bulkUrgeId);
        replace(progress, progressText(p));
      }
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) key = newIdempotencyKey();
      state.show(problem);
    }
    state.busy(false);
  });
  append(form, [h('p', { class: 'hint intro' }, t('bulk.intro')), scope, enterprise.wrap, region.wrap, message.wrap, state.problemBox, h('div', { class: 'form-actions' }, button), progress]);
  return card('bulk-urge', t('bulk.title'), form);
}
