/** What a hazard's trail tells a reader of the records its events name that the reader cannot open. */
import { describe, expect, it } from 'vitest';
import { disclosedHazardTimeline } from '../../domain/hazard-event-disclosure';

const OWN = '11111111-1111-4111-8111-111111111111';
const INSIDE = '22222222-2222-4222-8222-222222222222';
const trail = [
  { type: 'registered', data: { deadline: '2026-12-31', imported: { importId: 'batch-1', row: 7 } } },
  { type: 'notice_attached', data: { noticeId: OWN } },
  { type: 'notice_attached', data: { noticeId: INSIDE } },
  { type: 'urged', data: { message: '请加快整改', bulkUrgeId: 'bulk-1' } },
];
const readable = new Set([OWN]);

describe('a hazard’s trail as its reader may see it', () => {
  it('leaves out for an enterprise a notice it cannot open, and the bureau’s batches', () => {
    expect(disclosedHazardTimeline(trail, { role: 'enterprise', readableNotices: readable })).toEqual([
      { type: 'registered', data: { deadline: '2026-12-31', imported: { row: 7 } } },
      { type: 'notice_attached', data: { noticeId: OWN } },
      { type: 'urged', data: { message: '请加快整改' } },
    ]);
  });

  it('keeps for a supervisor the fact of a notice it cannot open, without naming it, and the bureau’s own batches', () => {
    const shown = disclosedHazardTimeline(trail, { role: 'supervisor', readableNotices: readable });
    expect(shown.map((e) => e.data)).toEqual([trail[0]!.data, { noticeId: OWN }, {}, trail[3]!.data]);
    expect(JSON.stringify(shown)).not.toContain(INSIDE);
    // The step key names the notice too.
    const step = { type: 'notice_attached', data: { noticeId: INSIDE }, step: `notice-${INSIDE}/attached` };
    expect(disclosedHazardTimeline([step], { role: 'supervisor', readableNotices: readable })).toEqual([{ type: 'notice_attached', data: {}, step: 'notice-withheld/attached' }]);
  });

  it('names to a reader every notice it may open, and changes nothing then', () => {
    const leader = disclosedHazardTimeline(trail, { role: 'leader', readableNotices: new Set([OWN, INSIDE]) });
    expect(leader).toEqual(trail);
    expect(leader.every((e, i) => e === trail[i])).toBe(true);
  });
});
