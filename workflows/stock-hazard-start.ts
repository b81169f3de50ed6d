/**
 * How an imported open hazard's workflow is started: its business id, its input as the record
 * stands, and the search attributes it begins with. Pure, so the import's workflow and its
 * activity start it the same way.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { dueInstant } from '../domain/shanghai-time';
import type { HazardPolicy } from '../domain/policy';
import type { YearCalendar } from '../domain/work-calendar';
import type { OpenStockHazard } from '../db/stock-import-pages';
import { hazardWorkflowId, type HazardWorkflowInput } from './hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';

export interface StockHazardStart {
  workflowId: string;
  input: HazardWorkflowInput;
  typedSearchAttributes: SearchAttributePair[];
}

export function stockHazardStart(h: OpenStockHazard, policies: Record<string, HazardPolicy>, calendar: YearCalendar[], by: string): StockHazardStart {
  const policy = h.policyId !== null ? policies[String(h.policyId)] : undefined;
  if (!policy) throw new Error(`hazard ${h.hazardId} has no policy on record`);
  return {
    workflowId: hazardWorkflowId(h.hazardId),
    input: {
      hazard: {
        hazardId: h.hazardId,
        enterpriseId: h.enterpriseId,
        grade: h.grade,
        policy,
        deadline: h.deadline,
        calendar,
        ...(h.listingLevel ? { listingLevel: h.listingLevel } : {}),
        assignment: { supervisor: h.supervisor, enterpriseContact: null, delegate: null },
      },
      registration: { title: h.title, description: '', category: h.category, source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: by, policyId: h.policyId, foundAt: h.foundAt },
    },
    typedSearchAttributes: [
      { key: DubanStatus, value: 'rectifying' },
      { key: DubanDeadline, value: new Date(dueInstant(h.deadline)) },
      { key: DubanEscalationLevel, value: 0 },
      { key: DubanEnterprise, value: h.enterpriseId },
    ],
  };
}
