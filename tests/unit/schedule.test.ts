import { readFileSync } from 'node:fs';
import { WorkCalendar, type YearCalendar } from '../../domain/work-calendar';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, type HazardPolicy } from '../../domain/policy';
import { OFFICE_HOUR, extensionSegment, planRound, stepKey, type ScheduledStep } from '../../domain/schedule';

const iso = (t: number) => new Date(t).toISOString();
const at = (s: string) => Date.parse(s);

const POLICY: HazardPolicy = {
  reminderDaysBefore: [3, 1],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
  ],
};

/** A compact view of a plan, so a test can assert the whole of it at once. */
const summary = (steps: ScheduledStep[]) => steps.map((s) => [s.key, iso(s.at)]);

const EARLY = at('2026-03-01T00:00:00Z');

describe('stepKey', () => {
  it('prefixes the step name with its round', () => {
    expect(stepKey(1, 'overdue')).toBe('round-1/overdue');
    expect(stepKey(12, 'reminder-3d')).toBe('round-12/reminder-3d');
  });
});

const CALENDAR_2026 = new WorkCalendar([JSON.parse(readFileSync(new URL('../../domain/calendars/cn-2026.json', import.meta.url), 'utf8')) as YearCalendar]);

describe('planRound', () => {
  it('starts office hours at 09:00', () => {
    expect(OFFICE_HOUR).toBe(9);
  });

  it('plans reminders at 09:00 Shanghai on D-N, overdue at the end of D, escalations at 09:00 on D+N, in time order', () => {
    expect(summary(planRound(1, '2026-03-10', POLICY, EARLY))).toEqual([
      ['round-1/reminder-3d', '2026-03-07T01:00:00.000Z'],
      ['round-1/reminder-1d', '2026-03-09T01:00:00.000Z'],
      ['round-1/overdue', '2026-03-10T16:00:00.000Z'],
      ['round-1/escalation-1d', '2026-03-11T01:00:00.000Z'],
      ['round-1/escalation-3d', '2026-03-13T01:00:00.000Z'],
    ]);
  });

  it('carries the details of each step: days, level and recipient', () => {
    const [r3, r1, overdue, e1, e3] = planRound(1, '2026-03-10', POLICY, EARLY);
    expect(r3).toEqual({ kind: 'reminder', key: 'round-1/reminder-3d', at: at('2026-03-07T01:00:00Z'), daysBefore: 3, recipientRole: 'enterprise' });
    expect(r1).toEqual({ kind: 'reminder', key: 'round-1/reminder-1d', at: at('2026-03-09T01:00:00Z'), daysBefore: 1, recipientRole: 'enterprise' });
    expect(overdue).toEqual({ kind: 'overdue', key: 'round-1/overdue', at: at('2026-03-10T16:00:00Z') });
    expect(e1).toEqual({
      kind: 'escalation',
      key: 'round-1/escalation-1d',
      at: at('2026-03-11T01:00:00Z'),
      afterDays: 1,
      level: 1,
      recipientRole: 'supervisor',
    });
    expect(e3).toEqual({
      kind: 'escalation',
      key: 'round-1/escalation-3d',
      at: at('2026-03-13T01:00:00Z'),
      afterDays: 3,
      level: 2,
      recipientRole: 'supervisor_chief',
    });
  });

  it('orders steps by time whatever the order of reminder offsets in the policy', () => {
    const policy: HazardPolicy = { reminderDaysBefore: [1, 7, 3], escalation: [] };
    expect(summary(planRound(1, '2026-03-10', policy, EARLY))).toEqual([
      ['round-1/reminder-7d', '2026-03-03T01:00:00.000Z'],
      ['round-1/reminder-3d', '2026-03-07T01:00:00.000Z'],
      ['round-1/reminder-1d', '2026-03-09T01:00:00.000Z'],
      ['round-1/overdue', '2026-03-10T16:00:00.000Z'],
    ]);
  });

  it('names every key after the round, so keys of different rounds never collide', () => {
    const keys1 = planRound(1, '2026-03-10', POLICY, EARLY).map((s) => s.key);
    const keys2 = planRound(2, '2026-03-10', POLICY, EARLY).map((s) => s.key);
    expect(keys2).toEqual([
      'round-2/reminder-3d',
      'round-2/reminder-1d',
      'round-2/overdue',
      'round-2/escalation-1d',
      'round-2/escalation-3d',
    ]);
    expect(keys1.filter((k) => keys2.includes(k))).toEqual([]);
  });

  it('drops a reminder whose time is before the round started, but keeps overdue and escalations', () => {
    // Started on 2026-03-08 at noon Shanghai: the 3-day reminder (03-07 09:00) has passed.
    const started = at('2026-03-08T04:00:00Z');
    expect(summary(planRound(1, '2026-03-10', POLICY, started))).toEqual([
      ['round-1/reminder-1d', '2026-03-09T01:00:00.000Z'],
      ['round-1/overdue', '2026-03-10T16:00:00.000Z'],
      ['round-1/escalation-1d', '2026-03-11T01:00:00.000Z'],
      ['round-1/escalation-3d', '2026-03-13T01:00:00.000Z'],
    ]);
  });

  it('keeps a reminder planned exactly at the moment the round starts', () => {
    const started = at('2026-03-07T01:00:00Z');
    expect(planRound(1, '2026-03-10', POLICY, started).map((s) => s.key)).toContain('round-1/reminder-3d');
    expect(planRound(1, '2026-03-10', POLICY, started + 1).map((s) => s.key)).not.toContain('round-1/reminder-3d');
  });

  it('keeps overdue and every escalation even when the round starts after all of them', () => {
    const started = at('2026-04-01T00:00:00Z');
    expect(summary(planRound(3, '2026-03-10', POLICY, started))).toEqual([
      ['round-3/overdue', '2026-03-10T16:00:00.000Z'],
      ['round-3/escalation-1d', '2026-03-11T01:00:00.000Z'],
      ['round-3/escalation-3d', '2026-03-13T01:00:00.000Z'],
    ]);
  });

  it('plans only the overdue step for a policy with no reminders and no escalations', () => {
    expect(planRound(1, '2026-03-10', { reminderDaysBefore: [], escalation: [] }, EARLY)).toEqual([
      { kind: 'overdue', key: 'round-1/overdue', at: at('2026-03-10T16:00:00Z') },
    ]);
  });

  it('counts reminder and escalation days across month and year ends', () => {
    const policy: HazardPolicy = {
      reminderDaysBefore: [7],
      escalation: [{ afterDays: 15, level: 1, recipientRole: 'county_leader' }],
    };
    expect(summary(planRound(1, '2027-01-03', policy, at('2026-01-01T00:00:00Z')))).toEqual([
      ['round-1/reminder-7d', '2026-12-27T01:00:00.000Z'],
      ['round-1/overdue', '2027-01-03T16:00:00.000Z'],
      ['round-1/escalation-15d', '2027-01-18T01:00:00.000Z'],
    ]);
  });

  it('plans the default major-hazard policy in full, escalations in working days on the calendar', () => {
    const plan = planRound(1, '2026-03-10', DEFAULT_POLICIES.major, EARLY, undefined, CALENDAR_2026);
    expect(summary(plan)).toEqual([
      ['round-1/reminder-7d', '2026-03-03T01:00:00.000Z'],
      ['round-1/reminder-3d', '2026-03-07T01:00:00.000Z'],
      ['round-1/reminder-1d', '2026-03-09T01:00:00.000Z'],
      ['round-1/overdue', '2026-03-10T16:00:00.000Z'],
      // Tuesday's deadline: 1, 3, 7 and 15 working days later skip the weekends of 14/15, 21/22 and 28/29 March.
      ['round-1/escalation-1d', '2026-03-11T01:00:00.000Z'],
      ['round-1/escalation-3d', '2026-03-13T01:00:00.000Z'],
      ['round-1/escalation-7d', '2026-03-19T01:00:00.000Z'],
      ['round-1/escalation-15d', '2026-03-31T01:00:00.000Z'],
    ]);
    expect(plan.some((s) => 'provisional' in s)).toBe(false);
  });

  it('counts escalations across the National Day holiday and its make-up working day', () => {
    // Deadline Tuesday 2026-09-29; 1–7 October are days off, Saturday 10 October is worked (调休).
    const policy: HazardPolicy = {
      reminderDaysBefore: [],
      dayUnit: 'working',
      escalation: [
        { afterDays: 1, level: 1, recipientRole: 'supervisor' },
        { afterDays: 2, level: 2, recipientRole: 'supervisor_chief' },
        { afterDays: 5, level: 3, recipientRole: 'responsible_leader' },
      ],
    };
    expect(summary(planRound(1, '2026-09-29', policy, EARLY, undefined, CALENDAR_2026))).toEqual([
      ['round-1/overdue', '2026-09-29T16:00:00.000Z'],
      ['round-1/escalation-1d', '2026-09-30T01:00:00.000Z'],
      ['round-1/escalation-2d', '2026-10-08T01:00:00.000Z'],
      ['round-1/escalation-5d', '2026-10-12T01:00:00.000Z'],
    ]);
  });

  it('marks a working-day escalation counted into a year without data as provisional (weekends only)', () => {
    const policy: HazardPolicy = { reminderDaysBefore: [], dayUnit: 'working', escalation: [{ afterDays: 3, level: 1, recipientRole: 'supervisor' }] };
    const [, escalation] = planRound(1, '2026-12-30', policy, EARLY, undefined, CALENDAR_2026);
    // Wednesday 30 December: Thu 31, then 2027 without data — Fri 1 and Mon 4 January count as working days.
    expect(escalation).toMatchObject({ key: 'round-1/escalation-3d', at: Date.parse('2027-01-04T01:00:00Z'), provisional: true });
  });

  it('keeps counting calendar days for a policy that names no day unit (versions before working days)', () => {
    const [, escalation] = planRound(1, '2026-09-29', { reminderDaysBefore: [], escalation: [{ afterDays: 2, level: 1, recipientRole: 'supervisor' }] }, EARLY, undefined, CALENDAR_2026);
    expect(escalation!.at).toBe(Date.parse('2026-10-01T01:00:00Z'));
  });
});

describe('segments after an extension', () => {
  it('name no segment before the first extension, then ext-1, ext-2…', () => {
    expect(extensionSegment(0)).toBeUndefined();
    expect(extensionSegment(1)).toBe('ext-1');
    expect(extensionSegment(2)).toBe('ext-2');
  });

  it('key the steps of a segment round-R/ext-N/…, apart from the round\u2019s own keys', () => {
    const plain = planRound(1, '2026-03-10', POLICY, EARLY).map((s) => s.key);
    const segment = planRound(1, '2026-03-20', POLICY, EARLY, 'ext-1');
    expect(summary(segment)).toEqual([
      ['round-1/ext-1/reminder-3d', '2026-03-17T01:00:00.000Z'],
      ['round-1/ext-1/reminder-1d', '2026-03-19T01:00:00.000Z'],
      ['round-1/ext-1/overdue', '2026-03-20T16:00:00.000Z'],
      ['round-1/ext-1/escalation-1d', '2026-03-21T01:00:00.000Z'],
      ['round-1/ext-1/escalation-3d', '2026-03-23T01:00:00.000Z'],
    ]);
    expect(segment.map((s) => s.key).filter((k) => plain.includes(k))).toEqual([]);
  });

  it('plan exactly as a round would, apart from the keys', () => {
    const started = at('2026-03-18T02:00:00Z');
    const round = planRound(1, '2026-03-20', POLICY, started);
    const segment = planRound(1, '2026-03-20', POLICY, started, 'ext-2');
    expect(segment.map(({ key: _k, ...rest }) => rest)).toEqual(round.map(({ key: _k, ...rest }) => rest));
    expect(segment.map((s) => s.key)).toEqual(round.map((s) => s.key.replace('round-1/', 'round-1/ext-2/')));
  });
});
