/**
 * `Idempotency-Key` on POST: the same key and body from the same user replay the first answer;
 * the same key with another body is refused (422); a duplicate arriving while the first is
 * still running gets 409 (with Retry-After). Keys are per user, so nobody can replay another's
 * answer. Public routes (log-in) take no key: there is nobody to keep an answer for.
 *
 * A request holds its key under a short lease that it renews while it runs. A key whose holder
 * died (or failed with a server error, which releases it) is taken over by the next retry at
 * once, marked as resumed: its workflow command goes out again under the same Update id, so
 * Temporal answers with the first attempt's outcome if that attempt got through (see
 * temporal/command-id.ts), rather than the workflow refusing a command it had already carried out.
 *
 * A request with a key also gets a stable id derived from user and key (`req.idempotentId`):
 * a route that creates something names it with that id, so even a duplicate that slipped past
 * this table would address the same workflow rather than start a second one.
 *
 * An answer carrying a secret shown once (the route declares `secretAnswer`) is not kept: a
 * retry is told, with 409, that it succeeded and that its secret cannot be shown again.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { canonicalJson } from '../../domain/audit-chain';
import type { Database } from '../../db/client';
import { claimKey, keepAnswer, releaseKey, renewLease, type Claim, type KeptAnswer, type KeyRef } from '../../db/idempotency-keys';
import type { CommandId } from '../../temporal/command-id';
import { Problem, problems } from '../problem';
import type { RouteSpec } from '../route-spec';

declare module 'express-serve-static-core' {
  interface Request {
    idempotentId?: string;
    /** The Update id of the request's workflow command, and whether an earlier attempt may have sent it. */
    command?: CommandId;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Why an Idempotency-Key header is unusable; undefined when it is fine. */
export function malformedKey(key: string): Problem | undefined {
  return KEY.test(key) ? undefined : problems.invalid([{ field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]);
}
/** A holder that stops renewing for this long is taken for dead. */
export const LEASE_SECONDS = 10;
/** No request runs this long (workflow updates time out well within it): a hung one stops holding its key. */
const MAX_HOLD_SECONDS = 300;

export interface IdempotencyOptions {
  /** The server's secret: fingerprints of requests are keyed with a key derived from it. */
  secret: Uint8Array;
  leaseSeconds?: number;
}

/** A UUID-shaped id fixed by the text (the hash's first 128 bits, marked version 8). */
function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function idFromKey(userId: string, key: string): string {
  return uuidFrom(`${userId}\n${key}`);
}

/**
 * What makes two requests the same: method, path and canonical body, as an HMAC under a key of
 * the server. A plain hash of a body carrying a password would let anyone who reads the table
 * test guesses at it.
 */
export function fingerprint(secret: Uint8Array, method: string, url: string, body: unknown): string {
  const key = createHmac('sha256', secret).update('duban idempotency fingerprint').digest();
  return createHmac('sha256', key).update(`${method} ${url}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/** The Update id of the request's command: the same user, key and request always send the same one. */
export function updateIdOf(userId: string, key: string, requestHash: string): string {
  return uuidFrom(`${userId}\n${key}\n${requestHash}`);
}

function secretNotRepeated(status: number): Problem {
  return new Problem(
    409,
    'secret-not-repeated',
    'Answer not repeated',
    `the first request with this Idempotency-Key succeeded (${status}), but its answer carried a secret, which is shown only once; if it was lost, revoke what was issued and ask again with a new key`,
  );
}

/** Sends a kept answer again; a kept secret marker gives the refusal to send back instead. */
export function replay(res: Parameters<RequestHandler>[1], answer: KeptAnswer): Problem | undefined {
  res.setHeader('Idempotent-Replayed', 'true');
  if (answer.location) res.setHeader('Location', answer.location);
  const body = answer.body;
  if (body && 'secret' in body) return secretNotRepeated(answer.status);
  res.status(answer.status);
  if (body?.contentType) res.type(body.contentType);
  res.send(body?.text ?? '');
  return undefined;
}

/** Why an attempt may not run under its key now (another request's key, or one still running). */
export function refusalOf(claim: Claim): Problem | undefined {
  if (claim.kind === 'other-request') {
    return problems.unprocessable('this Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with another body, path or files' }], 'idempotency-key-reused');
  }
  if (claim.kind === 'held') {
    return new Problem(409, 'in-progress', 'Request in progress', 'a request with this Idempotency-Key is still running', [], {
      'Retry-After': String(claim.retryAfterSeconds),
    });
  }
  return undefined;
}

/** Keeps the key's lease alive while the request runs (renewed well before it lapses, up to a bound); the result lets go. */
export function holdKey(db: Database, ref: KeyRef, holder: string, leaseSeconds = LEASE_SECONDS): () => void {
  const renewal = setInterval(() => void renewLease(db, ref, holder, leaseSeconds).catch(() => {}), (leaseSeconds * 1000) / 3);
  const cap = setTimeout(() => clearInterval(renewal), MAX_HOLD_SECONDS * 1000);
  renewal.unref();
  cap.unref();
  return () => {
    clearInterval(renewal);
    clearTimeout(cap);
  };
}

/** The key step of one route: undefined where keys do not apply (reads, public routes). */
export function idempotency(db: Database, options: IdempotencyOptions): (spec: RouteSpec) => RequestHandler | undefined {
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  return (spec) => {
    if (spec.method !== 'post' || spec.access === 'public') return undefined;
    return async (req, res, next) => {
      const key = req.get('idempotency-key');
      if (key === undefined || !req.principal) return next();
      const malformed = malformedKey(key);
      if (malformed) return next(malformed);
      // Only a parsed (JSON) body can be fingerprinted. Any other body (a multipart upload) would
      // hash as "no body", and a different upload under the same key would get the first's answer.
      const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      if (hasBody && req.body === undefined) {
        // An upload is fingerprinted by its route once its files are read (api/upload-idempotency.ts).
        if (req.is('multipart/form-data')) return next();
        return next(problems.invalid([{ field: 'Idempotency-Key', message: 'supported only on requests with a JSON body' }]));
      }
      const ref: KeyRef = { userId: req.principal.userId, key };
      const requestHash = fingerprint(options.secret, req.method, req.originalUrl, req.body);
      const holder = randomUUID();

      const claim = await claimKey(db, ref, { requestHash, holder, leaseSeconds });
      const refused = refusalOf(claim);
      if (refused) return next(refused);
      if (claim.kind === 'answered') {
        const secret = replay(res, claim.answer);
        return secret ? next(secret) : undefined;
      }

      req.idempotentId = idFromKey(ref.userId, key);
      req.command = { updateId: updateIdOf(ref.userId, key, requestHash), resumed: claim.kind === 'taken-over' };

      const letGo = holdKey(db, ref, holder, leaseSeconds);

      // The answer is stored before it is sent, so a retry that follows it always finds it. A
      // server error, or a "too many requests, retry later", is not kept: the key is released,
      // and a retry takes it over at once.
      const send = res.send.bind(res);
      res.send = (payload?: unknown) => {
        letGo();
        res.send = send;
        const status = res.statusCode;
        const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? '');
        const store =
          status >= 500 || status === 429
            ? releaseKey(db, ref, holder)
            : keepAnswer(db, ref, holder, {
                status,
                body: spec.secretAnswer && status < 400 ? { secret: true } : { contentType: String(res.getHeader('content-type') ?? ''), text },
                location: (res.getHeader('location') as string | undefined) ?? null,
              });
        store.then(
          () => send(payload as never),
          () => send(payload as never),
        );
        return res;
      };
      next();
    };
  };
}
