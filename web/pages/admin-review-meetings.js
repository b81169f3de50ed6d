// @ts-check
/**
 * 督办会安排 (the city's admins): every jurisdiction's review-meeting rhythm as it stands (the
 * default where none was set; who set the others and when), and a form that sets one region's:
 * how many months between meetings (only the rhythms the API accepts are offered) and whether
 * it meets at all. The meeting's schedule follows the saved rhythm.
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { FormState, errorPanel, field, label, missingProblem } from '../ui.js';
import { choiceSelect, row, table } from '../admin-ui.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').ReviewPolicies} ReviewPolicies */
/** @typedef {ReviewPolicies['items'][number]} ReviewPolicy */

/** "每 2 个月召开" or "不召开". */
const rhythmText = (/** @type {{everyMonths: number, active: boolean}} */ p) => (p.active ? t('admin.meetings.every', { months: p.everyMonths }) : t('admin.meetings.inactive'));

export async function reviewMeetingsPage(/** @type {PageContext} */ { query, navigate, flash, flashed }) {
  const title = t('admin.meetings.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  let answer;
  try {
    answer = await adminApi.reviewPolicies();
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const cols = ['region', 'rhythm', 'setBy', 'actions'].map((c) => t(`admin.meetings.col.${c}`));
  const rows = answer.items.map((p) =>
    row({ 'data-region-id': p.regionId }, cols, [
      t('admin.meetings.regionWithLevel', { name: p.regionName, level: label('regionLevel', p.level) }),
      rhythmText(p),
      p.configured && p.updatedAt ? `${p.updatedByName ?? p.updatedBy} · ${formatDateTime(p.updatedAt)}` : t('admin.meetings.default'),
      h('a', { href: `#/admin/review-meetings?region=${encodeURIComponent(p.regionId)}`, class: 'button button-link' }, t('admin.meetings.change')),
    ]),
  );
  return {
    title,
    node: h(
      'section',
      { class: 'page admin-page review-meetings' },
      h('div', { class: 'page-head' }, heading),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'hint' }, t('admin.meetings.intro')),
      table('meetings-table', title, cols, rows),
      rhythmForm(answer, query.get('region') ?? '', { navigate, flash }),
    ),
  };
}

/**
 * @param {ReviewPolicies} answer
 * @param {string} picked
 * @param {Pick<PageContext, 'navigate' | 'flash'>} ctx
 */
function rhythmForm(answer, picked, { navigate, flash }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.meetings.save'));
  const form = h('form', { class: 'card admin-form', novalidate: true, 'data-form': 'review-meeting' });
  const state = new FormState(form, button, t('admin.meetings.save'));
  const byId = new Map(answer.items.map((p) => [p.regionId, p]));
  const region = state.add(
    'regionId',
    field({ labelText: t('admin.meetings.field.region'), required: true, build: (a) => choiceSelect(a, t('admin.pickRegion'), answer.items.map((p) => /** @type {[string, string]} */ ([p.regionId, p.regionName])), byId.has(picked) ? picked : '') }),
  );
  const every = state.add(
    'everyMonths',
    field({ labelText: t('admin.meetings.field.everyMonths'), required: true, build: (a) => h('select', a, answer.intervals.map((m) => h('option', { value: String(m) }, t('admin.meetings.months', { months: m })))) }),
  );
  const active = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: 'active', id: 'meeting-active' }));
  const current = h('p', { class: 'meeting-current', 'aria-live': 'polite' });
  const fill = () => {
    const p = byId.get(region.control.value);
    if (!p) {
      current.textContent = '';
      return;
    }
    every.control.value = String(p.everyMonths);
    active.checked = p.active;
    current.textContent = t('admin.meetings.current', { region: p.regionName, rhythm: rhythmText(p), how: p.configured ? t('admin.meetings.set') : t('admin.meetings.default') });
  };
  region.control.addEventListener('change', fill);
  fill();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const p = byId.get(region.control.value);
    if (!p) return state.show(missingProblem(['regionId']));
    state.busy(true);
    try {
      const saved = await adminApi.saveReviewPolicy(p.regionId, { everyMonths: Number(every.control.value), active: active.checked });
      flash(t('admin.meetings.saved', { region: p.regionName, rhythm: rhythmText(saved) }));
      navigate('#/admin/review-meetings');
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(
    h('h2', null, t('admin.meetings.formTitle')),
    region.wrap,
    current,
    every.wrap,
    h('div', { class: 'field' }, h('label', { class: 'radio', for: 'meeting-active' }, active, ' ', t('admin.meetings.field.active'))),
    state.problemBox,
    h('div', { class: 'form-actions' }, button),
  );
  return form;
}
