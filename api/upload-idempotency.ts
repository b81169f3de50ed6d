/**
 * `Idempotency-Key` on an upload, with the same answers as on every other POST (see
 * middleware/idempotency.ts, which hands multipart requests here): a retry with the same key
 * and the same files replays the first answer; the same key with other files is refused (422);
 * a duplicate arriving while the first still runs gets 409. The middleware fingerprints a JSON
 * body before the route runs; an upload's fingerprint is known only once its files are read —
 * their names and SHA-256s, so a retry matches whatever boundary its form was sent with.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Response } from 'express';
import type { Database } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { toProblem } from './middleware/error-handler';
import { Problem, problems } from './problem';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** Longer than any upload runs (its deadline is shorter). */
const ABANDONED_AFTER_SECONDS = 600;

/** The key sent with the request, checked; undefined when none was. */
export function uploadKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header)) throw problems.invalid([{ field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]);
  return header;
}

export function uploadFingerprint(path: string, files: Array<{ name: string; sha256: string }>): string {
  const hash = createHash('sha256').update(`POST ${path}\n`);
  for (const f of files) hash.update(`${JSON.stringify(f.name)} ${f.sha256}\n`);
  return hash.digest('hex');
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Runs `work` once per user and key: its answer (a success, or a refusal below 500) is kept and
 * sent; a replay sends the kept one. A server error releases the key, so the client may retry.
 */
export async function answerOnce(
  db: Database,
  claim: { userId: string; key: string; requestHash: string; instance: string },
  res: Response,
  work: () => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  const where = and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key));
  await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.state, 'in_progress'), sql`${idempotencyKeys.createdAt} < now() - ${`${ABANDONED_AFTER_SECONDS} seconds`}::interval`));
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ userId: claim.userId, key: claim.key, requestHash: claim.requestHash, state: 'in_progress' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (!inserted.length) {
    const [prior] = await db.select().from(idempotencyKeys).where(where);
    if (!prior) throw problems.conflict('a request with this Idempotency-Key is being cancelled; retry');
    if (prior.requestHash !== claim.requestHash) {
      throw problems.unprocessable('this Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with other files or another path' }]);
    }
    if (prior.state === 'in_progress') throw new Problem(409, 'in-progress', 'Request in progress', 'a request with this Idempotency-Key is still running');
    const kept = prior.responseBody as { contentType?: string; text?: string } | null;
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(prior.responseStatus ?? 200);
    if (kept?.contentType) res.type(kept.contentType);
    res.send(kept?.text ?? '');
    return;
  }

  let answer: Answer;
  try {
    const done = await work();
    answer = { status: done.status, contentType: 'application/json; charset=utf-8', text: JSON.stringify(done.body) };
  } catch (error) {
    const problem = toProblem(error);
    if (problem && problem.status < 500) {
      await keep({ status: problem.status, contentType: 'application/problem+json', text: JSON.stringify(problem.toJSON(claim.instance)) });
    } else await db.delete(idempotencyKeys).where(where);
    throw error;
  }
  await keep(answer);
  res.status(answer.status).type(answer.contentType).send(answer.text);

  async function keep(a: Answer) {
    await db
      .update(idempotencyKeys)
      .set({ state: 'done', responseStatus: a.status, responseBody: { contentType: a.contentType, text: a.text } })
      .where(where);
  }
}
