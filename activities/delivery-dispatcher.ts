/**
 * Sends what is due in the outbox, every few seconds, from every worker process at once: rows
 * are claimed under SKIP LOCKED, each try is recorded before the provider is called, and a
 * restart finds unfinished tries leased and due again with the same idempotency key. A day's
 * digests are gathered first so they leave in the same round.
 */
import type { Logger } from 'pino';
import { assembleDigests, claimDue, finishAttempt, type Claim } from '../db/delivery-dispatch';
import type { Database } from '../db/client';
import { notificationSubject, type ExternalChannel } from '../domain/delivery-rules';
import { UndeliverableError, type ChannelAdapter } from './channels/channel';

/** A try's lease: longer than any adapter's own timeout, so a live try is never taken over. */
export const DISPATCH_LEASE_MS = 120_000;

export interface DispatchRound {
  digests: number;
  claimed: number;
  sent: number;
  failed: number;
}

async function sendOne(adapter: ChannelAdapter, c: Claim): Promise<{ ok: true } | { ok: false; error: string; final: boolean }> {
  const d = c.delivery;
  try {
    await adapter.send({ idempotencyKey: c.idempotencyKey, kind: d.kind, subject: notificationSubject(d.kind), text: d.message, to: c.to });
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), final: err instanceof UndeliverableError };
  }
}

/** One round: digests due, then up to `limit` deliveries due at `now`. */
export async function dispatchOnce(db: Database, adapters: ReadonlyMap<ExternalChannel, ChannelAdapter>, opts: { now?: () => Date; limit?: number } = {}): Promise<DispatchRound> {
  const now = opts.now ?? (() => new Date());
  const digests = await assembleDigests(db, now());
  const claims = await claimDue(db, { now: now(), limit: opts.limit ?? 50, leaseMs: DISPATCH_LEASE_MS, configured: new Set(adapters.keys()) });
  const round = { digests, claimed: claims.length, sent: 0, failed: 0 };
  await Promise.all(
    claims.map(async (c) => {
      const outcome = await sendOne(adapters.get(c.delivery.channel as ExternalChannel)!, c);
      await finishAttempt(db, c, outcome, now());
      if (outcome.ok) round.sent++;
      else round.failed++;
    }),
  );
  return round;
}

/** Keeps dispatching for as long as the process runs; returns a stop that waits for the round in flight. */
export function keepDispatching(db: Database, adapters: ReadonlyMap<ExternalChannel, ChannelAdapter>, log: Pick<Logger, 'warn' | 'info'>, everyMs: number): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      dispatchOnce(db, adapters)
        .then((r) => {
          if (r.claimed || r.digests) log.info(r, 'notifications dispatched');
        })
        // The database away: the round's claims wait for their leases and go again.
        .catch((err: unknown) => log.warn({ err }, 'notifications not dispatched this time')),
    );
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    for (const a of adapters.values()) a.close?.();
  };
}
