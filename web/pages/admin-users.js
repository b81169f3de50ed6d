// @ts-check
/**
 * 用户管理: the people within the admin's jurisdiction, searched by name and role and paged;
 * creating one (display name, login name, role, region, and the enterprise for an enterprise
 * user; the post they hold, among the role's; an initial password), resetting a password, deactivating and reactivating,
 * and reading how each person is notified (read only: each sets their own). Login names
 * are shown on this page only: everywhere else people appear by their display names.
 */
import { api, asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { currentUser } from '../session.js';
import { FormState, errorPanel, field, label, listHash, missingProblem } from '../ui.js';
import { choiceSelect, pageNav, regionOptions, row, table } from '../admin-ui.js';
import { problemText } from '../problem-text.js';
import { preferencesFacts } from '../notify-preferences.js';
/** @typedef {import('../types').PageContext} PageContext */

const ROLES = ['supervisor', 'leader', 'enterprise', 'admin'];

export async function usersPage(/** @type {PageContext} */ { query, navigate, flash, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.users.title'));
  const filter = { q: query.get('q') ?? '', role: query.get('role') ?? '', cursor: query.get('cursor') ?? '' };
  let page;
  let regions;
  let postsByRole;
  try {
    // The posts each role may hold come with the holders' list (the domain's, one source).
    [page, regions, { postsByRole }] = await Promise.all([adminApi.userPage({ ...filter, kind: 'person' }), adminApi.regions(), api.postHolders({ limit: 1 })]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.users.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const regionName = new Map(regions.map((r) => [r.id, r.name]));
  const reload = (/** @type {string} */ message) => {
    flash(message);
    navigate(location.hash);
  };
  const q = h('input', { type: 'search', id: 'user-q', value: filter.q, maxlength: 100 });
  const role = choiceSelect({ id: 'user-role' }, t('admin.users.allRoles'), ROLES.map((r) => [r, label('userRole', r)]), filter.role);
  const filters = h(
    'form',
    {
      class: 'filters card',
      role: 'search',
      'aria-label': t('admin.users.search'),
      onSubmit: (e) => {
        e.preventDefault();
        navigate(listHash('#/admin/users', { q: q.value.trim(), role: role.value }));
      },
    },
    h('div', { class: 'filter' }, h('label', { for: 'user-q' }, t('admin.users.search')), q),
    h('div', { class: 'filter' }, h('label', { for: 'user-role' }, t('admin.users.col.role')), role),
    h('button', { type: 'submit', class: 'button button-secondary' }, t('admin.search')),
  );
  const cols = ['displayName', 'username', 'role', 'region', 'status', 'actions'].map((c) => t(`admin.users.col.${c}`));
  const rows = page.items.map((u) => {
    const panel = h('div', { class: 'row-panel' });
    const actions = h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'button', class: 'button button-link', onClick: () => replace(panel, renameForm(u, () => replace(panel), reload)) }, t('admin.users.rename')),
      h('button', { type: 'button', class: 'button button-link', onClick: () => replace(panel, passwordForm(u, () => replace(panel))) }, t('admin.users.resetPassword')),
      h('button', { type: 'button', class: 'button button-link', 'data-action': 'preferences', onClick: () => replace(panel, preferencesPanel(u, () => replace(panel))) }, t('prefs.show')),
      u.id === currentUser()?.id
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'button button-link',
              'data-action': u.active ? 'deactivate' : 'reactivate',
              onClick: async (e) => {
                e.currentTarget.disabled = true;
                try {
                  await adminApi.updateUser(u.id, { active: !u.active });
                  reload(t(u.active ? 'admin.users.deactivated' : 'admin.users.reactivated', { name: u.displayName }));
                } catch (thrown) {
                  const problem = asProblem(thrown);
                  replace(panel, errorPanel(problem));
                }
              },
            },
            t(u.active ? 'admin.users.deactivate' : 'admin.users.reactivate'),
          ),
    );
    return row({ 'data-user-id': u.id, 'data-username': u.username, class: u.active ? null : 'is-inactive' }, cols, [
      u.displayName,
      h('code', { class: 'username' }, u.username),
      label('userRole', u.role),
      regionName.get(u.regionId) ?? u.regionId,
      u.active ? t('admin.users.active') : h('span', { class: 'badge badge-inactive' }, t('admin.users.inactive')),
      [actions, panel],
    ]);
  });
  return {
    title: t('admin.users.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      filters,
      rows.length ? table('users-table', t('admin.users.title'), cols, rows) : h('p', { class: 'empty' }, t('admin.users.empty')),
      pageNav({
        count: page.items.length,
        cursor: filter.cursor,
        nextCursor: page.nextCursor,
        first: () => navigate(listHash('#/admin/users', { q: filter.q, role: filter.role })),
        next: () => navigate(listHash('#/admin/users', { q: filter.q, role: filter.role, cursor: page.nextCursor })),
      }),
      createForm(regions, postsByRole, reload),
    ),
  };
}

/**
 * A person's name as others see it (records show it, never the login name), changed in place.
 * @param {{id: string, displayName: string}} user
 * @param {() => void} close
 * @param {(note: string) => unknown} reload
 */
function renameForm(user, close, reload) {
  const button = h('button', { type: 'submit', class: 'button button-primary button-small' }, t('admin.users.saveName'));
  const form = h('form', { class: 'inline-form', novalidate: true, 'data-form': 'rename' });
  const state = new FormState(form, button, t('admin.users.saveName'));
  const name = state.add('displayName', field({ labelText: t('admin.users.newName', { name: user.displayName }), required: true, build: (a) => h('input', { ...a, type: 'text', maxlength: 100, value: user.displayName }) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const displayName = name.control.value.trim();
    if (!displayName) return state.show(missingProblem(['displayName']));
    state.busy(true);
    try {
      await adminApi.updateUser(user.id, { displayName });
      reload(t('admin.users.renamed', { before: user.displayName, name: displayName }));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(name.wrap, state.problemBox, h('div', { class: 'form-actions' }, button, h('button', { type: 'button', class: 'button button-secondary button-small', onClick: close }, t('admin.cancel'))));
  return form;
}

/**
 * How the person is notified, as they set it: shown, never changed here (each person sets their own).
 * @param {{id: string, displayName: string}} user
 * @param {() => void} close
 */
function preferencesPanel(user, close) {
  const body = h('div', { class: 'prefs-panel', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('app.loading')));
  adminApi.userPreferences(user.id).then(
    (p) => replace(body, h('p', { class: 'hint' }, t('prefs.ofPerson', { name: user.displayName })), preferencesFacts(p)),
    (thrown) => replace(body, errorPanel(asProblem(thrown))),
  );
  return h('div', { class: 'inline-form', 'data-panel': 'preferences' }, body, h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-secondary button-small', onClick: close }, t('prefs.close'))));
}

/**
 * @param {{id: string, displayName: string}} user
 * @param {() => void} close
 */
function passwordForm(user, close) {
  const button = h('button', { type: 'submit', class: 'button button-primary button-small' }, t('admin.users.setPassword'));
  const form = h('form', { class: 'inline-form', novalidate: true, 'data-form': 'password' });
  const state = new FormState(form, button, t('admin.users.setPassword'));
  const password = state.add('password', field({ labelText: t('admin.users.newPassword', { name: user.displayName }), hint: t('admin.users.passwordHint'), build: (a) => h('input', { ...a, type: 'password', autocomplete: 'new-password' }) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!password.control.value) return state.show(missingProblem(['password']));
    state.busy(true);
    try {
      await adminApi.resetPassword(user.id, password.control.value);
      form.replaceWith(h('p', { class: 'notice notice-success', role: 'status' }, t('admin.users.passwordSet', { name: user.displayName })));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(password.wrap, state.problemBox, h('div', { class: 'form-actions' }, button, h('button', { type: 'button', class: 'button button-secondary button-small', onClick: close }, t('admin.cancel'))));
  return form;
}

/**
 * @param {import('../types').Region[]} regions
 * @param {import('./posts.js').PostsByRole} postsByRole
 * @param {(note: string) => unknown} reload
 */
function createForm(regions, postsByRole, reload) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.users.create'));
  const form = h('form', { class: 'card admin-form', novalidate: true, 'data-form': 'user' });
  const state = new FormState(form, button, t('admin.users.create'));
  const input = (/** @type {string} */ name, /** @type {string} */ type, /** @type {{required?: boolean, hint?: string, autocomplete?: string}} */ extra = {}) =>
    state.add(name, field({ labelText: t(`admin.users.field.${name}`), required: extra.required, hint: extra.hint, build: (a) => h('input', { ...a, type, autocomplete: extra.autocomplete ?? 'off', spellcheck: 'false' }) }));
  const displayName = input('displayName', 'text', { required: true });
  const username = input('username', 'text', { required: true, hint: t('admin.users.usernameHint') });
  const role = state.add('role', field({ labelText: t('admin.users.field.role'), required: true, build: (a) => choiceSelect(a, t('admin.users.pickRole'), ROLES.map((r) => [r, label('userRole', r)]), '') }));
  const region = state.add('regionId', field({ labelText: t('admin.users.field.regionId'), required: true, build: (a) => h('select', a, h('option', { value: '' }, t('admin.pickRegion')), regionOptions(regions, '')) }));
  const enterprise = state.add(
    'enterpriseId',
    field({ labelText: t('admin.users.field.enterpriseId'), required: true, hint: t('admin.users.enterpriseHint'), build: (a) => h('select', a, h('option', { value: '' }, t('admin.users.pickEnterprise'))) }),
  );
  const post = state.add('post', field({ labelText: t('admin.users.field.post'), hint: t('admin.users.postHint'), build: (a) => h('select', a) }));
  const fillPosts = () => replace(post.control, h('option', { value: '' }, t('posts.none')), (postsByRole[role.control.value] ?? []).map((p) => h('option', { value: p }, label('post', p))));
  fillPosts();
  const password = input('password', 'password', { hint: t('admin.users.initialPasswordHint'), autocomplete: 'new-password' });
  enterprise.wrap.hidden = true;
  // An enterprise user belongs to one enterprise and sits in its region: the choice of enterprise sets the region.
  const loadEnterprises = async () => {
    const page = await adminApi.enterprisePage({ limit: 500 });
    replace(enterprise.control, h('option', { value: '' }, t('admin.users.pickEnterprise')), page.items.map((e) => h('option', { value: e.id, 'data-region-id': e.regionId }, e.name)));
  };
  role.control.addEventListener('change', () => {
    fillPosts();
    const isEnterprise = role.control.value === 'enterprise';
    enterprise.wrap.hidden = !isEnterprise;
    region.control.disabled = isEnterprise;
    if (isEnterprise) loadEnterprises().catch((problem) => state.show(problem));
  });
  enterprise.control.addEventListener('change', () => {
    region.control.value = enterprise.control.selectedOptions[0]?.dataset.regionId ?? '';
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const isEnterprise = role.control.value === 'enterprise';
    /** @type {Record<string, string | null>} */
    const body = {
      displayName: displayName.control.value.trim(),
      username: username.control.value.trim(),
      role: role.control.value,
      regionId: region.control.value,
      enterpriseId: isEnterprise ? enterprise.control.value || null : null,
      password: password.control.value || null,
    };
    const missing = ['displayName', 'username', 'role', 'regionId'].filter((k) => !body[k]);
    if (isEnterprise && !body.enterpriseId) missing.push('enterpriseId');
    if (missing.length) return state.show(missingProblem(missing));
    state.busy(true);
    try {
      const created = await adminApi.createUser(body);
      const named = { name: created.displayName, username: created.username };
      const chosen = post.control.value;
      if (!chosen) return reload(t('admin.users.created', named));
      // The post is a second command: the user exists even if it is refused, and the page says so.
      try {
        await api.setPost(created.id, chosen);
        reload(t('admin.users.createdWithPost', { ...named, post: label('post', chosen) }));
      } catch (thrown) {
        reload(t('admin.users.createdPostFailed', { ...named, problem: problemText(asProblem(thrown)) }));
      }
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(h('h2', null, t('admin.users.new')), displayName.wrap, username.wrap, role.wrap, enterprise.wrap, region.wrap, post.wrap, password.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  return form;
}
