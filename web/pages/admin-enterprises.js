// @ts-check
/**
 * 企业管理: the enterprises within the admin's jurisdiction, searched by name or 统一社会信用代码 and
 * paged; a form to register one or change one: region, industry, responsible leader (包联领导,
 * picked from the leaders within reach) and responsible person. The credit code's check
 * character is verified here before sending, as the API does (GB 32100).
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { creditCodeProblem } from '../credit-code.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { FormState, errorPanel, field, listHash, missingProblem } from '../ui.js';
import { choiceSelect, pageNav, regionOptions, row, table } from '../admin-ui.js';
/** @typedef {import('../types').PageContext} PageContext */

/** The industries offered (stored as the bureau writes them, whatever the page's language); others may be typed. */
const industries = () => t('admin.enterprises.industryChoices').split('|');

export async function enterprisesPage(/** @type {PageContext} */ { query, navigate, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.enterprises.title'));
  const q = query.get('q') ?? '';
  const cursor = query.get('cursor') ?? '';
  let page;
  let regions;
  let leaders;
  try {
    [page, regions, leaders] = await Promise.all([adminApi.enterprisePage({ q, cursor }), adminApi.regions(), adminApi.allUsers({ role: 'leader' })]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.enterprises.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const regionName = new Map(regions.map((r) => [r.id, r.name]));
  const leaderName = new Map(leaders.map((u) => [u.id, u.displayName]));
  const search = h('input', { type: 'search', id: 'enterprise-q', name: 'q', value: q, maxlength: 100 });
  const filters = h(
    'form',
    {
      class: 'filters card',
      role: 'search',
      'aria-label': t('admin.enterprises.search'),
      onSubmit: (e) => {
        e.preventDefault();
        navigate(listHash('#/admin/enterprises', { q: search.value.trim() }));
      },
    },
    h('div', { class: 'filter' }, h('label', { for: 'enterprise-q' }, t('admin.enterprises.search')), search),
    h('button', { type: 'submit', class: 'button button-secondary' }, t('admin.search')),
  );
  const cols = ['name', 'creditCode', 'region', 'industry', 'leader', 'person'].map((c) => t(`admin.enterprises.col.${c}`));
  const rows = page.items.map((e) =>
    row({ 'data-enterprise-id': e.id }, cols, [
      h('a', { href: `#/admin/enterprises/${encodeURIComponent(e.id)}`, class: 'enterprise-link' }, e.name),
      h('span', { class: 'tabular' }, e.creditCode),
      regionName.get(e.regionId) ?? e.regionId,
      e.industry ?? t('empty'),
      e.responsibleLeaderId ? (leaderName.get(e.responsibleLeaderId) ?? t('admin.outOfReach')) : h('span', { class: 'muted' }, t('admin.enterprises.noLeader')),
      e.responsiblePerson || t('empty'),
    ]),
  );
  return {
    title: t('admin.enterprises.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading, h('a', { href: '#/admin/enterprises/new', class: 'button button-primary' }, t('admin.enterprises.new'))),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      filters,
      rows.length ? table('enterprises-table', t('admin.enterprises.title'), cols, rows) : h('p', { class: 'empty' }, t('admin.enterprises.empty')),
      pageNav({
        count: page.items.length,
        cursor,
        nextCursor: page.nextCursor,
        first: () => navigate(listHash('#/admin/enterprises', { q })),
        next: () => navigate(listHash('#/admin/enterprises', { q, cursor: page.nextCursor })),
      }),
    ),
  };
}

/** Register an enterprise (#/admin/enterprises/new) or change one (#/admin/enterprises/<id>). */
export async function enterpriseFormPage(/** @type {PageContext} */ { params, navigate, flash }) {
  const editing = Boolean(params.id);
  const title = editing ? t('admin.enterprises.edit') : t('admin.enterprises.new');
  const heading = h('h1', { tabindex: '-1' }, title);
  let regions;
  let leaders;
  let current = null;
  try {
    [regions, leaders, current] = await Promise.all([adminApi.regions(), adminApi.allUsers({ role: 'leader' }), editing ? adminApi.enterprise(params.id) : null]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.save'));
  const form = h('form', { class: 'card admin-form', novalidate: true, 'data-form': 'enterprise' });
  const state = new FormState(form, button, t('admin.save'));
  const text = (/** @type {string} */ name, /** @type {boolean} */ required, /** @type {string | null | undefined} */ value, /** @type {{hint?: string, max?: number, list?: string}} */ extra = {}) =>
    state.add(name, field({ labelText: t(`admin.enterprises.field.${name}`), required, hint: extra.hint, build: (a) => h('input', { ...a, type: 'text', value: value ?? '', maxlength: extra.max ?? 200, autocomplete: 'off', list: extra.list }) }));
  const name = text('name', true, current?.name);
  const creditCode = text('creditCode', true, current?.creditCode, { max: 18, hint: t('admin.enterprises.creditCodeHint') });
  creditCode.control.setAttribute('spellcheck', 'false');
  const region = state.add(
    'regionId',
    field({ labelText: t('admin.enterprises.field.regionId'), required: true, build: (a) => h('select', a, h('option', { value: '' }, t('admin.pickRegion')), regionOptions(regions, current?.regionId ?? null)) }),
  );
  const industry = text('industry', false, current?.industry, { max: 100, list: 'industry-list' });
  const leaderOptions = leaders.filter((u) => u.active).map((u) => /** @type {[string, string]} */ ([u.id, u.displayName]));
  const leader = state.add(
    'responsibleLeaderId',
    field({
      labelText: t('admin.enterprises.field.responsibleLeaderId'),
      hint: t('admin.enterprises.leaderHint'),
      build: (a) => choiceSelect(a, t('admin.enterprises.noLeader'), leaderOptions, current?.responsibleLeaderId ?? ''),
    }),
  );
  const person = text('responsiblePerson', false, current?.responsiblePerson, { hint: t('admin.enterprises.personHint') });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    /** @type {Record<string, string | null>} */
    const values = {
      name: name.control.value.trim(),
      creditCode: creditCode.control.value.trim().toUpperCase(),
      regionId: region.control.value,
      industry: industry.control.value.trim() || null,
      responsibleLeaderId: leader.control.value || null,
      responsiblePerson: person.control.value.trim(),
    };
    const missing = ['name', 'creditCode', 'regionId'].filter((k) => !values[k]);
    if (missing.length) return state.show(missingProblem(missing));
    const codeProblem = creditCodeProblem(values.creditCode ?? '');
    if (codeProblem) return state.show({ status: -1, title: '', detail: '', errors: [{ field: 'creditCode', message: t(`admin.creditCode.${codeProblem}`) }] });
    // An edit sends only what changed: an unchanged field is not the admin's to answer for.
    /** @type {Record<string, unknown>} */
    const before = current ?? {};
    const body = editing ? Object.fromEntries(Object.entries(values).filter(([k, v]) => (before[k] ?? null) !== (v ?? null) && !(k === 'responsiblePerson' && !v && !before[k]))) : values;
    if (editing && !Object.keys(body).length) return navigate('#/admin/enterprises');
    state.busy(true);
    try {
      // Editing, `current` is the enterprise at params.id.
      const saved = editing ? await adminApi.updateEnterprise(params.id, body) : await adminApi.createEnterprise(body);
      flash(t(editing ? 'admin.enterprises.saved' : 'admin.enterprises.created', { name: saved.name }));
      navigate(`#/admin/enterprises?q=${encodeURIComponent(saved.name)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(
    name.wrap,
    creditCode.wrap,
    region.wrap,
    industry.wrap,
    h('datalist', { id: 'industry-list' }, industries().map((i) => h('option', { value: i }))),
    leader.wrap,
    person.wrap,
    state.problemBox,
    h('div', { class: 'form-actions' }, button, h('a', { href: '#/admin/enterprises', class: 'button button-secondary' }, t('admin.cancel'))),
  );
  return { title, node: h('section', { class: 'page admin-page' }, h('p', null, h('a', { href: '#/admin/enterprises', class: 'back-link' }, '‹ ', t('admin.enterprises.back'))), heading, form) };
}
