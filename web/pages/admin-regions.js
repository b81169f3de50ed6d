// @ts-check
/**
 * 区域管理: the region tree within the admin's jurisdiction, each node expandable, with its
 * agency short name (机构简称, which instrument numbers begin with); an admin renames a node,
 * sets its short name, or adds a region below it (county under the city, township under a
 * county, grid under a township).
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { FormState, errorPanel, field, label, missingProblem } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').Region} Region */

/** @type {Record<string, string | null>} */
const CHILD_LEVEL = { city: 'county', county: 'township', township: 'grid', grid: null };

export async function regionsPage(/** @type {PageContext} */ { navigate, flash, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.regions.title'));
  let regions;
  try {
    regions = await adminApi.regions();
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.regions.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  /** @type {Map<string | null, Region[]>} */
  const children = new Map();
  const ids = new Set(regions.map((r) => r.id));
  for (const r of regions) {
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const reload = (/** @type {string} */ message) => {
    flash(message);
    navigate(location.hash || '#/admin/regions');
  };
  // The top of the caller's tree starts open, so the next level shows at once.
  const tree = h('ul', { class: 'region-tree', 'aria-label': t('admin.regions.title') }, (children.get(null) ?? []).map((r) => node(r, children, reload, true)));
  return {
    title: t('admin.regions.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'hint' }, t('admin.regions.intro')),
      h('div', { class: 'card' }, tree),
    ),
  };
}

/**
 * @param {Region} region
 * @param {Map<string | null, Region[]>} children
 * @param {(note: string) => unknown} reload
 * @returns {HTMLElement}
 */
function node(region, children, reload, open = false) {
  const kids = children.get(region.id) ?? [];
  const panel = h('div', { class: 'region-panel' });
  const list = h('ul', { hidden: !open }, kids.map((k) => node(k, children, reload)));
  const toggle = kids.length
    ? h(
        'button',
        {
          type: 'button',
          class: 'tree-toggle',
          'aria-expanded': open ? 'true' : 'false',
          'aria-label': t(open ? 'admin.regions.collapse' : 'admin.regions.expand', { name: region.name }),
          onClick: (e) => {
            const expanded = e.currentTarget.getAttribute('aria-expanded') === 'true';
            e.currentTarget.setAttribute('aria-expanded', expanded ? 'false' : 'true');
            e.currentTarget.setAttribute('aria-label', t(expanded ? 'admin.regions.expand' : 'admin.regions.collapse', { name: region.name }));
            list.hidden = expanded;
          },
        },
        h('span', { 'aria-hidden': 'true' }, '▸'),
      )
    : h('span', { class: 'tree-leaf', 'aria-hidden': 'true' }, '·');
  const show = (/** @type {HTMLElement} */ form) => replace(panel, form);
  const childLevel = CHILD_LEVEL[region.level];
  return h(
    'li',
    { 'data-region-id': region.id, class: 'region-node' },
    h(
      'div',
      { class: 'region-row' },
      toggle,
      h('span', { class: 'region-name' }, region.name),
      h('span', { class: 'badge badge-level' }, label('regionLevel', region.level)),
      region.agencyShortName ? h('span', { class: 'region-agency', title: t('admin.regions.agencyShortName') }, region.agencyShortName) : null,
      h('span', { class: 'region-id muted small' }, region.id),
      h(
        'span',
        { class: 'region-actions' },
        h('button', { type: 'button', class: 'button button-link', onClick: () => show(editForm(region, reload, () => replace(panel))) }, t('admin.regions.edit')),
        childLevel
          ? h('button', { type: 'button', class: 'button button-link', onClick: () => show(childForm(region, childLevel, reload, () => replace(panel))) }, t('admin.regions.addChild'))
          : null,
      ),
    ),
    panel,
    kids.length ? list : null,
  );
}

/**
 * @param {Region} region
 * @param {(note: string) => unknown} reload
 * @param {() => void} close
 */
function editForm(region, reload, close) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.save'));
  const form = h('form', { class: 'inline-form', novalidate: true, 'data-form': 'region-edit' });
  const state = new FormState(form, button, t('admin.save'));
  const name = state.add('name', field({ labelText: t('admin.regions.name'), required: true, build: (a) => h('input', { ...a, type: 'text', value: region.name, maxlength: 100 }) }));
  const short = state.add(
    'agencyShortName',
    field({ labelText: t('admin.regions.agencyShortName'), hint: t('admin.regions.agencyShortNameHint'), build: (a) => h('input', { ...a, type: 'text', value: region.agencyShortName ?? '', maxlength: 20 }) }),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.control.value.trim()) return state.show(missingProblem(['name']));
    state.busy(true);
    try {
      await adminApi.updateRegion(region.id, { name: name.control.value.trim(), agencyShortName: short.control.value.trim() || null });
      reload(t('admin.regions.saved', { name: name.control.value.trim() }));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(name.wrap, short.wrap, state.problemBox, h('div', { class: 'form-actions' }, button, h('button', { type: 'button', class: 'button button-secondary', onClick: close }, t('admin.cancel'))));
  return form;
}

/**
 * @param {string} level
 * @param {(note: string) => unknown} reload
 * @param {() => void} close
 * @param {Region} parent
 */
function childForm(parent, level, reload, close) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.regions.create'));
  const form = h('form', { class: 'inline-form', novalidate: true, 'data-form': 'region-create' });
  const state = new FormState(form, button, t('admin.regions.create'));
  const legend = h('h3', null, t('admin.regions.newChild', { level: label('regionLevel', level), parent: parent.name }));
  const name = state.add('name', field({ labelText: t('admin.regions.name'), required: true, build: (a) => h('input', { ...a, type: 'text', maxlength: 100 }) }));
  const id = state.add('id', field({ labelText: t('admin.regions.id'), required: true, hint: t('admin.regions.idHint'), build: (a) => h('input', { ...a, type: 'text', maxlength: 40, spellcheck: 'false', autocomplete: 'off' }) }));
  const short = state.add('agencyShortName', field({ labelText: t('admin.regions.agencyShortName'), hint: t('admin.regions.agencyShortNameHint'), build: (a) => h('input', { ...a, type: 'text', maxlength: 20 }) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const missing = /** @type {Array<[string, import('../types').Field<HTMLInputElement>]>} */ ([['name', name], ['id', id]]).filter(([, f]) => !f.control.value.trim()).map(([n]) => n);
    if (missing.length) return state.show(missingProblem(missing));
    state.busy(true);
    try {
      const created = await adminApi.createRegion({ id: id.control.value.trim(), name: name.control.value.trim(), level, parentId: parent.id });
      if (short.control.value.trim()) await adminApi.updateRegion(created.id, { agencyShortName: short.control.value.trim() });
      reload(t('admin.regions.created', { name: created.name }));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(legend, name.wrap, id.wrap, short.wrap, state.problemBox, h('div', { class: 'form-actions' }, button, h('button', { type: 'button', class: 'button button-secondary', onClick: close }, t('admin.cancel'))));
  return form;
}
