/**
 * Typed search attributes for operators looking at workflows in Temporal. People's lists come
 * from Postgres; these serve the Temporal UI and `temporal workflow list --query`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DubanStatus = defineSearchAttributeKey('DubanStatus', SearchAttributeType.KEYWORD);
export const DubanDeadline = defineSearchAttributeKey('DubanDeadline', SearchAttributeType.DATETIME);
export const DubanEscalationLevel = defineSearchAttributeKey('DubanEscalationLevel', SearchAttributeType.INT);
export const DubanEnterprise = defineSearchAttributeKey('DubanEnterprise', SearchAttributeType.KEYWORD);

/** Name → type, as `temporal server start-dev --search-attribute Name=Type` registers them. */
export const SEARCH_ATTRIBUTES = {
  DubanStatus: 'Keyword',
  DubanDeadline: 'Datetime',
  DubanEscalationLevel: 'Int',
  DubanEnterprise: 'Keyword',
} as const;
