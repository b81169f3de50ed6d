// @ts-check
/**
 * 人员职务 (admins): who holds which post, by region within the admin's jurisdiction, and a form to
 * give a person a post in their own region or take it away. The rules name posts; the people
 * named here are whom escalations and decisions reach.
 */
import { api, asProblem, everyPage, everyRegion } from '../api.js';
import { h, uid } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { personName } from '../people.js';
import { errorPanel, label } from '../ui.js';
import { cursorPager, filterBar } from './escalations.js';
/** @typedef {import('../types').Navigate} Navigate */
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').UserListItem} UserListItem */

/** The posts a person of each role may hold, as the API answers them (domain/posts.ts: one source). */
/** @typedef {Readonly<Record<string, readonly string[] | undefined>>} PostsByRole */

/**
 * @param {UserListItem[]} people
 * @param {PostsByRole} postsByRole
 * @param {Navigate} navigate
 * @param {(message: string) => void} flash
 */
function assignForm(people, postsByRole, navigate, flash) {
  const userId = uid('post-user');
  const postId = uid('post-post');
  const errorId = uid('post-error');
  const error = h('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true });
  const postSelect = h('select', { id: postId, name: 'post', 'aria-describedby': errorId });
  const userSelect = h(
    'select',
    { id: userId, name: 'user', required: true },
    h('option', { value: '' }, t('posts.pickUser')),
    people.map((p) => h('option', { value: p.id }, `${p.displayName} (${label('userRole', p.role)})`)),
  );
  const fillPosts = () => {
    const person = people.find((p) => p.id === userSelect.value);
    const fits = person ? (postsByRole[person.role] ?? []) : [];
    postSelect.replaceChildren(h('option', { value: '' }, t('posts.none')), ...fits.map((post) => h('option', { value: post }, label('post', post))));
  };
  userSelect.addEventListener('change', fillPosts);
  fillPosts();
  const form = h(
    'form',
    {
      class: 'card posts-form',
      onSubmit: async (event) => {
        event.preventDefault();
        const person = people.find((p) => p.id === userSelect.value);
        if (!person) {
          error.textContent = t('posts.pickUser');
          error.hidden = false;
          userSelect.focus();
          return;
        }
        const post = postSelect.value || null;
        try {
          await api.setPost(person.id, post);
        } catch (thrown) {
          const problem = asProblem(thrown);
          error.textContent = problem.errors?.[0]?.message || problem.detail || problem.title;
          error.hidden = false;
          return;
        }
        flash(post ? t('posts.saved', { name: person.displayName, post: label('post', post) }) : t('posts.cleared', { name: person.displayName }));
        navigate(location.hash);
      },
    },
    h('h2', null, t('posts.assign')),
    h('div', { class: 'field' }, h('label', { for: userId }, t('posts.user')), userSelect),
    h('div', { class: 'field' }, h('label', { for: postId }, t('posts.post')), postSelect, error),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button posts-save' }, t('posts.save'))),
  );
  return form;
}

export async function postsPage(/** @type {PageContext} */ { query, navigate, flash, flashed }) {
  const region = query.get('region') ?? '';
  const post = query.get('post') ?? '';
  const cursor = query.get('cursor') ?? '';
  const title = t('posts.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  let page;
  let regions;
  let people;
  try {
    [page, regions, people] = await Promise.all([
      api.postHolders({ limit: 50, regionId: region || undefined, post: post || undefined, cursor: cursor || undefined }),
      everyRegion(),
      everyPage((c) => api.userPage(c)),
    ]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  /** @type {PostsByRole} */
  const postsByRole = page.postsByRole;
  const allPosts = Object.values(postsByRole).flatMap((p) => p ?? []);
  people = people.filter((p) => p.kind !== 'service' && p.active !== false && postsByRole[p.role]);
  const hashFor = (/** @type {Record<string, string | null | undefined>} */ q) => {
    const p = new URLSearchParams(/** @type {[string, string][]} */ (Object.entries(q).filter(([, v]) => v)));
    return `#/posts${p.toString() ? `?${p}` : ''}`;
  };
  // People by display name (who assigned a post too; the seed's own as the system): login names are for the users page only.
  const assigners = page.people;
  const cols = ['posts.col.person', 'posts.col.region', 'posts.col.post', 'posts.col.assigned', 'posts.col.actions'];
  const td = (/** @type {number} */ i, /** @type {import('../types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  const row = (/** @type {import('../types').PostHolder} */ x) =>
    h(
      'tr',
      null,
      td(0, x.displayName),
      td(1, x.regionName),
      td(2, label('post', x.post)),
      td(3, `${personName(assigners, x.assignedBy)} · ${formatDateTime(x.assignedAt)}`),
      td(
        4,
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary button-small',
            onClick: async () => {
              await api.setPost(x.userId, null);
              flash(t('posts.cleared', { name: x.displayName }));
              navigate(location.hash);
            },
          },
          t('posts.clear'),
        ),
      ),
    );
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h('table', { class: 'ledger-table posts-table' }, h('caption', { class: 'visually-hidden' }, title), h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, t(c))))), h('tbody', null, page.items.map(row))),
      )
    : h('p', { class: 'empty-state' }, t('posts.empty'));
  return {
    title,
    node: h(
      'section',
      { class: 'page posts-page' },
      heading,
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'intro' }, t('posts.intro')),
      assignForm(people, postsByRole, navigate, flash),
      filterBar([
        {
          name: 'region',
          labelText: t('posts.region'),
          current: region,
          options: [['', t('posts.allRegions')], ...regions.map((r) => /** @type {[string, string]} */ ([r.id, `${'\u00a0\u00a0'.repeat(Math.max(0, r.path.split('/').filter(Boolean).length - 1))}${r.name}`]))],
          onPick: (v) => navigate(hashFor({ region: v, post }), { focus: 'select[name="region"]' }),
        },
        {
          name: 'post',
          labelText: t('posts.filterPost'),
          current: post,
          options: [['', t('posts.allPosts')], ...allPosts.map((p) => /** @type {[string, string]} */ ([p, label('post', p)]))],
          onPick: (v) => navigate(hashFor({ region, post: v }), { focus: 'select[name="post"]' }),
        },
      ]),
      table,
      cursorPager({ cursor, nextCursor: page.nextCursor, first: () => navigate(hashFor({ region, post })), next: () => navigate(hashFor({ region, post, cursor: page.nextCursor })) }),
    ),
  };
}
