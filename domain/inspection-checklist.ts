/**
 * The rules an inspection record must meet beyond its shape: a checklist with at least one item,
 * a failed item says what category of hazard it found (so it can become a hazard), only a failed
 * item carries a hazard grade, the inspection happened (not in the future, ended after it began),
 * and nobody is listed twice as an inspector.
 */
export const INSPECTION_RESULTS = ['pass', 'fail', 'not_applicable'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

/** Checklists longer than this are split into several inspections. */
export const MAX_CHECKLIST_ITEMS = 200;

export interface ChecklistFinding {
  item: string;
  result: InspectionResult;
  note?: string;
  category?: string;
  grade?: 'general' | 'major';
  legalBasis?: string;
  requiredMeasures?: string;
}

export interface InspectionDraft {
  startedAt: number;
  endedAt: number;
  /** User ids of the co-inspectors (the recording supervisor is added by the system). */
  coInspectors: readonly string[];
  findings: readonly ChecklistFinding[];
}

export interface RuleBreach {
  field: string;
  message: string;
}

export function checklistBreaches(findings: readonly ChecklistFinding[]): RuleBreach[] {
  const out: RuleBreach[] = [];
  if (findings.length === 0) out.push({ field: 'findings', message: 'the checklist needs at least one item' });
  if (findings.length > MAX_CHECKLIST_ITEMS) out.push({ field: 'findings', message: `at most ${MAX_CHECKLIST_ITEMS} items` });
  findings.forEach((f, i) => {
    if (f.result === 'fail' && !f.category) out.push({ field: `findings.${i}.category`, message: 'a failed item needs the hazard category it found' });
    if (f.result !== 'fail' && f.grade) out.push({ field: `findings.${i}.grade`, message: 'only a failed item has a hazard grade' });
  });
  return out;
}

export function inspectionBreaches(draft: InspectionDraft, selfId: string, now: number): RuleBreach[] {
  const out: RuleBreach[] = [];
  if (draft.startedAt > now) out.push({ field: 'startedAt', message: 'cannot be in the future' });
  if (draft.endedAt > now) out.push({ field: 'endedAt', message: 'cannot be in the future' });
  if (draft.endedAt < draft.startedAt) out.push({ field: 'endedAt', message: 'cannot be before startedAt' });
  const seen = new Set<string>([selfId]);
  draft.coInspectors.forEach((id, i) => {
    if (seen.has(id)) out.push({ field: `coInspectors.${i}`, message: id === selfId ? 'you are already the inspector' : 'listed twice' });
    seen.add(id);
  });
  return [...out, ...checklistBreaches(draft.findings)];
}
