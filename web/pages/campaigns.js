// @ts-check
/**
 * 专项行动: the campaigns a person sees (those covering their region or within it), and for admins
 * a form to define one within their jurisdiction (POST /api/campaigns).
 */
import { api, asProblem, everyPage, newIdempotencyKey } from '../api.js';
import { append, h } from '../dom.js';
import { formatDate, shanghaiToday } from '../format.js';
import { t } from '../i18n.js';
import { hasRole } from '../session.js';
import { personName } from '../people.js';
import { FormState, errorPanel, field, missingProblem } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

export async function campaignsPage(/** @type {PageContext} */ { navigate, flash, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('campaigns.title'));
  let list;
  let regions = [];
  try {
    [list, regions] = await Promise.all([api.listCampaigns(), hasRole('admin') ? campaignRegions() : []]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('campaigns.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const rows = list.items.map((c) =>
    h(
      'tr',
      { 'data-campaign-id': c.id },
      h('th', { scope: 'row' }, h('a', { href: `#/campaigns/${encodeURIComponent(c.id)}`, class: 'campaign-link' }, c.name)),
      h('td', null, c.regionName),
      h('td', null, h('time', { datetime: c.cutoff }, formatDate(c.cutoff))),
      h('td', null, h('time', { datetime: c.target }, formatDate(c.target))),
      h('td', null, personName(list.people, c.createdBy)),
    ),
  );
  const table = list.items.length
    ? h(
        'table',
        { class: 'ledger campaigns' },
        h('caption', { class: 'visually-hidden' }, t('campaigns.title')),
        h(
          'thead',
          null,
          h('tr', null, ['name', 'region', 'cutoff', 'target', 'createdBy'].map((col) => h('th', { scope: 'col' }, t(`campaigns.col.${col}`)))),
        ),
        h('tbody', null, rows),
      )
    : h('p', { class: 'empty' }, t('campaigns.empty'));

  return {
    title: t('campaigns.title'),
    node: h(
      'section',
      { class: 'page' },
      h('div', { class: 'page-head' }, heading),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'hint' }, t('campaigns.intro')),
      table,
      hasRole('admin') ? createForm(regions, { navigate, flash }) : null,
    ),
  };
}

/** Regions a campaign may cover: the admin's city, counties and townships (grids are too small to campaign on). */
async function campaignRegions() {
  const regions = await everyPage((cursor) => api.regionPage(cursor), 20);
  return regions.filter((r) => r.level !== 'grid');
}

/**
 * @param {import('../types').Region[]} regions
 */
function createForm(regions, /** @type {Pick<PageContext, 'navigate' | 'flash'>} */ { navigate, flash }) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('campaigns.create'));
  const form = h('form', { class: 'card campaign-form', novalidate: true, 'data-form': 'campaign' });
  const state = new FormState(form, button, t('campaigns.create'));
  let idempotencyKey = newIdempotencyKey();
  const today = shanghaiToday();
  const name = state.add('name', field({ labelText: t('field.name'), required: true, build: (a) => h('input', { ...a, type: 'text', name: 'name', maxlength: 200, autocomplete: 'off' }) }));
  const region = state.add(
    'regionId',
    field({
      labelText: t('field.regionId'),
      required: true,
      build: (a) =>
        h(
          'select',
          { ...a, name: 'regionId' },
          h('option', { value: '' }, t('campaigns.regionPick')),
          // Tree order from the API: indent by depth so the jurisdiction reads as a tree.
          regions.map((r) => h('option', { value: r.id }, `${'\u00a0\u00a0'.repeat(Math.max(0, r.path.split('/').filter(Boolean).length - 1))}${r.name}`)),
        ),
    }),
  );
  const date = (/** @type {string} */ fieldName, /** @type {string} */ hint) =>
    state.add(fieldName, field({ labelText: t(`field.${fieldName}`), required: true, hint, build: (a) => h('input', { ...a, type: 'date', name: fieldName }) }));
  const cutoff = date('cutoff', t('campaigns.cutoffHint'));
  cutoff.control.value = today;
  const target = date('target', t('campaigns.targetHint'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (/** @type {import('../types').Field<HTMLInputElement | HTMLSelectElement>} */ f) => f.control.value.trim();
    const missing = Object.entries({ name, regionId: region, cutoff, target })
      .filter(([, f]) => !value(f))
      .map(([n]) => n);
    if (missing.length) return state.show(missingProblem(missing));
    state.clear();
    state.busy(true);
    try {
      const created = await api.createCampaign({ name: value(name), regionId: value(region), cutoff: value(cutoff), target: value(target) }, idempotencyKey);
      flash(t('campaigns.created'));
      navigate(`#/campaigns/${encodeURIComponent(created.id)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  append(form, [h('h2', null, t('campaigns.new')), name.wrap, region.wrap, cutoff.wrap, target.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}
