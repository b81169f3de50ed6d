// @ts-check
/**
 * Talking to the API under /api. Every call but the log-in carries the session's bearer token; a
 * 401 ends the session (the app then shows the sign-in page). Every failure becomes an ApiProblem
 * carrying the problem+json answer ({code, title, detail, errors}). The server's title and detail
 * are English, for developers: the pages say the problem by its `code` (see problem-text.js).
 */
import { t } from './i18n.js';
import { isRecord } from './json-shape.js';
import { endSession, token } from './session.js';

export class ApiProblem extends Error {
  /**
   * @param {number} status HTTP status (0: the server was not reached; -1: refused here before sending)
   * @param {{code?: unknown, post?: unknown, title?: unknown, detail?: unknown, errors?: unknown}} problem the answer's JSON (checked here)
   * @param {boolean} [fromServer] the answer came from the API (its texts are not the reader's)
   */
  constructor(status, problem, fromServer = false) {
    super(typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : `HTTP ${status}`);
    this.status = status;
    this.fromServer = fromServer;
    this.code = typeof problem.code === 'string' ? problem.code : '';
    this.title = typeof problem.title === 'string' ? problem.title : '';
    this.detail = typeof problem.detail === 'string' ? problem.detail : '';
    /** The post a refusal names (decision-post-required). */
    this.post = typeof problem.post === 'string' ? problem.post : '';
    /** @type {import('./types').FieldError[]} */
    this.errors = Array.isArray(problem.errors) ? problem.errors.flatMap(fieldError) : [];
  }
}

/**
 * What a `catch` caught, as a problem the pages can show: an ApiProblem as it is; anything else
 * (a fault in the page's own code) as a problem not from the server, with its message.
 * @param {unknown} thrown
 * @returns {ApiProblem}
 */
export function asProblem(thrown) {
  if (thrown instanceof ApiProblem) return thrown;
  return new ApiProblem(0, { title: thrown instanceof Error ? thrown.message : String(thrown) });
}

/**
 * The policy limit a refusal names (`extension.maxCount` and its value), when that is why.
 * @param {unknown} limit
 * @returns {limit is {name: string, value: number}}
 */
const isLimit = (limit) => isRecord(limit) && typeof limit.name === 'string' && typeof limit.value === 'number' && Number.isFinite(limit.value);

/**
 * One entry of a problem's `errors`, as the pages read it; none when it names no field.
 * @param {unknown} e
 * @returns {import('./types').FieldError[]}
 */
function fieldError(e) {
  if (!isRecord(e) || typeof e.field !== 'string') return [];
  return [
    {
      field: e.field,
      message: String(e.message ?? ''),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.file === 'string' ? { file: e.file } : {}),
      ...(isLimit(e.limit) ? { limit: { name: e.limit.name, value: e.limit.value } } : {}),
    },
  ];
}

/** No session (never signed in, or expired): nothing is sent; the app asks the person to sign in. */
function signInRequired() {
  endSession('rejected');
  return new ApiProblem(401, { title: t('auth.required') });
}

/**
 * @param {string} path
 * @param {Omit<RequestInit, 'headers'> & {headers?: Record<string, string>}} init
 * @param {{anonymous?: boolean}} [options]
 */
async function send(path, init, { anonymous = false } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json, application/problem+json', ...(init.headers ?? {}) };
  if (!anonymous) {
    const bearer = token();
    if (!bearer) throw signInRequired();
    headers.authorization = `Bearer ${bearer}`;
  }
  let res;
  try {
    res = await fetch(`/api${path}`, { ...init, headers, cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ApiProblem(0, { title: t('error.network') });
  }
  // The token was refused (expired, revoked, account deactivated): sign in again.
  if (res.status === 401 && !anonymous) endSession('rejected');
  return res;
}

/** @param {Response} res */
async function problemOf(res) {
  let payload = null;
  if (/json/.test(res.headers.get('content-type') ?? '')) {
    try {
      payload = await res.json();
    } catch {
      payload = null;
    }
  }
  if (payload && typeof payload === 'object') return new ApiProblem(res.status, payload, true);
  return new ApiProblem(res.status, { title: t('error.unexpected', { status: res.status }) });
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {{headers?: Record<string, string>, anonymous?: boolean}} [options]
 * @returns {Promise<unknown>}
 */
export async function request(method, path, body, options = {}) {
  /** @type {Omit<RequestInit, 'headers'> & {headers: Record<string, string>}} */
  const init = { method, headers: { ...options.headers } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await send(path, init, options);
  if (!res.ok) throw await problemOf(res);
  let payload = null;
  try {
    payload = await res.json();
  } catch {
    payload = null;
  }
  if (payload === null || typeof payload !== 'object') throw new ApiProblem(res.status, { title: t('error.unexpected', { status: res.status }) });
  return payload;
}

/** A fresh Idempotency-Key (crypto.getRandomValues works on plain-HTTP intranets too, unlike randomUUID). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @param {Record<string, unknown>} params */
const qs = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** @param {string} id */
const hazardPath = (id) => `/hazards/${encodeURIComponent(id)}`;

export const api = {
  login: (/** @type {string} */ username, /** @type {string} */ password) => /** @type {Promise<import('./types').LoginAnswer>} */ (request('POST', '/auth/login', { username, password }, { anonymous: true })),
  listHazards: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').ListPage<import('./types').HazardListItem>>} */ (request('GET', `/hazards${qs(filters)}`)),
  hazard: (/** @type {string} */ id) => /** @type {Promise<import('./types').Hazard>} */ (request('GET', hazardPath(id))),
  /** One hazard's audit trail: its entries with their hashes, and whether the chain verifies (not for enterprises). */
  hazardAudit: (/** @type {string} */ id) => /** @type {Promise<import('./types').HazardAudit>} */ (request('GET', `${hazardPath(id)}/audit`)),
  /** Every audit chain within the admin's reach, checked link by link against its signed head. */
  verifyAudit: () => /** @type {Promise<import('./types').AuditVerification>} */ (request('GET', '/audit/verify')),
  hazardAssignees: (/** @type {string} */ id, /** @type {string} */ place) => /** @type {Promise<import('./types').Assignees>} */ (request('GET', `${hazardPath(id)}/assignees?place=${encodeURIComponent(place)}`)),
  coInspectors: () => /** @type {Promise<import('./types').CoInspectors>} */ (request('GET', '/inspectors')),
  /** With an Idempotency-Key, a retry of the same registration (lost answer) creates nothing new. */
  registerHazard: (/** @type {import('./types').Bodies['createHazard']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', '/hazards', body, { headers: { 'idempotency-key': idempotencyKey } })),
  submitRectification: (/** @type {string} */ id, /** @type {import('./types').Bodies['submission']} */ body) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/submissions`, body)),
  review: (/** @type {string} */ id, /** @type {import('./types').Bodies['review']} */ body) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/reviews`, body)),
  /** The enterprise asks to move the deadline: {requestedDeadline, reason}. */
  requestExtension: (/** @type {string} */ id, /** @type {import('./types').Bodies['extensionRequest']} */ body) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/extensions`, body)),
  /** A supervisor decides: {decision: 'approve', newDeadline?} or {decision: 'deny', reason}. */
  decideExtension: (/** @type {string} */ id, /** @type {import('./types').Bodies['extensionDecision']} */ body) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/extension-decisions`, body)),
  /** One page of enterprises within reach (name order); `cursor` continues a list. */
  enterprisePage: (/** @type {string | null | undefined} */ cursor) => /** @type {Promise<import('./types').KeysetPage<import('./types').Enterprise>>} */ (request('GET', `/enterprises${qs({ limit: 500, cursor })}`)),
  evidence: (/** @type {string} */ id) => /** @type {Promise<import('./types').EvidenceList>} */ (request('GET', `${hazardPath(id)}/evidence`)),
  /** The enterprise files (or revises) a major hazard's five-point plan: {measures, funds, deadline, responsiblePerson, contingencyPlan}. */
  filePlan: (/** @type {string} */ id, /** @type {import('./types').Bodies['plan']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/plan`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A party's acceptance of a major hazard's rectification: {party, passed, opinion, signatory}. */
  recordAcceptance: (/** @type {string} */ id, /** @type {import('./types').Bodies['acceptance']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/acceptances`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** 复产申请: {selfCheck: {passed, summary}, note}; the answer is the suspension. */
  requestResumption: (/** @type {string} */ id, /** @type {import('./types').Bodies['resumptionRequest']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Suspension>} */ (request('POST', `/suspensions/${encodeURIComponent(id)}/resumption-requests`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  inspection: (/** @type {string} */ id) => /** @type {Promise<import('./types').Inspection>} */ (request('GET', `/inspections/${encodeURIComponent(id)}`)),
  /** Inspections within reach, newest first: {enterpriseId?, pendingFindings?, limit, cursor}. */
  listInspections: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').InspectionPage>} */ (request('GET', `/inspections${qs(filters)}`)),
  /** Record an inspection with its checklist: {enterpriseId, location, startedAt, endedAt, coInspectors, findings}. */
  recordInspection: (/** @type {import('./types').Bodies['createInspection']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Inspection>} */ (request('POST', '/inspections', body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A failed finding becomes a hazard: {deadline?, title?, grade?, description?}; the answer is the hazard. */
  findingHazard: (/** @type {string} */ id, /** @type {number | string} */ n, /** @type {import('./types').Bodies['findingHazard']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Hazard>} */ (request('POST', `/inspections/${encodeURIComponent(id)}/findings/${encodeURIComponent(n)}/hazard`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** Suspensions for rectification (停产整顿) within reach: one page, filtered by status. */
  listSuspensions: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').ListPage<import('./types').SuspensionListItem>>} */ (request('GET', `/suspensions${qs(filters)}`)),
  /** Supervision notices (督办通知) within reach: one page, filtered by status. */
  listNotices: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').ListPage<import('./types').NoticeListItem>>} */ (request('GET', `/notices${qs(filters)}`)),
  notice: (/** @type {string} */ id) => /** @type {Promise<import('./types').Notice>} */ (request('GET', `/notices/${encodeURIComponent(id)}`)),
  /** The dates a notice for these hazards would be issued with now ({enterpriseId, hazardIds, deadline?}); issues nothing. */
  previewNotice: (/** @type {import('./types').Bodies['noticePreview']} */ body) => /** @type {Promise<import('./types').NoticePreview>} */ (request('POST', '/notices/deadline-preview', body)),
  /** Issue a notice: {enterpriseId, hazardIds, title, requirements, legalBasis?, deadline?}; the answer is the notice. */
  issueNotice: (/** @type {import('./types').Bodies['createNotice']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Notice>} */ (request('POST', '/notices', body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** The enterprise addressed signs for the notice (签收); the answer is the notice. */
  signNotice: (/** @type {string} */ id, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Notice>} */ (request('POST', `/notices/${encodeURIComponent(id)}/sign`, undefined, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A leader or supervisor decides a pending decision: {outcome: 'taken', documentNumber, reason} or {outcome: 'declined', reason}. */
  decideNotice: (/** @type {string} */ id, /** @type {string} */ decisionId, /** @type {import('./types').Bodies['decision']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Notice>} */ (request('POST', `/notices/${encodeURIComponent(id)}/decisions/${encodeURIComponent(decisionId)}`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A supervisor moves a notice's deadline: {newDeadline, reason}; the answer is the notice. */
  extendNotice: (/** @type {string} */ id, /** @type {import('./types').Bodies['extendNotice']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Notice>} */ (request('POST', `/notices/${encodeURIComponent(id)}/extend`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A supervisor closes a notice without hazards by confirming its completion: {reason}; the answer is the notice. */
  confirmNoticeCompletion: (/** @type {string} */ id, /** @type {import('./types').Bodies['confirmCompletion']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Notice>} */ (request('POST', `/notices/${encodeURIComponent(id)}/confirm-completion`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  suspension: (/** @type {string} */ id) => /** @type {Promise<import('./types').Suspension>} */ (request('GET', `/suspensions/${encodeURIComponent(id)}`)),
  /** Order a suspension (停产整顿): {enterpriseId, hazardId?, documentNumber, reason, scope, scopeNote?, startsOn, plannedEnd}. */
  orderSuspension: (/** @type {import('./types').Bodies['createSuspension']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Suspension>} */ (request('POST', '/suspensions', body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A supervisor or leader reviews a resumption request: {decision: 'approve', comment} or {decision: 'reject', reasons, plannedEnd}. */
  reviewResumption: (/** @type {string} */ id, /** @type {import('./types').Bodies['resumptionReview']} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Suspension>} */ (request('POST', `/suspensions/${encodeURIComponent(id)}/resumption-review`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** Extend a suspension's planned end: {plannedEnd, reason}; the answer is the suspension. */
  extendSuspension: (/** @type {string} */ id, /** @type {import('./types').Bodies['extendSuspension']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Suspension>} */ (request('POST', `/suspensions/${encodeURIComponent(id)}/extend`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** A leader lifts a suspension early by a decision: {documentNumber, reason}; the answer is the suspension. */
  liftSuspension: (/** @type {string} */ id, /** @type {import('./types').Bodies['liftSuspension']} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Suspension>} */ (request('POST', `/suspensions/${encodeURIComponent(id)}/lift`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /** The stored versions of its grade's policy a hazard could move to, each with what would change. */
  policyChoices: (/** @type {string} */ id) => /** @type {Promise<import('./types').PolicyChoices>} */ (request('GET', `${hazardPath(id)}/policy-choices`)),
  /** A command on a hazard (void, reopen, assignments, acceptances, policy); the answer is the hazard. */
  hazardCommand: (/** @type {string} */ id, /** @type {string} */ command, /** @type {object} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').Hazard>} */ (request('POST', `${hazardPath(id)}/${command}`, body, { headers: { 'idempotency-key': idempotencyKey } })),
  /**
   * A leaders' figure (overview, ageing, breakdown, enterprises, trend, notices) of a region within reach.
   * @template {keyof import('./types').FigureAnswers} K
   * @param {K} what
   * @param {Record<string, unknown>} [params]
   * @returns {Promise<import('./types').FigureAnswers[K]>}
   */
  figures: (what, params = {}) => /** @type {Promise<import('./types').FigureAnswers[K]>} */ (request('GET', `/figures/${encodeURIComponent(what)}${qs(params)}`)),
  /** 催办: a leader urges a hazard or a notice, with optional words ({message}); the answer is the urge. */
  urge: (/** @type {'hazard' | 'notice'} */ kind, /** @type {string} */ id, /** @type {object} */ body, /** @type {string} */ idempotencyKey) =>
    request('POST', `/${kind === 'notice' ? 'notices' : 'hazards'}/${encodeURIComponent(id)}/urge`, body, { headers: { 'idempotency-key': idempotencyKey } }),
  /** 统一催办: every overdue item of an enterprise ({enterpriseId}) or a region ({regionId}), with optional words; goes on in its own workflow. */
  bulkUrge: (/** @type {{enterpriseId?: string, regionId?: string, message?: string}} */ body, /** @type {string} */ idempotencyKey) =>
    /** @type {Promise<import('./types').BulkUrgeBegun>} */ (request('POST', '/urges', body, { headers: { 'idempotency-key': idempotencyKey } })),
  bulkUrgeProgress: (/** @type {string} */ id) => /** @type {Promise<import('./types').BulkUrgeProgress>} */ (request('GET', `/bulk-urges/${encodeURIComponent(id)}`)),
  /** What was urged, newest first: {by: 'me'|'all', moved, cursor}; each with its item now and whether it moved since. */
  listUrges: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').KeysetPage<import('./types').UrgeListItem> & {people: Record<string, string>}>} */ (request('GET', `/urges${qs(filters)}`)),
  /** The escalations addressed to the signed-in person, oldest first. */
  listEscalations: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').KeysetPage<import('./types').EscalationItem>>} */ (request('GET', `/escalations${qs(filters)}`)),
  /** The inbox: deliveries to me, the bell's count, marking read. */
  inbox: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').KeysetPage<import('./types').InboxItem>>} */ (request('GET', `/inbox${qs(filters)}`)),
  unreadCount: () => /** @type {Promise<import('./types').UnreadCount>} */ (request('GET', '/inbox/unread-count')),
  markRead: (/** @type {string | number} */ id) => /** @type {Promise<import('./types').InboxItem>} */ (request('POST', `/inbox/${encodeURIComponent(id)}/read`)),
  markAllRead: () => /** @type {Promise<import('./types').ReadAll>} */ (request('POST', '/inbox/read-all')),
  /** How I am notified; what became of an item's notifications. */
  notificationPreferences: () => /** @type {Promise<import('./types').NotificationPreferences>} */ (request('GET', '/notification-preferences')),
  setNotificationPreferences: (/** @type {import('./types').Bodies['preferences']} */ body) => /** @type {Promise<import('./types').NotificationPreferences>} */ (request('PUT', '/notification-preferences', body)),
  itemDeliveries: (/** @type {'hazard' | 'notice'} */ kind, /** @type {string} */ id) => /** @type {Promise<import('./types').ItemDeliveries>} */ (request('GET', `/${kind === 'notice' ? 'notices' : 'hazards'}/${encodeURIComponent(id)}/deliveries`)),
  /** Posts (admins). */
  postHolders: (/** @type {Record<string, unknown>} */ filters) => /** @type {Promise<import('./types').PostHolderPage>} */ (request('GET', `/posts${qs(filters)}`)),
  setPost: (/** @type {string} */ userId, /** @type {string | null} */ post) => request('PUT', `/users/${encodeURIComponent(userId)}/post`, { post }),
  userPage: (/** @type {string | null | undefined} */ cursor) => /** @type {Promise<import('./types').KeysetPage<import('./types').UserListItem>>} */ (request('GET', `/users${qs({ limit: 500, cursor })}`)),
  /** Campaigns (专项行动) covering or within the caller's reach. */
  listCampaigns: () => /** @type {Promise<import('./types').CampaignList>} */ (request('GET', '/campaigns')),
  /** An admin defines one: {name, regionId, cutoff, target}. */
  createCampaign: (/** @type {object} */ body, /** @type {string} */ idempotencyKey) => /** @type {Promise<import('./types').Campaign>} */ (request('POST', '/campaigns', body, { headers: { 'idempotency-key': idempotencyKey } })),
  campaign: (/** @type {string} */ id) => /** @type {Promise<import('./types').Campaign>} */ (request('GET', `/campaigns/${encodeURIComponent(id)}`)),
  /** The burn-down as of a day (default today), by region or leader. */
  campaignBurndown: (/** @type {string} */ id, /** @type {Record<string, unknown>} */ params) => /** @type {Promise<import('./types').CampaignBurndown>} */ (request('GET', `/campaigns/${encodeURIComponent(id)}/burndown${qs(params)}`)),
  /** One page of regions within reach, in tree order; `cursor` continues the list. */
  regionPage: (/** @type {string | null | undefined} */ cursor) => /** @type {Promise<import('./types').KeysetPage<import('./types').Region>>} */ (request('GET', `/regions${qs({ limit: 500, cursor })}`)),
  /** Review packs (双月督办会材料) within reach, newest first; one pack; one assembled now for a region ({regionId}). */
  listReviewPacks: (/** @type {Record<string, unknown>} */ params) => /** @type {Promise<import('./types').ReviewPackPage>} */ (request('GET', `/review-packs${qs(params)}`)),
  reviewPack: (/** @type {string} */ id) => /** @type {Promise<import('./types').ReviewPack>} */ (request('GET', `/review-packs/${encodeURIComponent(id)}`)),
  assembleReviewPack: (/** @type {object} */ body) => /** @type {Promise<import('./types').PackAssembly>} */ (request('POST', '/review-packs', body)),

  /**
   * Upload files (File objects) to a hazard in the multipart field "files"; the browser sets the boundary.
   * @param {string} id
   * @param {Iterable<File>} files
   * @returns {Promise<import('./types').EvidenceUploaded>}
   */
  async uploadEvidence(id, files) {
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    const res = await send(`${hazardPath(id)}/evidence`, { method: 'POST', body: form });
    if (!res.ok) throw await problemOf(res);
    return res.json();
  },

  /** A stock spreadsheet (.xlsx or .csv) for its dry run, in the multipart field "file". */
  /** @returns {Promise<import('./types').StockImport>} */
  async uploadStockSheet(/** @type {File} */ file) {
    const form = new FormData();
    form.append('file', file, file.name);
    const res = await send('/stock-imports', { method: 'POST', body: form, headers: { 'idempotency-key': newIdempotencyKey() } });
    if (!res.ok) throw await problemOf(res);
    return res.json();
  },

  /**
   * Upload photos tagged as taken before rectification (the hazard as found) or after it.
   * @param {string} id
   * @param {Iterable<File>} files
   * @param {'before' | 'after'} phase
   * @returns {Promise<import('./types').EvidenceUploaded>}
   */
  async uploadPhotos(id, files, phase) {
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    const res = await send(`${hazardPath(id)}/evidence?phase=${encodeURIComponent(phase)}`, { method: 'POST', body: form });
    if (!res.ok) throw await problemOf(res);
    return res.json();
  },

  /**
   * A photo's preview made by the server (never the uploaded bytes), as a data: URL for an <img>
   * (a plain link cannot carry the Authorization header; the pages' content policy allows data: images).
   * @param {{id: string}} file
   * @param {number} [size]
   * @returns {Promise<string>}
   */
  async thumbnail(file, size = 320) {
    const res = await send(`/evidence/${encodeURIComponent(file.id)}/thumbnail?size=${size}`, { method: 'GET' });
    if (!res.ok) throw await problemOf(res);
    const blob = await res.blob();
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(new ApiProblem(0, { title: t('error.network') }));
      reader.readAsDataURL(blob.type === 'image/jpeg' ? blob : new Blob([blob], { type: 'image/jpeg' }));
    });
  },

  /**
   * Upload files as uploadEvidence does, telling `onProgress(sent, total)` as the bytes go out
   * (fetch cannot report an upload's progress; XMLHttpRequest can). One Idempotency-Key per
   * batch: a retry after a lost answer stores nothing twice.
   * @param {string} id
   * @param {Iterable<File>} files
   * @param {(sent: number, total: number) => void} onProgress
   * @param {string} [idempotencyKey]
   * @returns {Promise<import('./types').EvidenceUploaded>}
   */
  uploadEvidenceWithProgress(id, files, onProgress, idempotencyKey) {
    const bearer = token();
    if (!bearer) return Promise.reject(signInRequired());
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api${hazardPath(id)}/evidence`);
      xhr.setRequestHeader('authorization', `Bearer ${bearer}`);
      xhr.setRequestHeader('accept', 'application/json, application/problem+json');
      if (idempotencyKey) xhr.setRequestHeader('idempotency-key', idempotencyKey);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.onerror = () => reject(new ApiProblem(0, { title: t('error.network') }));
      xhr.onload = () => {
        let payload = null;
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = null;
        }
        if (xhr.status >= 200 && xhr.status < 300 && payload && typeof payload === 'object') return resolve(/** @type {import('./types').EvidenceUploaded} */ (payload));
        if (xhr.status === 401) endSession('rejected');
        if (payload && typeof payload === 'object' && xhr.status >= 400) return reject(new ApiProblem(xhr.status, payload, true));
        reject(new ApiProblem(xhr.status, { title: t('error.unexpected', { status: xhr.status }) }));
      };
      xhr.send(form);
    });
  },

  /**
   * Download one evidence file. A plain link cannot carry the Authorization header, so the bytes
   * are fetched here and handed to the browser as a blob, saved under the file's original name.
   * The address is built from the id alone: the token goes nowhere but this API.
   * @param {{id: string, originalName?: string | null}} file
   */
  async downloadEvidence(file) {
    const res = await send(`/evidence/${encodeURIComponent(file.id)}`, { method: 'GET' });
    if (!res.ok) throw await problemOf(res);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.originalName || file.id;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    // The download has its own copy once it starts; free the memory soon after.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  },

  /**
   * Download a ledger as Excel (`/hazards/export.xlsx` with the list's filters), saved under the
   * name the server gives it. Fetched with the token like evidence, for the same reason.
   * @param {string} path
   * @param {Record<string, unknown>} [params]
   */
  async downloadLedger(path, params = {}) {
    const res = await send(`${path}${qs(params)}`, { method: 'GET', headers: { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json' } });
    if (!res.ok) throw await problemOf(res);
    const disposition = res.headers.get('content-disposition') ?? '';
    const named = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = named ? decodeURIComponent(named[1]) : 'ledger.xlsx';
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    return { rows: Number(res.headers.get('x-ledger-rows') ?? 0) };
  },

  /**
   * Download a printed document (an instrument's PDF, a case file), saved under the name the
   * server gives it; fetched with the token like evidence. Returns the SHA-256 the server named.
   */
  async downloadDocument(/** @type {string} */ path, fallbackName = 'document.pdf') {
    const res = await send(path, { method: 'GET', headers: { accept: 'application/pdf, application/json, application/problem+json' } });
    if (!res.ok) throw await problemOf(res);
    const named = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '');
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = named ? decodeURIComponent(named[1]) : fallbackName;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    return { sha256: /sha256-([0-9a-f]{64})/.exec(res.headers.get('etag') ?? '')?.[1] ?? null };
  },
};

/** At most this many pages of 500 are followed: a jurisdiction larger than that is not one list. */
const MAX_ENTERPRISE_PAGES = 40;

/** @returns {Promise<import('./types').Enterprise[]>} */
/**
 * Every page of a keyset list, one after another (at most `maxPages` of them).
 * @template T
 * @param {(cursor: string | undefined) => Promise<{items: T[], nextCursor?: string | null}>} fetchPage
 * @param {number} [maxPages]
 * @returns {Promise<T[]>}
 */
export async function everyPage(fetchPage, maxPages = Infinity) {
  /** @type {T[]} */
  const items = [];
  /** @type {string | undefined} */
  let cursor;
  for (let i = 0; i < maxPages; i += 1) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

/** Every region within reach, in tree order. */
export const everyRegion = () => everyPage((cursor) => api.regionPage(cursor));

const allEnterprises = () => everyPage((cursor) => api.enterprisePage(cursor), MAX_ENTERPRISE_PAGES);

/**
 * Enterprises within reach, loaded once per signed-in person (the register page asks afresh).
 * @type {Promise<import('./types').Enterprise[]> | null}
 */
let enterprisesPromise = null;
/** @type {string | null} */
let enterprisesFor = null;
/** @param {boolean} [fresh] */
export function enterprises(fresh = false) {
  const who = token();
  if (fresh || !enterprisesPromise || enterprisesFor !== who) {
    enterprisesFor = who;
    enterprisesPromise = allEnterprises();
    enterprisesPromise.catch(() => {
      enterprisesPromise = null;
    });
  }
  return enterprisesPromise;
}
