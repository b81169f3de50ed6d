/**
 * Histories as committed JSON: protobufjs' own object form (longs and bytes as strings), which
 * round-trips exactly through the History type the SDK replays.
 */
import proto from '@temporalio/proto';

const History = proto.temporal.api.history.v1.History;
type HistoryMessage = proto.temporal.api.history.v1.History;

export function historyToObject(history: proto.temporal.api.history.v1.IHistory): Record<string, unknown> {
  return History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String, defaults: false });
}

export function historyFromObject(json: Record<string, unknown>): HistoryMessage {
  return History.fromObject(json);
}
