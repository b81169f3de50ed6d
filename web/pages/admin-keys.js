// @ts-check
/**
 * API 密钥: the keys of the people and service accounts within the admin's jurisdiction (names
 * and dates; a key's secret is shown once, when it is made), revoking one, making one for
 * oneself, and service accounts for other systems with keys of their own. A key acts as whoever
 * it belongs to: nobody makes a key that acts as another person.
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { append, h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { FormState, card, errorPanel, field, label, missingProblem } from '../ui.js';
import { choiceSelect, regionOptions, row, secretBox, table } from '../admin-ui.js';
/** @typedef {import('../types').Navigate} Navigate */
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').ApiKeyCreated} ApiKeyCreated */

const ROLES = ['supervisor', 'leader', 'enterprise', 'admin'];

export async function apiKeysPage(/** @type {PageContext} */ { navigate }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.keys.title'));
  let keys;
  let accounts;
  let regions;
  try {
    [keys, accounts, regions] = await Promise.all([adminApi.apiKeys(), adminApi.allUsers({ kind: 'service' }), adminApi.regions()]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.keys.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  // A secret just made stays on the page until the admin leaves it.
  const secretSlot = h('div', { class: 'secret-slot', 'aria-live': 'polite' });
  const shown = (/** @type {ApiKeyCreated} */ created) => {
    replace(secretSlot, secretBox(created.key));
    secretSlot.querySelector('input')?.focus();
  };
  const cols = ['name', 'owner', 'kind', 'createdAt', 'status', 'actions'].map((c) => t(`admin.keys.col.${c}`));
  const rows = keys.items.map((k) =>
    row({ 'data-key-id': k.id, class: k.revokedAt ? 'is-inactive' : null }, cols, [
      k.name,
      k.displayName,
      t(`admin.keys.kind.${k.kind}`),
      h('time', { datetime: k.createdAt }, formatDateTime(k.createdAt)),
      k.revokedAt ? h('span', { class: 'badge badge-inactive' }, t('admin.keys.revokedAt', { at: formatDateTime(k.revokedAt) })) : t('admin.keys.live'),
      k.revokedAt
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'button button-link',
              onClick: async (e) => {
                const button = e.currentTarget;
                if (!confirm(t('admin.keys.revokeConfirm', { name: k.name }))) return;
                button.disabled = true;
                try {
                  await adminApi.revokeKey(k.id);
                  navigate(location.hash);
                } catch (thrown) {
                  const problem = asProblem(thrown);
                  button.disabled = false;
                  button.after(errorPanel(problem));
                }
              },
            },
            t('admin.keys.revoke'),
          ),
    ]),
  );
  return {
    title: t('admin.keys.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading),
      h('p', { class: 'hint' }, t('admin.keys.intro')),
      secretSlot,
      rows.length ? table('keys-table', t('admin.keys.title'), cols, rows) : h('p', { class: 'empty' }, t('admin.keys.empty')),
      h('div', { class: 'admin-columns' }, ownKeyForm(shown), serviceKeyForm(accounts, shown)),
      serviceAccountForm(regions, navigate),
    ),
  };
}

/**
 * @param {import('../ui.js').FormState} state
 */
function keyNameField(state) {
  return state.add('name', field({ labelText: t('admin.keys.field.name'), required: true, hint: t('admin.keys.nameHint'), build: (a) => h('input', { ...a, type: 'text', maxlength: 100, autocomplete: 'off' }) }));
}

/** @param {(created: ApiKeyCreated) => void} shown */
function ownKeyForm(shown) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.keys.createOwn'));
  const form = h('form', { class: 'card admin-form', novalidate: true, 'data-form': 'own-key' });
  const state = new FormState(form, button, t('admin.keys.createOwn'));
  const name = keyNameField(state);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.control.value.trim()) return state.show(missingProblem(['name']));
    state.busy(true);
    try {
      shown(await adminApi.createOwnKey(name.control.value.trim()));
      name.control.value = '';
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.show(problem);
    }
    state.busy(false);
  });
  form.append(h('h2', null, t('admin.keys.ownTitle')), h('p', { class: 'hint' }, t('admin.keys.ownHint')), name.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  return form;
}

/**
 * @param {import('../types').UserListItem[]} accounts
 * @param {(created: ApiKeyCreated) => void} shown
 */
function serviceKeyForm(accounts, shown) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.keys.createService'));
  const form = h('form', { class: 'card admin-form', novalidate: true, 'data-form': 'service-key' });
  const state = new FormState(form, button, t('admin.keys.createService'));
  const account = state.add(
    'account',
    field({ labelText: t('admin.keys.field.account'), required: true, build: (a) => choiceSelect(a, t('admin.keys.pickAccount'), accounts.filter((u) => u.active).map((u) => /** @type {[string, string]} */ ([u.id, u.displayName])), '') }),
  );
  const name = keyNameField(state);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const missing = /** @type {Array<[string, {control: HTMLInputElement | HTMLSelectElement}]>} */ ([['account', account], ['name', name]]).filter(([, f]) => !f.control.value.trim()).map(([n]) => n);
    if (missing.length) return state.show(missingProblem(missing));
    state.busy(true);
    try {
      shown(await adminApi.createServiceKey(account.control.value, name.control.value.trim()));
      name.control.value = '';
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.show(problem);
    }
    state.busy(false);
  });
  // append() leaves out the note when there are accounts (Element.append would write "null").
  append(form, [h('h2', null, t('admin.keys.serviceTitle')), accounts.length ? null : h('p', { class: 'hint' }, t('admin.keys.noAccounts')), account.wrap, name.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/**
 * @param {import('../types').Region[]} regions
 * @param {Navigate} navigate
 */
function serviceAccountForm(regions, navigate) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.keys.createAccount'));
  const form = h('form', { class: 'admin-form', novalidate: true, 'data-form': 'service-account' });
  const state = new FormState(form, button, t('admin.keys.createAccount'));
  const text = (/** @type {string} */ n, /** @type {string} */ hint) => state.add(n, field({ labelText: t(`admin.keys.field.${n}`), required: true, hint, build: (a) => h('input', { ...a, type: 'text', maxlength: 100, autocomplete: 'off', spellcheck: 'false' }) }));
  const name = text('name', t('admin.keys.accountNameHint'));
  const system = text('system', t('admin.keys.systemHint'));
  const role = state.add('role', field({ labelText: t('admin.users.field.role'), required: true, build: (a) => choiceSelect(a, t('admin.users.pickRole'), ROLES.map((r) => [r, label('userRole', r)]), 'supervisor') }));
  const region = state.add('regionId', field({ labelText: t('admin.users.field.regionId'), required: true, build: (a) => h('select', a, h('option', { value: '' }, t('admin.pickRegion')), regionOptions(regions, '')) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { name: name.control.value.trim(), system: system.control.value.trim(), role: role.control.value, regionId: region.control.value };
    const missing = Object.entries(body).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length) return state.show(missingProblem(missing));
    state.busy(true);
    try {
      await adminApi.createServiceAccount(body);
      navigate(location.hash);
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show(problem);
    }
  });
  form.append(h('p', { class: 'hint' }, t('admin.keys.accountHint')), name.wrap, system.wrap, role.wrap, region.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  return card('service-accounts', t('admin.keys.accountTitle'), form);
}
