/**
 * 催办 as pure rules: who may be urged when (settled items never, the same item not twice within
 * the quiet window), the events a hazard's and a notice's urge record (a persisted schema: the
 * literals below are the schema), and what counts as the item having moved since.
 */
import { describe, expect, it } from 'vitest';
import { urgeChange } from '../../domain/hazard-changes';
import { initialNoticeState, type NoticeState } from '../../domain/notice-lifecycle';
import { noticeUrgeChange } from '../../domain/notice-urge';
import { DEFAULT_NOTICE_POLICIES } from '../../domain/policy';
import { review, submit, voidHazard } from '../../domain/hazard-lifecycle';
import { checkUrge, firstMoveSince, isMove, markUrged, URGE_QUIET_HOURS, urgeText, type TrailEntry } from '../../domain/urge';
import { at, freshHazard } from '../support/hazard-states';

const NOW = at('2026-03-05T02:00:00Z');
const HOUR = 3_600_000;
const by = 'leader-a';

describe('checkUrge', () => {
  it('lets an open hazard be urged, with or without words', () => {
    expect(checkUrge(freshHazard(), { by }, NOW)).toBeNull();
    expect(checkUrge(freshHazard(), { by, message: '尽快整改' }, NOW)).toBeNull();
    const underReview = submit(freshHazard(), { evidence: ['f'], by: 'ent' }, NOW);
    expect(checkUrge(underReview, { by }, NOW)).toBeNull();
  });

  it('refuses a closed or void item as not allowed', () => {
    const closed = review(submit(freshHazard(), { evidence: ['f'], by: 'ent' }, NOW), { decision: 'accept', by: 'sup' }, NOW);
    expect(checkUrge(closed, { by }, NOW)).toMatchObject({ kind: 'not_allowed', message: expect.stringContaining('closed') });
    const voided = voidHazard(freshHazard(), { kind: 'misreport', reason: '误报', by: 'leader' }, NOW);
    expect(checkUrge(voided, { by }, NOW)).toMatchObject({ kind: 'not_allowed', message: expect.stringContaining('void') });
  });

  it('refuses a blank urger or too long a message as invalid, naming the field', () => {
    expect(checkUrge(freshHazard(), { by: ' ' }, NOW)).toMatchObject({ kind: 'invalid', field: 'by' });
    expect(checkUrge(freshHazard(), { by, message: '催'.repeat(501) }, NOW)).toMatchObject({ kind: 'invalid', field: 'message' });
    expect(checkUrge(freshHazard(), { by, message: '催'.repeat(500) }, NOW)).toBeNull();
  });

  it(`refuses a second urge within ${URGE_QUIET_HOURS} hours of the last, by anyone, and allows it after`, () => {
    const urged = markUrged(freshHazard(), NOW);
    const refusal = checkUrge(urged, { by: 'leader-city' }, NOW + HOUR);
    expect(refusal).toMatchObject({ kind: 'not_allowed', limit: { name: 'urge.quietHours', value: 24 } });
    expect(refusal!.message).toContain('2026-03-06T02:00:00.000Z');
    expect(checkUrge(urged, { by }, NOW + 24 * HOUR - 1)).not.toBeNull();
    expect(checkUrge(urged, { by }, NOW + 24 * HOUR)).toBeNull();
  });

  it('marks the item urged and moves its sequence on', () => {
    const s = freshHazard();
    const once = markUrged(s, NOW);
    expect(once).toMatchObject({ lastUrgedAt: NOW, urges: 1, seq: s.seq + 1 });
    expect(markUrged(once, NOW + 25 * HOUR)).toMatchObject({ lastUrgedAt: NOW + 25 * HOUR, urges: 2, seq: s.seq + 2 });
  });
});

describe('the events an urge records', () => {
  it('a hazard’s: keyed by round and sequence, the words and the facts, told to the enterprise and the supervisor', () => {
    const s = freshHazard();
    const change = urgeChange(s, { by, message: ' 本周内完成 ' }, '消防通道堆放杂物', NOW);
    const text = '【催办】隐患“消防通道堆放杂物”整改期限为 2026-03-10，领导批示：本周内完成';
    expect(change.state).toMatchObject({ lastUrgedAt: NOW, urges: 1, seq: s.seq + 1, status: 'rectifying', deadline: s.deadline });
    expect(change.events).toEqual([
      {
        key: `round-1/urged-s${s.seq + 1}`,
        event: { type: 'urged', actor: by, occurredAt: NOW, data: { message: '本周内完成', status: 'rectifying', deadline: '2026-03-10', overdue: false } },
        urge: {
          message: '本周内完成',
          bulkUrgeId: null,
          notifications: [
            { recipientRole: 'enterprise', message: text },
            { recipientRole: 'supervisor', message: text },
          ],
        },
      },
    ]);
  });

  it('a hazard’s when overdue and part of a bulk urge, without words', () => {
    const late = at('2026-03-12T02:00:00Z');
    const change = urgeChange(freshHazard(), { by, bulkUrgeId: 'urge-1' }, '堆放杂物', late);
    expect(change.events[0]!.event.data).toEqual({ message: '', status: 'rectifying', deadline: '2026-03-10', overdue: true, bulkUrgeId: 'urge-1' });
    expect(change.events[0]!.urge).toMatchObject({ bulkUrgeId: 'urge-1', notifications: [{ message: '【催办】隐患“堆放杂物”整改期限 2026-03-10 已过，请抓紧整改落实。' }, {}] });
  });

  it('a notice’s: keyed by its sequence, with its number in the words', () => {
    const issued: NoticeState = {
      ...initialNoticeState(
        { noticeId: 'n-1', enterpriseId: 'ent-1', grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'calendar', hazardIds: ['hz-1'], deadline: '2026-03-20', rule: { days: 10, unit: 'calendar', legalBasis: '' } },
        [],
        NOW,
      ),
      code: '甲县应急〔2026〕3号',
    };
    const change = noticeUrgeChange(issued, { by, message: '请即签收' }, '督促整改', NOW);
    expect(change).toEqual({
      state: expect.objectContaining({ lastUrgedAt: NOW, urges: 1, seq: issued.seq + 1, status: 'issued' }),
      events: [
        {
          key: `urge-${issued.seq + 1}`,
          event: { type: 'urged', actor: by, occurredAt: NOW, data: { message: '请即签收', status: 'issued', deadline: '2026-03-20', overdue: false } },
          urge: {
            message: '请即签收',
            bulkUrgeId: null,
            notifications: [
              { recipientRole: 'enterprise', message: '【催办】督办通知“甲县应急〔2026〕3号 督促整改”整改期限为 2026-03-20，领导批示：请即签收' },
              { recipientRole: 'supervisor', message: '【催办】督办通知“甲县应急〔2026〕3号 督促整改”整改期限为 2026-03-20，领导批示：请即签收' },
            ],
          },
        },
      ],
    });
    expect(checkUrge(change.state, { by }, NOW + HOUR)).toMatchObject({ kind: 'not_allowed' });
    expect(checkUrge({ ...issued, status: 'closed' }, { by }, NOW)).toMatchObject({ kind: 'not_allowed' });
  });

  it('words an urge of a notice overdue', () => {
    expect(urgeText('notice', 'X', '2026-03-01', true, '')).toBe('【催办】督办通知“X”整改期限 2026-03-01 已过，请抓紧整改落实。');
  });
});

describe('whether an urged item moved since', () => {
  const urgedAt = NOW;
  const e = (type: string, actor: string, dt: number): TrailEntry => ({ type, actor, occurredAt: urgedAt + dt });

  it('counts a change by a person after the urge', () => {
    expect(isMove(e('rectification_submitted', 'enterprise-a', 1), urgedAt)).toBe(true);
    expect(isMove(e('signed', 'enterprise-a', 1), urgedAt)).toBe(true);
    expect(isMove(e('extension_requested', 'enterprise-a', 1), urgedAt)).toBe(true);
    expect(isMove(e('review_rejected', 'supervisor-a', 1), urgedAt)).toBe(true);
    // Another system acting for people (an API key's service account) moves it as well.
    expect(isMove(e('rectification_submitted', 'system:erp', 1), urgedAt)).toBe(true);
  });

  it('does not count the clock’s steps, another urge, or anything at or before the urge', () => {
    expect(isMove(e('escalated', 'system', 1), urgedAt)).toBe(false);
    expect(isMove(e('became_overdue', 'system', 1), urgedAt)).toBe(false);
    expect(isMove(e('urged', 'leader-city', 1), urgedAt)).toBe(false);
    expect(isMove(e('rectification_submitted', 'enterprise-a', 0), urgedAt)).toBe(false);
    expect(isMove(e('rectification_submitted', 'enterprise-a', -1), urgedAt)).toBe(false);
  });

  it('finds the first move, whatever the order of the trail', () => {
    const trail = [e('escalated', 'system', 5), e('review_accepted', 'supervisor-a', 9), e('rectification_submitted', 'enterprise-a', 3), e('urged', 'x', 1)];
    expect(firstMoveSince(urgedAt, trail)).toEqual(e('rectification_submitted', 'enterprise-a', 3));
    expect(firstMoveSince(urgedAt, [e('escalated', 'system', 5)])).toBeNull();
    expect(firstMoveSince(urgedAt, [])).toBeNull();
  });
});
