// @ts-check
/**
 * 督办策略: every scope's versions (history), one version against the one before it (what
 * changed, field by field), and a form that saves a new version of a scope — never an edit of an
 * old one: hazards keep the version they started with. Policies are the city's: only the city's
 * admins save one (the API refuses a county's; the page says so).
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { pathLabel, policyFields, showFieldErrors, valueText } from '../policy-form.js';
import { FormState, card, errorPanel, fact, field, label, listHash } from '../ui.js';
import { choiceSelect, row, table } from '../admin-ui.js';
/** @typedef {import('../types').Navigate} Navigate */
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').PolicyScope} PolicyScope */
/** @typedef {import('../types').PolicyList['items'][number]} PolicyListItem */

const scopeKey = (/** @type {PolicyScope} */ p) => `${p.grade}|${p.source ?? ''}|${p.industry ?? ''}`;
const scopeText = (/** @type {PolicyScope} */ p) => [label('grade', p.grade), p.source ? label('source', p.source) : null, p.industry].filter(Boolean).join(' · ');
const editHash = (/** @type {PolicyScope} */ p, /** @type {number | null} */ from = null) => listHash('#/admin/policies/edit', { grade: p.grade, source: p.source ?? '', industry: p.industry ?? '', from: from === null ? '' : String(from) });

export async function policiesPage(/** @type {PageContext} */ { navigate, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.policies.title'));
  let list;
  try {
    list = await adminApi.policies();
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.policies.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  /** @type {Map<string, PolicyListItem[]>} */
  const scopes = new Map();
  for (const p of list.items) scopes.set(scopeKey(p), [...(scopes.get(scopeKey(p)) ?? []), p]);
  const cols = ['version', 'createdAt', 'createdBy', 'note', 'changes'].map((c) => t(`admin.policies.col.${c}`));
  const cards = [...scopes.values()].map((versions) => {
    // A scope is in the map with at least one version.
    const latest = versions[versions.length - 1];
    return card(
      'policy-scope',
      scopeText(latest),
      h('p', null, t('admin.policies.current', { version: latest.version }), ' ', h('a', { href: editHash(latest), class: 'button button-primary button-small' }, t('admin.policies.edit'))),
      table(
        'policy-history',
        t('admin.policies.history'),
        cols,
        [...versions].reverse().map((v) =>
          row({ 'data-policy-id': v.id }, cols, [
            t('admin.policies.version', { version: v.version }),
            h('time', { datetime: v.createdAt }, formatDateTime(v.createdAt)),
            v.createdByName ?? v.createdBy,
            v.note || t('empty'),
            v.version > 1 ? h('a', { href: `#/admin/policies/${v.id}` }, t('admin.policies.diff')) : h('a', { href: `#/admin/policies/${v.id}` }, t('admin.policies.view')),
          ]),
        ),
      ),
    );
  });
  return {
    title: t('admin.policies.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'hint' }, t('admin.policies.intro')),
      cards,
      newScopeForm(list.vocabulary, navigate),
    ),
  };
}

/**
 * A narrower scope (a grade for one source or industry) starts from its grade's current version.
 * @param {Navigate} navigate
 * @param {import('../types').PolicyList['vocabulary']} vocabulary
 */
function newScopeForm(vocabulary, navigate) {
  const form = h('form', { class: 'admin-form', novalidate: true });
  const grade = field({ labelText: pathLabel('grade'), required: true, build: (a) => choiceSelect(a, null, vocabulary.grades.map((g) => /** @type {[string, string]} */ ([g, label('grade', g)])), 'general') });
  const source = field({ labelText: pathLabel('source'), build: (a) => choiceSelect(a, t('admin.policies.anySource'), vocabulary.sources.map((s) => /** @type {[string, string]} */ ([s, label('source', s)])), '') });
  const industry = field({ labelText: pathLabel('industry'), build: (a) => h('input', { ...a, type: 'text', maxlength: 100 }) });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(editHash({ grade: grade.control.value, source: source.control.value || null, industry: industry.control.value.trim() || null }));
  });
  form.append(grade.wrap, source.wrap, industry.wrap, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-secondary' }, t('admin.policies.newScopeGo'))));
  return card('policy-new-scope', t('admin.policies.newScope'), h('p', { class: 'hint' }, t('admin.policies.newScopeHint')), form);
}

/** One version: its scope, who saved it and why, and what changed from the version before. */
export async function policyVersionPage(/** @type {PageContext} */ { params, navigate, flashed }) {
  let v;
  try {
    v = await adminApi.policy(params.id);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.policies.title'), node: h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, t('admin.policies.title')), errorPanel(problem, () => navigate(location.hash))) };
  }
  const title = t('admin.policies.versionTitle', { scope: scopeText(v), version: v.version });
  const cols = ['field', 'before', 'after'].map((c) => t(`admin.policies.diffCol.${c}`));
  const changes = v.changes.map((c) =>
    row({ 'data-path': c.path }, cols, [pathLabel(c.path), h('span', { class: 'diff-before' }, valueText(c.path, c.before)), h('span', { class: 'diff-after' }, valueText(c.path, c.after))]),
  );
  return {
    title,
    node: h(
      'section',
      { class: 'page admin-page policy-version', 'data-policy-id': v.id },
      h('p', null, h('a', { href: '#/admin/policies', class: 'back-link' }, '‹ ', t('admin.policies.back'))),
      h('h1', { tabindex: '-1' }, title),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('dl', { class: 'facts' }, fact(t('admin.policies.col.createdBy'), v.createdByName ?? v.createdBy), fact(t('admin.policies.col.createdAt'), formatDateTime(v.createdAt)), fact(t('admin.policies.col.note'), v.note || t('empty'))),
      v.previous
        ? card(
            'policy-diff',
            t('admin.policies.diffTitle', { before: v.previous.version, after: v.version }),
            changes.length ? table('policy-changes', t('admin.policies.diffTitle', { before: v.previous.version, after: v.version }), cols, changes) : h('p', { class: 'empty' }, t('admin.policies.noChanges')),
            h('p', null, h('a', { href: `#/admin/policies/${v.previous.id}` }, t('admin.policies.previous', { version: v.previous.version }))),
          )
        : h('p', { class: 'empty' }, t('admin.policies.first')),
      h('p', null, h('a', { href: editHash(v, v.id), class: 'button button-secondary' }, t('admin.policies.editFrom', { version: v.version }))),
    ),
  };
}

/** A new version of a scope, starting from the version named (`from`), the scope's latest, or its grade's. */
export async function policyEditPage(/** @type {PageContext} */ { query, navigate, flash }) {
  const scope = { grade: query.get('grade') || 'general', source: query.get('source') || null, industry: query.get('industry') || null };
  const title = t('admin.policies.editTitle', { scope: scopeText(scope) });
  const heading = h('h1', { tabindex: '-1' }, title);
  let list;
  try {
    list = await adminApi.policies();
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const from = Number(query.get('from'));
  const same = list.items.filter((p) => scopeKey(p) === scopeKey(scope));
  const base = list.items.find((p) => p.id === from) ?? same.at(-1) ?? list.items.filter((p) => scopeKey(p) === scopeKey({ grade: scope.grade })).at(-1);
  // A scope the API knows: a grade and source from the address that it does not is no scope to edit.
  const grade = list.vocabulary.grades.find((g) => g === scope.grade);
  const source = list.vocabulary.sources.find((x) => x === scope.source) ?? null;
  if (!base || !grade || source !== scope.source) return { title, node: h('section', { class: 'page' }, heading, h('p', { class: 'empty' }, t('admin.policies.noBase'))) };
  const policy = structuredClone(base.policy);
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.policies.save'));
  const form = h('form', { class: 'policy-form', novalidate: true, 'data-form': 'policy' });
  const state = new FormState(form, button, t('admin.policies.save'));
  const fields = policyFields(policy, list.vocabulary);
  const note = state.add('note', field({ labelText: t('admin.policies.note'), hint: t('admin.policies.noteHint'), build: (a) => h('textarea', { ...a, rows: 2, maxlength: 500 }) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    state.clear();
    showFieldErrors(fields, []);
    state.busy(true);
    try {
      const saved = await adminApi.savePolicy({ grade, source, industry: scope.industry, policy, note: note.control.value.trim() });
      flash(t('admin.policies.saved', { version: saved.version }));
      navigate(`#/admin/policies/${saved.id}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      // The summary names each field in words; the message itself stands beside the field.
      state.show({ ...problem, errors: problem.errors.map((er) => ({ ...er, field: er.field })) });
      for (const li of state.problemBox.querySelectorAll('.problem-fields li')) li.remove();
      const list = state.problemBox.querySelector('.problem-fields');
      for (const er of problem.errors) list?.append(h('li', null, t('form.fieldError', { field: pathLabel(er.field), message: er.message })));
      /** @type {HTMLElement | null} */ (showFieldErrors(fields, problem.errors))?.focus();
    }
  });
  form.append(fields, note.wrap, state.problemBox, h('div', { class: 'form-actions' }, button, h('a', { href: '#/admin/policies', class: 'button button-secondary' }, t('admin.cancel'))));
  return {
    title,
    node: h(
      'section',
      { class: 'page admin-page' },
      h('p', null, h('a', { href: '#/admin/policies', class: 'back-link' }, '‹ ', t('admin.policies.back'))),
      heading,
      h('p', { class: 'hint' }, same.length ? t('admin.policies.editHint', { version: base.version }) : t('admin.policies.newScopeFrom', { scope: scopeText(base), version: base.version })),
      form,
    ),
  };
}
