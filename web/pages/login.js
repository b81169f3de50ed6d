// @ts-check
/**
 * 登录: a user name and password for a token (POST /api/auth/login). A refusal never says whether
 * the name or the password was wrong (neither does the API); too many attempts are said as such.
 * On success, on to the page the person wanted (the `next` route) or the ledger.
 */
import { api, asProblem } from '../api.js';
import { append, h } from '../dom.js';
import { t } from '../i18n.js';
import { safeNext, signIn } from '../session.js';
import { FormState, field, missingProblem } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

export async function loginPage(/** @type {PageContext} */ { query, navigate, flashed }) {
  const heading = h('h1', { tabindex: '-1' }, t('login.title'));
  const button = h('button', { type: 'submit', class: 'button button-primary login-button' }, t('login.button'));
  const form = h('form', { class: 'login-form', novalidate: true, 'data-form': 'login' });
  const state = new FormState(form, button, t('login.button'));

  const username = state.add(
    'username',
    field({
      labelText: t('login.username'),
      required: true,
      build: (a) => h('input', { ...a, type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 }),
    }),
  );
  const password = state.add(
    'password',
    field({
      labelText: t('login.password'),
      required: true,
      build: (a) => h('input', { ...a, type: 'password', name: 'password', autocomplete: 'current-password', maxlength: 256 }),
    }),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = username.control.value.trim();
    const secret = password.control.value;
    const missing = [...(name ? [] : ['username']), ...(secret ? [] : ['password'])];
    if (missing.length) return state.show(missingProblem(missing));
    state.clear();
    state.busy(true);
    try {
      const answer = await api.login(name, secret);
      signIn(answer);
      navigate(safeNext(query.get('next')));
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      if (problem.status === 401) {
        // Generic on purpose: which of the two was wrong is not said.
        state.show({ status: 401, title: t('login.failed'), detail: t('login.failedHint') });
        password.control.value = '';
      } else if (problem.status === 429) {
        state.show({ status: 429, title: t('login.tooMany'), detail: '' });
      } else {
        state.show(problem);
      }
    }
  });

  append(form, [username.wrap, password.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);

  const notice = flashed ? h('div', { class: 'notice notice-info', role: 'status' }, flashed) : null;
  const node = h(
    'section',
    { class: 'page login-page' },
    h(
      'div',
      { class: 'card login-card' },
      h('div', { class: 'login-head' }, heading, h('p', { class: 'hint' }, t('login.intro'))),
      notice,
      form,
    ),
  );
  return { title: t('login.title'), node };
}
