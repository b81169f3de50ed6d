/**
 * What a hazard's trail tells a reader of the records its events name (a notice, a bulk urge, a
 * stock import batch) when the reader cannot open them. Every reader of a hazard's events passes
 * through here (db/hazard-record), so no route has to remember it.
 */
export interface HazardEventReader {
  /** The reader's role (enterprise, supervisor, leader, admin). */
  role: string;
  /** The notices holding the hazard that the reader may open (noticeScope's rule). */
  readableNotices: ReadonlySet<string>;
}

/** An event; `step`, where given, is its step key, which for an attachment names the notice too. */
type Event = { type: string; data: Record<string, unknown>; step?: string };

function without(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = data;
  return rest;
}

/**
 * The event as the reader may see it, or null when it is left out.
 *
 * A notice the reader cannot open is one addressed to a government body above it (to the
 * township's or county's bureau). For an enterprise that is the bureau's internal business, like
 * the instruments addressed to officials (notice-disclosure): not even its existence is told.
 * A supervisor under that body works the same hazard and should know it is held under a notice,
 * but which one (its id, and so its number and title) is for the body's own readers.
 * A bulk urge and a stock import batch are the bureau's own errands: the enterprise is told it
 * was urged, or that its hazard came from the ledger, not which batch.
 */
export function discloseHazardEvent<E extends Event>(e: E, reader: HazardEventReader): E | null {
  if (e.type === 'notice_attached') {
    const noticeId = e.data.noticeId;
    if (typeof noticeId === 'string' && reader.readableNotices.has(noticeId)) return e;
    if (reader.role === 'enterprise') return null;
    const bare = { ...e, data: without(e.data, 'noticeId') };
    return typeof noticeId === 'string' && e.step !== undefined ? { ...bare, step: e.step.split(noticeId).join('withheld') } : bare;
  }
  if (reader.role !== 'enterprise') return e;
  if ('bulkUrgeId' in e.data) return { ...e, data: without(e.data, 'bulkUrgeId') };
  const imported = e.data.imported;
  if (imported && typeof imported === 'object' && 'importId' in imported) {
    return { ...e, data: { ...e.data, imported: without(imported as Record<string, unknown>, 'importId') } };
  }
  return e;
}

export function disclosedHazardTimeline<E extends Event>(timeline: readonly E[], reader: HazardEventReader): E[] {
  return timeline.flatMap((e) => {
    const shown = discloseHazardEvent(e, reader);
    return shown ? [shown] : [];
  });
}
