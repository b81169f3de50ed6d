/**
 * `Idempotency-Key` on POST: the same key and body from the same user replay the first answer;
 * the same key with another body is refused (422); a duplicate arriving while the first is
 * still running gets 409. Keys are per user, so nobody can replay another's answer.
 *
 * A request with a key also gets a stable id derived from user and key (`req.idempotentId`):
 * a route that creates something names it with that id, so even a duplicate that slipped past
 * this table would address the same workflow rather than start a second one.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import { canonicalJson } from '../../domain/audit-chain';
import type { Database } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';
import { Problem, problems } from '../problem';

declare module 'express-serve-static-core' {
  interface Request {
    idempotentId?: string;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;
/** Longer than any request runs (workflow updates time out well within it). */
const ABANDONED_AFTER_SECONDS = 300;

/** A UUID-shaped id fixed by user and key (the hash's first 128 bits, marked version 8). */
export function idFromKey(userId: string, key: string): string {
  const hex = createHash('sha256').update(`${userId}\n${key}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function idempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined || !req.principal) return next();
    if (!KEY.test(key)) return next(problems.invalid([{ field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]));
    // Only a parsed (JSON) body can be fingerprinted. Any other body (a multipart upload) would
    // hash as "no body", and a different upload under the same key would get the first's answer.
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && req.body === undefined) {
      // An upload is fingerprinted by its route once its files are read (api/upload-idempotency.ts).
      if (req.is('multipart/form-data')) return next();
      return next(problems.invalid([{ field: 'Idempotency-Key', message: 'supported only on requests with a JSON body' }]));
    }
    const userId = req.principal.userId;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');

    // A key left in progress by a process that died is abandoned after a while, not forever.
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.userId, userId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.state, 'in_progress'),
          sql`${idempotencyKeys.createdAt} < now() - ${`${ABANDONED_AFTER_SECONDS} seconds`}::interval`,
        ),
      );
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ userId, key, requestHash, state: 'in_progress' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (!inserted.length) {
      const [prior] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      if (!prior) return next(problems.conflict('a request with this Idempotency-Key is being cancelled; retry'));
      if (prior.requestHash !== requestHash) {
        return next(problems.unprocessable('this Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with another body or path' }]));
      }
      if (prior.state === 'in_progress') return next(new Problem(409, 'in-progress', 'Request in progress', 'a request with this Idempotency-Key is still running'));
      res.setHeader('Idempotent-Replayed', 'true');
      if (prior.responseLocation) res.setHeader('Location', prior.responseLocation);
      const body = prior.responseBody as { contentType?: string; text?: string } | null;
      res.status(prior.responseStatus ?? 200);
      if (body?.contentType) res.type(body.contentType);
      return res.send(body?.text ?? '');
    }

    req.idempotentId = idFromKey(userId, key);
    // The answer is stored before it is sent, so a retry that follows it always finds it. A
    // server error is not kept: the key is released and the client may try again.
    const send = res.send.bind(res);
    const where = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
    res.send = (payload?: unknown) => {
      const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? '');
      const store =
        res.statusCode >= 500
          ? db.delete(idempotencyKeys).where(where)
          : db
              .update(idempotencyKeys)
              .set({
                state: 'done',
                responseStatus: res.statusCode,
                responseBody: { contentType: String(res.getHeader('content-type') ?? ''), text },
                responseLocation: (res.getHeader('location') as string | undefined) ?? null,
              })
              .where(where);
      res.send = send;
      store.then(
        () => send(payload as never),
        () => send(payload as never),
      );
      return res;
    };
    next();
  };
}

/** Answers are kept a day; a retry after that is a new request. */
export async function pruneIdempotencyKeys(db: Database, olderThan: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < ${olderThan}`);
}
