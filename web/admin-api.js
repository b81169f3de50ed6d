/**
 * The admin pages' calls: the directory (regions, enterprises, users, API keys, service
 * accounts) and the city-wide data (policies, the working-day calendar). Every change carries a
 * fresh Idempotency-Key, so a retry after a lost answer changes nothing twice.
 */
import { newIdempotencyKey, request } from './api.js';

const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
const id = encodeURIComponent;
const once = () => ({ headers: { 'idempotency-key': newIdempotencyKey() } });

/** Every page of a cursor-paged list (up to `maxPages` of 500). */
async function everyPage(path, params = {}, maxPages = 20) {
  const items = [];
  let cursor;
  for (let i = 0; i < maxPages; i += 1) {
    const page = await request('GET', `${path}${query({ ...params, limit: 500, cursor })}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export const adminApi = {
  regions: () => everyPage('/regions'),
  createRegion: (body) => request('POST', '/regions', body, once()),
  updateRegion: (regionId, body) => request('PATCH', `/regions/${id(regionId)}`, body),

  enterprisePage: (params) => request('GET', `/enterprises${query({ limit: 20, ...params })}`),
  enterprise: (enterpriseId) => request('GET', `/enterprises/${id(enterpriseId)}`),
  createEnterprise: (body) => request('POST', '/enterprises', body, once()),
  updateEnterprise: (enterpriseId, body) => request('PATCH', `/enterprises/${id(enterpriseId)}`, body),

  userPage: (params) => request('GET', `/users${query({ limit: 20, ...params })}`),
  /** Everyone of a role (or kind) within reach, e.g. the leaders an enterprise may be assigned to. */
  allUsers: (params) => everyPage('/users', params),
  createUser: (body) => request('POST', '/users', body, once()),
  updateUser: (userId, body) => request('PATCH', `/users/${id(userId)}`, body),
  resetPassword: (userId, password) => request('POST', `/users/${id(userId)}/password`, { password }, once()),

  apiKeys: () => request('GET', '/api-keys'),
  createOwnKey: (name) => request('POST', '/api-keys', { name }, once()),
  createServiceAccount: (body) => request('POST', '/service-accounts', body, once()),
  createServiceKey: (accountId, name) => request('POST', `/service-accounts/${id(accountId)}/api-keys`, { name }, once()),
  revokeKey: (keyId) => request('POST', `/api-keys/${id(keyId)}/revocation`, undefined, once()),

  policies: () => request('GET', '/policies'),
  policy: (policyId) => request('GET', `/policies/${id(policyId)}`),
  savePolicy: (body) => request('POST', '/policies', body, once()),

  calendarYears: () => request('GET', '/calendars'),
  publishCalendar: (body) => request('POST', '/calendars', body, once()),
  publications: () => request('GET', '/calendars/publications'),
  publication: (publicationId) => request('GET', `/calendars/publications/${id(publicationId)}`),
};
