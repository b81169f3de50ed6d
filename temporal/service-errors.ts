/**
 * Telling "Temporal is away" and "Temporal is overloaded" from other failures of a call, by error
 * type and gRPC status code (never by the words of a message).
 */
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { GRPC } from './client-connection';

export type TemporalTrouble = 'unavailable' | 'overloaded';

export function temporalTrouble(error: unknown): TemporalTrouble | null {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    // An update call that ran past its deadline (or was cancelled with its request).
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'unavailable';
    if (isGrpcServiceError(e)) {
      if (e.code === GRPC.UNAVAILABLE || e.code === GRPC.DEADLINE_EXCEEDED) return 'unavailable';
      if (e.code === GRPC.RESOURCE_EXHAUSTED) return 'overloaded';
    }
  }
  return null;
}

/** The workflow a command was sent to has ended (or never ran): gRPC NOT_FOUND anywhere in the causes. */
export function isWorkflowGone(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && e.code === GRPC.NOT_FOUND) return true;
  }
  return false;
}
