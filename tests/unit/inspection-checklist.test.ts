/** The rules an inspection record is held to beyond its shape (each breach names its field). */
import { describe, expect, it } from 'vitest';
import { checklistBreaches, inspectionBreaches, MAX_CHECKLIST_ITEMS, type ChecklistFinding } from '../../domain/inspection-checklist';

const pass: ChecklistFinding = { item: '安全出口畅通', result: 'pass' };
const fail: ChecklistFinding = { item: '配电室绝缘垫', result: 'fail', category: '电气安全', grade: 'general' };
const fields = (b: { field: string }[]) => b.map((x) => x.field);

describe('checklist rules', () => {
  it('accepts a checklist of passes, failures with categories and not-applicable items', () => {
    expect(checklistBreaches([pass, fail, { item: '锅炉', result: 'not_applicable' }])).toEqual([]);
  });

  it('needs at least one item and at most the maximum', () => {
    expect(fields(checklistBreaches([]))).toEqual(['findings']);
    expect(fields(checklistBreaches(Array.from({ length: MAX_CHECKLIST_ITEMS + 1 }, () => pass)))).toEqual(['findings']);
    expect(checklistBreaches(Array.from({ length: MAX_CHECKLIST_ITEMS }, () => pass))).toEqual([]);
  });

  it('needs the category of a failed item, an empty one included', () => {
    expect(fields(checklistBreaches([pass, { item: '消防通道', result: 'fail' }]))).toEqual(['findings.1.category']);
    expect(fields(checklistBreaches([{ item: '消防通道', result: 'fail', category: '' }]))).toEqual(['findings.0.category']);
  });

  it('allows a grade only on a failed item', () => {
    expect(fields(checklistBreaches([{ ...pass, grade: 'major' }, { item: '锅炉', result: 'not_applicable', grade: 'general' }]))).toEqual([
      'findings.0.grade',
      'findings.1.grade',
    ]);
    expect(checklistBreaches([{ ...fail, grade: 'major' }])).toEqual([]);
  });
});

describe('inspection rules', () => {
  const now = Date.parse('2026-11-28T08:00:00Z');
  const ok = { startedAt: now - 3_600_000, endedAt: now - 60_000, coInspectors: ['u2', 'u3'], findings: [pass] };

  it('accepts an inspection that has happened', () => {
    expect(inspectionBreaches(ok, 'u1', now)).toEqual([]);
    expect(inspectionBreaches({ ...ok, startedAt: now, endedAt: now }, 'u1', now)).toEqual([]);
  });

  it('refuses times in the future and an end before the start', () => {
    expect(fields(inspectionBreaches({ ...ok, endedAt: now + 1 }, 'u1', now))).toEqual(['endedAt']);
    expect(fields(inspectionBreaches({ ...ok, startedAt: now + 1, endedAt: now + 2 }, 'u1', now))).toEqual(['startedAt', 'endedAt']);
    expect(fields(inspectionBreaches({ ...ok, startedAt: now - 1000, endedAt: now - 2000 }, 'u1', now))).toEqual(['endedAt']);
  });

  it('refuses a co-inspector listed twice or the recording supervisor again', () => {
    expect(fields(inspectionBreaches({ ...ok, coInspectors: ['u2', 'u1', 'u2'] }, 'u1', now))).toEqual(['coInspectors.1', 'coInspectors.2']);
  });

  it('reports checklist and time breaches together', () => {
    expect(fields(inspectionBreaches({ ...ok, endedAt: now + 1, findings: [] }, 'u1', now))).toEqual(['endedAt', 'findings']);
  });
});
