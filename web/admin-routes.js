// @ts-check
/**
 * The admins' pages: regions, enterprises, users, API keys, policies, the calendar, stock import and
 * the review meetings' rhythm, the audit chains' check, under
 * #/admin/…; and their links in the main navigation (shown to admins only).
 */
import { regionsPage } from './pages/admin-regions.js';
import { enterpriseFormPage, enterprisesPage } from './pages/admin-enterprises.js';
import { usersPage } from './pages/admin-users.js';
import { apiKeysPage } from './pages/admin-keys.js';
import { policiesPage, policyEditPage, policyVersionPage } from './pages/admin-policies.js';
import { calendarsPage } from './pages/admin-calendars.js';
import { stockImportPage } from './pages/admin-stock-import.js';
import { reviewMeetingsPage } from './pages/admin-review-meetings.js';
import { auditVerifyPage } from './pages/audit.js';

/**
 * The admin route for a path, or null when the path is none of theirs.
 * @param {string} path
 * @returns {import('./types').Route | null}
 */
export function resolveAdmin(path) {
  const exact = /** @type {Record<string, [import('./types').Page, string] | undefined>} */ ({
    '/admin/regions': [regionsPage, 'admin-regions'],
    '/admin/enterprises': [enterprisesPage, 'admin-enterprises'],
    '/admin/enterprises/new': [enterpriseFormPage, 'admin-enterprises'],
    '/admin/users': [usersPage, 'admin-users'],
    '/admin/keys': [apiKeysPage, 'admin-keys'],
    '/admin/policies': [policiesPage, 'admin-policies'],
    '/admin/policies/edit': [policyEditPage, 'admin-policies'],
    '/admin/calendars': [calendarsPage, 'admin-calendars'],
    '/admin/stock-import': [stockImportPage, 'admin-stock-import'],
    '/admin/review-meetings': [reviewMeetingsPage, 'admin-review-meetings'],
    '/admin/audit': [auditVerifyPage, 'admin-audit'],
  })[path];
  if (exact) return { page: exact[0], nav: exact[1], params: {} };
  const enterprise = /^\/admin\/enterprises\/([^/]+)$/.exec(path);
  if (enterprise) return { page: enterpriseFormPage, nav: 'admin-enterprises', params: { id: decodeURIComponent(enterprise[1]) } };
  const version = /^\/admin\/policies\/(\d+)$/.exec(path);
  if (version) return { page: policyVersionPage, nav: 'admin-policies', params: { id: version[1] } };
  return null;
}

/**
 * The admin links of the main navigation, built with the app's own link maker.
 * @param {(key: string, href: string, name: string) => HTMLElement} navLink
 */
export function adminNavLinks(navLink) {
  return [
    navLink('nav.adminRegions', '#/admin/regions', 'admin-regions'),
    navLink('nav.adminEnterprises', '#/admin/enterprises', 'admin-enterprises'),
    navLink('nav.adminUsers', '#/admin/users', 'admin-users'),
    navLink('nav.adminKeys', '#/admin/keys', 'admin-keys'),
    navLink('nav.adminPolicies', '#/admin/policies', 'admin-policies'),
    navLink('nav.adminCalendars', '#/admin/calendars', 'admin-calendars'),
    navLink('nav.adminStockImport', '#/admin/stock-import', 'admin-stock-import'),
    navLink('nav.adminMeetings', '#/admin/review-meetings', 'admin-review-meetings'),
    navLink('nav.adminAudit', '#/admin/audit', 'admin-audit'),
  ];
}
