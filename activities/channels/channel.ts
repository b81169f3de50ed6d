/**
 * One interface for every channel that leaves the database. The in-app inbox needs none: its
 * delivery is the row written with the notification (db/deliveries.ts).
 */
import type { ExternalChannel } from '../../domain/delivery-rules';

export interface OutgoingMessage {
  /** The same on every try of one delivery (workflow id / step / person / channel). */
  idempotencyKey: string;
  kind: string;
  subject: string;
  text: string;
  to: { email: string | null; phone: string | null };
}

export interface ChannelAdapter {
  channel: ExternalChannel;
  /** Resolves once the provider accepted the message; throws (with the provider's reason) otherwise. */
  send(message: OutgoingMessage): Promise<void>;
  close?(): void;
}

/** A refusal that no retry will change (no address given): the delivery fails at once. */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}
