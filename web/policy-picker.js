// @ts-check
/**
 * 变更督办政策版本 on a hazard's page (supervisors, leaders, while it is open): the stored versions
 * of its grade's policy it could move to, and for the one picked, what would change from the
 * policy it runs on, field by field, before anything is sent. The move is explicit and recorded
 * with a reason; the steps ahead follow the new version.
 */
import { api } from './api.js';
import { h, replace } from './dom.js';
import { formatDate } from './format.js';
import { t } from './i18n.js';
import { pathLabel, valueText } from './policy-form.js';
import { label } from './ui.js';
import { table, row } from './admin-ui.js';
import { area, commandForm } from './command-form.js';
/** @typedef {import('./types').PolicyChoices} PolicyChoices */
/** @typedef {PolicyChoices['items'][number]} PolicyChoice */

/** "督办策略 · 行业 · 第 2 版" — which scope a version is narrowed to, and its number. */
const scopeText = (/** @type {{source: string | null, industry: string | null, version: number | null}} */ p) =>
  [p.source ? label('source', p.source) : null, p.industry, p.version === null ? t('policyPick.default') : t('admin.policies.version', { version: p.version })].filter(Boolean).join(' · ');

/**
 * What moving to `choice` would change, as a table (or "nothing").
 * @param {PolicyChoice} choice
 */
function changesOf(choice) {
  const cols = ['field', 'before', 'after'].map((c) => t(`admin.policies.diffCol.${c}`));
  if (!choice.changes.length) return h('p', { class: 'empty' }, t('policyPick.same'));
  return table(
    'policy-changes',
    t('policyPick.changes', { version: choice.version }),
    cols,
    choice.changes.map((c) => row({ 'data-path': c.path }, cols, [pathLabel(c.path), h('span', { class: 'diff-before' }, valueText(c.path, c.before)), h('span', { class: 'diff-after' }, valueText(c.path, c.after))])),
  );
}

/**
 * The command, collapsed until opened; the versions load with it.
 * @param {import('./types').Hazard} hz
 * @param {{onDone: (hazard: import('./types').Hazard, note: string) => void}} options
 */
export function policyPicker(hz, { onDone }) {
  const panel = h('div', { class: 'policy-pick', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('policyPick.loading')));
  /** @type {PolicyChoice[]} */
  let items = [];
  const versionSelect = (/** @type {import('./command-form.js').Attrs} */ a) => {
    const select = h('select', a, h('option', { value: '' }, t('policyPick.loading')));
    const show = () => {
      const picked = items.find((p) => String(p.id) === select.value);
      const current = panel.querySelector('.policy-current');
      replace(panel, current, picked ? changesOf(picked) : null);
    };
    select.addEventListener('change', show);
    api.policyChoices(hz.id).then(
      (answer) => {
        items = answer.items;
        replace(
          select,
          h('option', { value: '' }, items.length ? t('policyPick.choose') : t('policyPick.noOther')),
          items.map((p) => h('option', { value: String(p.id) }, [scopeText(p), formatDate(p.createdAt.slice(0, 10)), p.note].filter(Boolean).join(' · '))),
        );
        replace(panel, h('p', { class: 'policy-current' }, t('policyPick.current', { scope: scopeText(answer.current) })));
      },
      () => replace(panel, h('p', { class: 'field-error' }, t('policyPick.failed'))),
    );
    return select;
  };
  return commandForm({
    name: 'change-policy',
    title: t('cmd.changePolicy'),
    done: t('cmd.policyChanged'),
    fields: [
      { name: 'policyId', label: t('cmd.field.policyVersion'), required: true, hint: t('policyPick.hint'), build: versionSelect },
      { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
    ],
    after: panel,
    send: (v, key) => api.hazardCommand(hz.id, 'policy', { policyId: Number(v.policyId), reason: v.reason }, key),
    onDone,
  });
}
