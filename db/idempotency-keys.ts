/**
 * The idempotency table's queries: who holds a key, the answer kept for it, and the lease by
 * which a request in progress says it is still alive. Every write of a holder is conditional on
 * still being the holder, so an attempt whose key was taken over can change nothing.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { idempotencyKeys } from './schema';

/** The answer kept for replay; a secret-carrying answer is kept as the marker only. */
export type StoredAnswer = { contentType: string; text: string } | { secret: true };

export interface KeptAnswer {
  status: number;
  body: StoredAnswer | null;
  location: string | null;
}

export type Claim =
  /** This attempt holds the key: the first one under it. */
  | { kind: 'fresh' }
  /** This attempt holds the key after one whose holder stopped renewing its lease (it died or failed). */
  | { kind: 'taken-over' }
  /** Another attempt holds the key and is alive. */
  | { kind: 'held'; retryAfterSeconds: number }
  /** The key was used for a different request. */
  | { kind: 'other-request' }
  | { kind: 'answered'; answer: KeptAnswer };

export interface KeyRef {
  userId: string;
  key: string;
}

const rowOf = ({ userId, key }: KeyRef) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
const leaseFor = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

export async function claimKey(db: Database, ref: KeyRef, attempt: { requestHash: string; holder: string; leaseSeconds: number }): Promise<Claim> {
  const { requestHash, holder, leaseSeconds } = attempt;
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...ref, requestHash, state: 'in_progress', holder, leaseUntil: leaseFor(leaseSeconds) })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length) return { kind: 'fresh' };

  const [prior] = await db
    .select({
      requestHash: idempotencyKeys.requestHash,
      state: idempotencyKeys.state,
      status: idempotencyKeys.responseStatus,
      body: idempotencyKeys.responseBody,
      location: idempotencyKeys.responseLocation,
      leaseLeft: sql<number | null>`extract(epoch from ${idempotencyKeys.leaseUntil} - now())::float8`,
    })
    .from(idempotencyKeys)
    .where(rowOf(ref));
  // Pruned between the two statements: a retry finds the key free.
  if (!prior) return { kind: 'held', retryAfterSeconds: 1 };
  if (prior.requestHash !== requestHash) return { kind: 'other-request' };
  if (prior.state === 'done') return { kind: 'answered', answer: { status: prior.status ?? 200, body: prior.body as StoredAnswer | null, location: prior.location } };

  // In progress: taken over only when its lease has run out; of two retries racing, one wins.
  const taken = await db
    .update(idempotencyKeys)
    .set({ holder, leaseUntil: leaseFor(leaseSeconds) })
    .where(
      and(
        rowOf(ref),
        eq(idempotencyKeys.state, 'in_progress'),
        or(isNull(idempotencyKeys.leaseUntil), lt(idempotencyKeys.leaseUntil, sql`now()`)),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (taken.length) return { kind: 'taken-over' };
  return { kind: 'held', retryAfterSeconds: Math.max(1, Math.ceil(prior.leaseLeft ?? 1)) };
}

const heldBy = (ref: KeyRef, holder: string) => and(rowOf(ref), eq(idempotencyKeys.holder, holder), eq(idempotencyKeys.state, 'in_progress'));

export async function renewLease(db: Database, ref: KeyRef, holder: string, leaseSeconds: number): Promise<void> {
  await db.update(idempotencyKeys).set({ leaseUntil: leaseFor(leaseSeconds) }).where(heldBy(ref, holder));
}

export async function keepAnswer(db: Database, ref: KeyRef, holder: string, answer: KeptAnswer): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ state: 'done', holder: null, leaseUntil: null, responseStatus: answer.status, responseBody: answer.body, responseLocation: answer.location })
    .where(heldBy(ref, holder));
}

/** No live holder any more: the next retry takes the key over at once, as a resumed attempt. */
export async function releaseKey(db: Database, ref: KeyRef, holder: string): Promise<void> {
  await db.update(idempotencyKeys).set({ holder: null, leaseUntil: null }).where(heldBy(ref, holder));
}

/** Answers are kept a day; a retry after that is a new request. */
export async function pruneIdempotencyKeys(db: Database, olderThan: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < ${olderThan}`);
}
