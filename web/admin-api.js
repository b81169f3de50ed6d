// @ts-check
/**
 * The admin pages' calls: the directory (regions, enterprises, users, API keys, service
 * accounts) and the city-wide data (policies, the working-day calendar). Every change carries a
 * fresh Idempotency-Key, so a retry after a lost answer changes nothing twice.
 */
import { everyPage, newIdempotencyKey, request } from './api.js';

const query = (/** @type {Record<string, unknown>} */ params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
const id = encodeURIComponent;
const once = () => ({ headers: { 'idempotency-key': newIdempotencyKey() } });

/**
 * Every page of a cursor-paged list (up to `maxPages` of 500).
 * @param {string} path
 */
function everyPageOf(path, params = {}, maxPages = 20) {
  // The callers name what the items are.
  return everyPage((cursor) => /** @type {Promise<import('./types').KeysetPage<unknown>>} */ (request('GET', `${path}${query({ ...params, limit: 500, cursor })}`)), maxPages);
}

export const adminApi = {
  regions: () => /** @type {Promise<import('./types').Region[]>} */ (everyPageOf('/regions')),
  createRegion: (/** @type {object} */ body) => /** @type {Promise<import('./types').Region>} */ (request('POST', '/regions', body, once())),
  updateRegion: (/** @type {string} */ regionId, /** @type {object} */ body) => /** @type {Promise<import('./types').Region>} */ (request('PATCH', `/regions/${id(regionId)}`, body)),

  enterprisePage: (/** @type {Record<string, unknown>} */ params) => /** @type {Promise<import('./types').KeysetPage<import('./types').Enterprise>>} */ (request('GET', `/enterprises${query({ limit: 20, ...params })}`)),
  enterprise: (/** @type {string} */ enterpriseId) => /** @type {Promise<import('./types').Enterprise>} */ (request('GET', `/enterprises/${id(enterpriseId)}`)),
  createEnterprise: (/** @type {object} */ body) => /** @type {Promise<import('./types').Enterprise>} */ (request('POST', '/enterprises', body, once())),
  updateEnterprise: (/** @type {string} */ enterpriseId, /** @type {object} */ body) => /** @type {Promise<import('./types').EnterpriseChanged>} */ (request('PATCH', `/enterprises/${id(enterpriseId)}`, body)),

  userPage: (/** @type {Record<string, unknown>} */ params) => /** @type {Promise<import('./types').KeysetPage<import('./types').UserListItem>>} */ (request('GET', `/users${query({ limit: 20, ...params })}`)),
  /** Everyone of a role (or kind) within reach, e.g. the leaders an enterprise may be assigned to. */
  allUsers: (/** @type {Record<string, unknown>} */ params) => /** @type {Promise<import('./types').UserListItem[]>} */ (everyPageOf('/users', params)),
  /** How a person within reach is told (read only: each person sets their own). */
  userPreferences: (/** @type {string} */ userId) => /** @type {Promise<import('./types').NotificationPreferences>} */ (request('GET', `/users/${id(userId)}/notification-preferences`)),
  createUser: (/** @type {object} */ body) => /** @type {Promise<import('./types').User>} */ (request('POST', '/users', body, once())),
  updateUser: (/** @type {string} */ userId, /** @type {object} */ body) => /** @type {Promise<import('./types').User>} */ (request('PATCH', `/users/${id(userId)}`, body)),
  resetPassword: (/** @type {string} */ userId, /** @type {string} */ password) => request('POST', `/users/${id(userId)}/password`, { password }, once()),

  apiKeys: () => /** @type {Promise<{items: import('./types').ApiKeyListItem[]}>} */ (request('GET', '/api-keys')),
  createOwnKey: (/** @type {string} */ name) => /** @type {Promise<import('./types').ApiKeyCreated>} */ (request('POST', '/api-keys', { name }, once())),
  createServiceAccount: (/** @type {object} */ body) => request('POST', '/service-accounts', body, once()),
  createServiceKey: (/** @type {string} */ accountId, /** @type {string} */ name) => /** @type {Promise<import('./types').ApiKeyCreated>} */ (request('POST', `/service-accounts/${id(accountId)}/api-keys`, { name }, once())),
  revokeKey: (/** @type {string} */ keyId) => request('POST', `/api-keys/${id(keyId)}/revocation`, undefined, once()),

  policies: () => /** @type {Promise<import('./types').PolicyList>} */ (request('GET', '/policies')),
  policy: (/** @type {string} */ policyId) => /** @type {Promise<import('./types').PolicyVersion>} */ (request('GET', `/policies/${id(policyId)}`)),
  savePolicy: (/** @type {import('./types').In<typeof import('../api/routes/policies').savePolicyBody>} */ body) => /** @type {Promise<import('./types').PolicySaved>} */ (request('POST', '/policies', body, once())),

  reviewPolicies: () => /** @type {Promise<import('./types').ReviewPolicies>} */ (request('GET', '/review-packs/policies')),
  saveReviewPolicy: (/** @type {string} */ regionId, /** @type {{everyMonths: number, active: boolean}} */ body) =>
    /** @type {Promise<{regionId: string, everyMonths: number, active: boolean, schedule: string}>} */ (request('PUT', `/review-packs/policies/${id(regionId)}`, body)),

  calendarYears: () => /** @type {Promise<{items: import('./types').CalendarYear[]}>} */ (request('GET', '/calendars')),
  publishCalendar: (/** @type {object} */ body) => /** @type {Promise<import('./types').PublicationStarted>} */ (request('POST', '/calendars', body, once())),
  publications: () => /** @type {Promise<{items: import('./types').CalendarPublicationListItem[]}>} */ (request('GET', '/calendars/publications')),
  publication: (/** @type {string} */ publicationId) => /** @type {Promise<import('./types').CalendarPublication>} */ (request('GET', `/calendars/publications/${id(publicationId)}`)),
};
