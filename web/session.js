/**
 * Who is signed in: the bearer token from POST /api/auth/login, its expiry and the user, kept in
 * localStorage so every tab of the app shares one sign-in (and signing out in one signs out all).
 * A token past its expiry is never used: it counts as signed out, and a timer ends the session
 * the moment it expires, so nobody is left looking at a page that can no longer act.
 */

const STORAGE_KEY = 'duban.session';
/** Treat a token as expired a little early: a request sent in its last seconds would only fail. */
const EXPIRY_MARGIN_MS = 10_000;

const listeners = new Set();
let current = load();
let expiryTimer = null;

function valid(s) {
  return (
    s &&
    typeof s === 'object' &&
    typeof s.token === 'string' &&
    s.token.length > 0 &&
    typeof s.expiresAt === 'string' &&
    Number.isFinite(Date.parse(s.expiresAt)) &&
    s.user &&
    typeof s.user === 'object' &&
    typeof s.user.username === 'string' &&
    typeof s.user.role === 'string'
  );
}

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

function live(s) {
  return s && Date.parse(s.expiresAt) - EXPIRY_MARGIN_MS > Date.now() ? s : null;
}

function notify(reason) {
  scheduleExpiry();
  for (const fn of listeners) fn(current, reason);
}

function scheduleExpiry() {
  clearTimeout(expiryTimer);
  expiryTimer = null;
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

export function hasRole(...roles) {
  const user = currentUser();
  return !!user && roles.includes(user.role);
}

/** Keep the answer of a successful log-in. */
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

/** Where to go after signing in: a route of this app (never another site, never the sign-in page). */
export function safeNext(value) {
  return typeof value === 'string' && /^#\/(?!login\b)[^\s]*$/.test(value) ? value : '#/';
}

/** fn(session | null, reason) after every change, here or in another tab. */
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
