/**
 * Which activity failures a retry can fix. A record that breaks a rule of the database (a value
 * it cannot hold, a constraint) or refers to something that does not exist fails the same way on
 * every attempt: retrying it for ever only hides a poison record. A lost connection, a
 * serialization conflict or a deadlock, a server restarting pass: those are retried.
 */

/** A record the activity needs does not exist and will not come to exist by retrying. */
export class MissingRecordError extends Error {
  override name = 'MissingRecordError';
}

export type FailureKind = 'permanent' | 'transient';

/** SQLSTATEs a retry gets past: serialization failure, deadlock, admin shutdown, cancel, too many connections. */
const TRANSIENT_CODES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '57014', '53300', '55P03']);
/** Node network errors on the way to the database. */
const TRANSIENT_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** The SQLSTATE of a database error, looking through wrappers (drizzle keeps the driver's error as `cause`). */
export function sqlStateOf(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

function networkCodeOf(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK.has(code)) return code;
  }
  return null;
}

/**
 * Permanent: a data exception (class 22), an integrity violation (class 23) other than a unique
 * violation (23505: the activities are keyed for idempotency, so a retry finds the row and
 * succeeds), or a missing record. Everything else, known transient or unknown, is retried.
 */
export function classifyActivityFailure(err: unknown): FailureKind {
  if (err instanceof MissingRecordError) return 'permanent';
  if (networkCodeOf(err)) return 'transient';
  const state = sqlStateOf(err);
  if (!state) return 'transient';
  if (TRANSIENT_CODES.has(state) || state.startsWith('08')) return 'transient';
  if (state === '23505') return 'transient';
  if (state.startsWith('22') || state.startsWith('23')) return 'permanent';
  return 'transient';
}
