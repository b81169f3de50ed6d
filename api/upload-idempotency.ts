/**
 * `Idempotency-Key` on an upload, with the same answers and the same store as on every other
 * POST (middleware/idempotency.ts hands multipart requests here): a retry with the same key and
 * the same files replays the first answer; the same key with other files is refused (422); a
 * duplicate arriving while the first still runs gets 409. The middleware fingerprints a JSON
 * body before the route runs; an upload's fingerprint is known only once its files are read —
 * their names and SHA-256s, so a retry matches whatever boundary its form was sent with.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Database } from '../db/client';
import { claimKey, keepAnswer, releaseKey, type KeptAnswer, type KeyRef } from '../db/idempotency-keys';
import { toProblem } from './middleware/error-handler';
import { holdKey, LEASE_SECONDS, malformedKey, refusalOf, replay } from './middleware/idempotency';

/** The key sent with the request, checked; undefined when none was. */
export function uploadKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const malformed = malformedKey(header);
  if (malformed) throw malformed;
  return header;
}

export function uploadFingerprint(path: string, files: Array<{ name: string; sha256: string }>): string {
  const hash = createHash('sha256').update(`POST ${path}\n`);
  for (const f of files) hash.update(`${JSON.stringify(f.name)} ${f.sha256}\n`);
  return hash.digest('hex');
}

/**
 * Runs `work` once per user and key: its answer (a success, or a refusal below 500) is kept and
 * sent; a replay sends the kept one. A server error or a 429 releases the key, so the client may retry.
 */
export async function answerOnce(
  db: Database,
  claim: { userId: string; key: string; requestHash: string; instance: string },
  res: Response,
  work: () => Promise<{ status: number; body: unknown; location?: string }>,
): Promise<void> {
  const ref: KeyRef = { userId: claim.userId, key: claim.key };
  const holder = randomUUID();
  const claimed = await claimKey(db, ref, { requestHash: claim.requestHash, holder, leaseSeconds: LEASE_SECONDS });
  const refused = refusalOf(claimed);
  if (refused) throw refused;
  if (claimed.kind === 'answered') {
    const secret = replay(res, claimed.answer);
    if (secret) throw secret;
    return;
  }

  const letGo = holdKey(db, ref, holder);
  try {
    let answer: KeptAnswer;
    try {
      const done = await work();
      answer = { status: done.status, body: { contentType: 'application/json; charset=utf-8', text: JSON.stringify(done.body) }, location: done.location ?? null };
    } catch (error) {
      const problem = toProblem(error);
      if (problem && problem.status < 500 && problem.status !== 429) {
        await keepAnswer(db, ref, holder, { status: problem.status, body: { contentType: 'application/problem+json', text: JSON.stringify(problem.toJSON(claim.instance)) }, location: null });
      } else await releaseKey(db, ref, holder);
      throw error;
    }
    await keepAnswer(db, ref, holder, answer);
    const body = answer.body as { contentType: string; text: string };
    if (answer.location) res.setHeader('Location', answer.location);
    res.status(answer.status).type(body.contentType).send(body.text);
  } finally {
    letGo();
  }
}
