// @ts-check
/**
 * The single-page app: the header bar (navigation, who is signed in, language), hash routes, and
 * the page in <main>. Routes: #/login (sign in), #/ (a leader's dashboard, everyone else's
 * ledger), #/dashboard (督办看板, a region's figures), #/hazards (ledger, with filters in the
 * query), #/hazards/new, #/hazards/<id>, #/inspections (执法检查), #/inspections/new, #/inspections/<id>, #/notices/new (下达督办), #/suspensions (停产整顿), #/suspensions/<id>,
 * #/notices (督办通知), #/notices/<id>, #/urges (我的催办, leaders), #/escalations (待我处理的升级),
 * #/campaigns (专项行动), #/campaigns/<id> (存量清零), #/review-packs (双月督办会材料),
 * #/review-packs/<id>, #/inbox (我的消息, the bell), #/posts (人员职务, admins); the admins' other
 * pages under #/admin/ (web/admin-routes.js). Every route
 * but #/login needs a live session; without one (never
 * signed in, signed out, expired, or a 401 from the API) the sign-in page is shown, and after
 * signing in the person is taken back to where they were.
 */
import { asProblem } from './api.js';
import { h, replace } from './dom.js';
import { HTML_LANG, LANGUAGES, lang, onLangChange, setLang, t } from './i18n.js';
import { dashboardPage } from './pages/dashboard.js';
import { campaignPage } from './pages/campaign.js';
import { campaignsPage } from './pages/campaigns.js';
import { detailPage } from './pages/detail.js';
import { hazardAuditPage } from './pages/audit.js';
import { inspectionPage } from './pages/inspection.js';
import { inspectionNewPage } from './pages/inspection-new.js';
import { inspectionsPage } from './pages/inspections.js';
import { ledgerPage } from './pages/ledger.js';
import { loginPage } from './pages/login.js';
import { noticePage } from './pages/notice.js';
import { noticeIssuePage } from './pages/notice-issue.js';
import { noticesPage } from './pages/notices.js';
import { registerPage } from './pages/register.js';
import { reviewPackPage, reviewPacksPage } from './pages/review-packs.js';
import { suspensionPage } from './pages/suspension.js';
import { suspensionsPage } from './pages/suspensions.js';
import { urgesPage } from './pages/urges.js';
import { escalationsPage } from './pages/escalations.js';
import { adminNavLinks, resolveAdmin } from './admin-routes.js';
import { inboxPage } from './pages/inbox.js';
import { postsPage } from './pages/posts.js';
import { inboxBell } from './inbox-bell.js';
import { keepDraft } from './drafts.js';
import { currentUser, endSession, hasRole, onSessionChange, safeNext, session } from './session.js';
import { errorPanel, label } from './ui.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const headerSlot = h('div', { class: 'header-slot' });
const pageSlot = h('div', { class: 'page-slot' });
const main = h('main', { id: 'main', tabindex: '-1' }, pageSlot);
const footerSlot = h('footer', { class: 'site-footer' });

/** @type {string | null} */
let pendingFlash = null;
let navigation = 0;
let renderedOnce = false;

/** @returns {{path: string, query: URLSearchParams}} */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
}

/**
 * @param {string} path
 * @returns {import('./types').Route}
 */
function resolve(path) {
  if (path === '/login') return { page: loginPage, nav: null, params: {}, public: true };
  // Leaders land on their figures; everyone else on the list of work.
  if (path === '/' && hasRole('leader')) return { page: dashboardPage, nav: 'dashboard', params: {} };
  if (path === '/dashboard') return { page: dashboardPage, nav: 'dashboard', params: {} };
  if (path === '/' || path === '/hazards') return { page: ledgerPage, nav: 'ledger', params: {} };
  if (path === '/hazards/new') return { page: registerPage, nav: 'register', params: {} };
  if (path === '/suspensions') return { page: suspensionsPage, nav: 'suspensions', params: {} };
  const s = /^\/suspensions\/([^/]+)$/.exec(path);
  if (s) return { page: suspensionPage, nav: 'suspensions', params: { id: decodeURIComponent(s[1]) } };
  if (path === '/campaigns') return { page: campaignsPage, nav: 'campaigns', params: {} };
  const cp = /^\/campaigns\/([^/]+)$/.exec(path);
  if (cp) return { page: campaignPage, nav: 'campaigns', params: { id: decodeURIComponent(cp[1]) } };
  if (path === '/review-packs') return { page: reviewPacksPage, nav: 'review-packs', params: {} };
  const pack = /^\/review-packs\/([^/]+)$/.exec(path);
  if (pack) return { page: reviewPackPage, nav: 'review-packs', params: { id: decodeURIComponent(pack[1]) } };
  if (path === '/notices') return { page: noticesPage, nav: 'notices', params: {} };
  if (path === '/notices/new') return { page: noticeIssuePage, nav: 'notices', params: {} };
  if (path === '/urges') return { page: urgesPage, nav: 'urges', params: {} };
  if (path === '/escalations') return { page: escalationsPage, nav: 'escalations', params: {} };
  if (path === '/inbox') return { page: inboxPage, nav: 'inbox', params: {} };
  if (path === '/posts') return { page: postsPage, nav: 'posts', params: {} };
  const n = /^\/notices\/([^/]+)$/.exec(path);
  if (n) return { page: noticePage, nav: 'notices', params: { id: decodeURIComponent(n[1]) } };
  const trail = /^\/hazards\/([^/]+)\/audit$/.exec(path);
  if (trail) return { page: hazardAuditPage, nav: 'ledger', params: { id: decodeURIComponent(trail[1]) } };
  const m = /^\/hazards\/([^/]+)$/.exec(path);
  if (m) return { page: detailPage, nav: 'ledger', params: { id: decodeURIComponent(m[1]) } };
  if (path === '/inspections') return { page: inspectionsPage, nav: 'inspections', params: {} };
  if (path === '/inspections/new') return { page: inspectionNewPage, nav: 'inspections', params: {} };
  const inspection = /^\/inspections\/([^/]+)$/.exec(path);
  if (inspection) return { page: inspectionPage, nav: 'inspections', params: { id: decodeURIComponent(inspection[1]) } };
  const admin = path.startsWith('/admin/') ? resolveAdmin(path) : null;
  if (admin) return admin;
  return { page: ledgerPage, nav: 'ledger', params: {} };
}

/**
 * The sign-in page, remembering the page to come back to.
 * @param {string | null} next
 */
function loginHash(next) {
  const target = safeNext(next);
  return target === '#/' ? '#/login' : `#/login?${new URLSearchParams({ next: target })}`;
}

/**
 * After the next render, focus this (a CSS selector) instead of the page heading.
 * @type {string | null}
 */
let pendingFocus = null;

/**
 * Go to a hash route; to the one already shown: render it again (fresh data). `focus` keeps
 * the keyboard where it was (a filter changed with the arrow keys must not lose its place).
 * @param {string} hash
 * @param {{focus?: string | null}} [options]
 */
function navigate(hash, { focus } = {}) {
  pendingFocus = focus ?? null;
  if ((location.hash || '#/') === hash) render({ focus: true });
  else location.hash = hash;
}

/**
 * @param {string} message
 */
function flash(message) {
  pendingFlash = message;
}

/** Who the page shown was drawn for (a sign-in elsewhere as the same person keeps what they were writing). */
let shownFor = '';

/**
 * `keep`: the same page drawn again, not one navigated to: what the person has open and typed on
 * it stays (web/drafts.js).
 * @param {{focus: boolean, keep?: boolean}} [options]
 * @returns {Promise<void>}
 */
async function render({ focus, keep = false } = { focus: false }) {
  const restore = keep ? keepDraft(pageSlot) : null;
  const token = ++navigation;
  const { path, query } = parseHash();
  const route = resolve(path);
  if (!route.public && !session()) {
    // Not signed in: the sign-in page takes this route's place in the history.
    history.replaceState(null, '', loginHash(location.hash || '#/'));
    return render({ focus });
  }
  if (route.public && session()) {
    history.replaceState(null, '', safeNext(query.get('next')));
    return render({ focus });
  }
  renderHeader(route.nav);
  main.setAttribute('aria-busy', 'true');
  const slow = setTimeout(() => {
    if (token === navigation) replace(pageSlot, h('p', { class: 'loading' }, t('app.loading')));
  }, 200);
  // A message from the page before ("registered") is the next page's to show.
  const flashed = pendingFlash;
  pendingFlash = null;
  let result;
  try {
    result = await route.page({ params: route.params, query, navigate, flash, flashed });
  } catch (error) {
    // Pages answer API problems themselves; this is the last resort for anything else.
    const problem = asProblem(error);
    result = { title: t('error.load'), node: errorPanel({ status: problem.status, title: t('error.load'), detail: problem.message }, () => navigate(location.hash || '#/')) };
  } finally {
    clearTimeout(slow);
  }
  if (token !== navigation) return; // a later navigation won
  replace(pageSlot, result.node);
  restore?.(result.node);
  shownFor = currentUser()?.username ?? '';
  main.removeAttribute('aria-busy');
  document.title = t('app.documentTitle', { page: result.title });
  const target = /** @type {HTMLElement | null} */ ((pendingFocus && result.node.querySelector(pendingFocus)) || result.node.querySelector('h1'));
  pendingFocus = null;
  if (focus && renderedOnce) target?.focus();
  renderedOnce = true;
}

function userBox() {
  const user = currentUser();
  if (!user) return null;
  return h(
    'div',
    { class: 'user-box' },
    h(
      'p',
      { class: 'user-who' },
      h('span', { class: 'visually-hidden' }, t('auth.signedInAs')),
      h('span', { class: 'user-name' }, user.displayName || user.username),
      h('span', { class: 'user-role' }, label('userRole', user.role)),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'signout-button',
        onClick: () => {
          flash(t('auth.signedOut'));
          endSession('signed-out');
        },
      },
      t('auth.signOut'),
    ),
  );
}

/** @param {string | null} active */
function renderHeader(active) {
  document.documentElement.lang = HTML_LANG[lang()];
  const signedIn = !!session();
  const navLink = (/** @type {string} */ key, /** @type {string} */ href, /** @type {string} */ name) =>
    h('li', null, h('a', { href, class: 'nav-link', 'aria-current': active === name ? 'page' : null }, t(key)));

  replace(
    headerSlot,
    h('a', { class: 'skip-link', href: '#main', onClick: skipToMain }, t('app.skip')),
    h(
      'header',
      { class: 'masthead' },
      h(
        'div',
        { class: 'masthead-inner' },
        h(
          'a',
          { class: 'brand', href: '#/' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, t('app.mark')),
          h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-sub' }, t('app.subtitle'))),
        ),
        h(
          'div',
          { class: 'masthead-tools' },
          signedIn ? inboxBell(active === 'inbox') : null,
          signedIn ? userBox() : null,
          h(
            'div',
            { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
            LANGUAGES.map((code) =>
              h(
                'button',
                {
                  type: 'button',
                  lang: HTML_LANG[code],
                  class: 'lang-button',
                  'aria-pressed': code === lang() ? 'true' : 'false',
                  onClick: () => setLang(code),
                },
                t(`lang.${code}`),
              ),
            ),
          ),
        ),
      ),
      signedIn
        ? h(
            'nav',
            { class: 'main-nav', 'aria-label': t('nav.label') },
            h(
              'ul',
              null,
              // Figures are about jurisdictions: an enterprise has none.
              hasRole('enterprise') ? null : navLink('nav.dashboard', '#/dashboard', 'dashboard'),
              navLink('nav.ledger', '#/hazards', 'ledger'),
              // Registering is the supervisors' work; nobody else is offered it.
              hasRole('supervisor') ? navLink('nav.register', '#/hazards/new', 'register') : null,
              hasRole('supervisor', 'leader') ? navLink('nav.inspections', '#/inspections', 'inspections') : null,
              navLink('nav.suspensions', '#/suspensions', 'suspensions'),
              navLink('nav.notices', '#/notices', 'notices'),
              // Leaders urge (催办); escalations reach leaders and supervisors.
              hasRole('leader') ? navLink('nav.urges', '#/urges', 'urges') : null,
              hasRole('leader') || hasRole('supervisor') ? navLink('nav.escalations', '#/escalations', 'escalations') : null,
              // Campaign figures are a jurisdiction's: enterprises are not offered them (the API refuses them too).
              hasRole('enterprise') ? null : navLink('nav.campaigns', '#/campaigns', 'campaigns'),
              hasRole('leader', 'admin') ? navLink('nav.reviewPacks', '#/review-packs', 'review-packs') : null,
              // The directory (and who holds which post), policies and the calendar are the admins' to keep.
              hasRole('admin') ? adminNavLinks(navLink) : null,
              hasRole('admin') ? navLink('nav.posts', '#/posts', 'posts') : null,
            ),
          )
        : null,
    ),
  );
  replace(
    footerSlot,
    h('p', null, t('app.footer')),
    h('p', { class: 'footer-links' }, h('a', { href: '/api/docs/', class: 'api-docs-link' }, t('app.apiDocs'))),
  );
}

/**
 * The skip link targets <main> without changing the hash (the hash is the route).
 * @param {Event} event
 */
function skipToMain(event) {
  event.preventDefault();
  main.focus();
}

root.replaceChildren(headerSlot, main, footerSlot);

onSessionChange((s, reason) => {
  if (reason === 'signed-in') return; // the sign-in page goes on by itself
  if (s) {
    // Signed in (maybe as someone else) in another tab: show this page as that person sees it.
    render({ focus: false, keep: s.user.username === shownFor });
    return;
  }
  const { path } = parseHash();
  if (path === '/login') return; // already asked to sign in
  /** @type {Record<string, string>} */
  const messages = { expired: 'auth.expired', rejected: 'auth.rejected', elsewhere: 'auth.signedOutElsewhere', 'signed-out': 'auth.signedOut' };
  pendingFlash ??= t(messages[reason] ?? 'auth.rejected');
  navigation += 1; // whatever the page was loading is no longer to be shown
  // An expired or refused session comes back to this page; a chosen sign-out starts afresh.
  const next = reason === 'expired' || reason === 'rejected' ? location.hash : '#/';
  navigate(loginHash(next));
});

window.addEventListener('hashchange', () => render({ focus: true }));
onLangChange(() => {
  // Keep the focus on the language switch across the re-render.
  const again = document.activeElement?.classList.contains('lang-button');
  render({ focus: false, keep: true }).then(() => {
    if (again) /** @type {HTMLElement | null} */ (headerSlot.querySelector('.lang-button[aria-pressed="true"]'))?.focus();
  });
});
render();
