// @ts-check
/**
 * Who is signed in: the bearer token from POST /api/auth/login, its expiry and the user, kept in
 * localStorage so every tab of the app shares one sign-in (and signing out in one signs out all).
 * A token past its expiry is never used: it counts as signed out, and a timer ends the session
 * the moment it expires, so nobody is left looking at a page that can no longer act.
 */

import { isOptionalString, isRecord } from './json-shape.js';

/**
 * @typedef {{ id?: string, username: string, displayName?: string, role: string, regionId?: string | null, enterpriseId?: string | null, post?: string | null }} SessionUser
 * @typedef {{ token: string, expiresAt: string, user: SessionUser }} Session
 * @typedef {(session: Session | null, reason: string) => void} SessionListener
 */

const STORAGE_KEY = 'duban.session';
/** Treat a token as expired a little early: a request sent in its last seconds would only fail. */
const EXPIRY_MARGIN_MS = 10_000;

/** @type {Set<SessionListener>} */
const listeners = new Set();
let current = load();
/** @type {ReturnType<typeof setTimeout> | undefined} */
let expiryTimer;

/**
 * @param {unknown} s the parsed JSON, checked here
 * @returns {s is Session}
 */
function valid(s) {
  return (
    isRecord(s) &&
    typeof s.token === 'string' &&
    s.token.length > 0 &&
    typeof s.expiresAt === 'string' &&
    Number.isFinite(Date.parse(s.expiresAt)) &&
    validUser(s.user)
  );
}

/**
 * @param {unknown} u
 * @returns {u is SessionUser}
 */
function validUser(u) {
  return (
    isRecord(u) &&
    typeof u.username === 'string' &&
    typeof u.role === 'string' &&
    isOptionalString(u.id) &&
    isOptionalString(u.displayName) &&
    isOptionalString(u.regionId, true) &&
    isOptionalString(u.enterpriseId, true) &&
    isOptionalString(u.post, true)
  );
}

/**
 * @param {string | null} text
 * @returns {Session | null}
 */
function parse(text) {
  if (!text) return null;
  try {
    const s = JSON.parse(text);
    return valid(s) ? s : null;
  } catch {
    return null;
  }
}

function load() {
  try {
    return parse(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

/**
 * @param {Session | null} s
 * @returns {Session | null}
 */
function live(s) {
  return s && Date.parse(s.expiresAt) - EXPIRY_MARGIN_MS > Date.now() ? s : null;
}

/** @param {string} reason */
function notify(reason) {
  scheduleExpiry();
  for (const fn of listeners) fn(current, reason);
}

function scheduleExpiry() {
  clearTimeout(expiryTimer);
  expiryTimer = undefined;
  if (!current) return;
  const left = Date.parse(current.expiresAt) - EXPIRY_MARGIN_MS - Date.now();
  // setTimeout holds at most ~24.8 days; tokens live a day at most.
  expiryTimer = setTimeout(() => endSession('expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

/** The signed-in session ({token, expiresAt, user}), or null (never signed in, signed out, or expired). */
export function session() {
  return live(current);
}

export function currentUser() {
  return session()?.user ?? null;
}

export function token() {
  return session()?.token ?? null;
}

/** @param {...string} roles */
export function hasRole(...roles) {
  const user = currentUser();
  return !!user && roles.includes(user.role);
}

/**
 * Keep the answer of a successful log-in.
 * @param {{ token: string, expiresAt: string, user: SessionUser }} answer
 */
export function signIn(answer) {
  const s = { token: answer.token, expiresAt: answer.expiresAt, user: answer.user };
  if (!valid(s)) throw new Error('unexpected log-in answer');
  current = s;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // private mode: signed in for this page only
  }
  notify('signed-in');
}

/**
 * End the session. reason: 'signed-out' (the person chose to), 'expired' (the token's time ran
 * out), 'rejected' (the API answered 401), 'elsewhere' (another tab signed out).
 * @param {string} [reason]
 */
export function endSession(reason = 'signed-out') {
  const had = current !== null;
  current = null;
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
  if (had || reason !== 'signed-out') notify(reason);
}

/**
 * Where to go after signing in: a route of this app (never another site, never the sign-in page).
 * @param {unknown} value
 */
export function safeNext(value) {
  return typeof value === 'string' && /^#\/(?!login\b)[^\s]*$/.test(value) ? value : '#/';
}

/**
 * fn(session | null, reason) after every change, here or in another tab.
 * @param {SessionListener} fn
 */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Another tab signed in (perhaps as someone else) or out: this tab follows.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY && event.key !== null) return;
  const next = load();
  const before = current?.token ?? null;
  current = next;
  if ((next?.token ?? null) !== before) notify(next ? 'signed-in-elsewhere' : 'elsewhere');
});

scheduleExpiry();
