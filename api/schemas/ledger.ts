/** Query shapes of the ledger exports: each list's own filters, without paging, with the language. */
import { z } from 'zod';
import { breakdownQuery, rankingQuery, regionQuery } from './figures';
import { ledgerLang } from './hazard';
import { listInspectionsQuery } from './inspection';
import { listNoticesQuery } from './notice';
import { listSuspensionsQuery } from './suspension';

const unpaged = { limit: true, cursor: true } as const;
export const noticeExportQuery = listNoticesQuery.omit(unpaged).extend({ lang: ledgerLang });
export const suspensionExportQuery = listSuspensionsQuery.omit(unpaged).extend({ lang: ledgerLang });
export const inspectionExportQuery = listInspectionsQuery.omit(unpaged).extend({ lang: ledgerLang });
export const breakdownExportQuery = breakdownQuery.omit({ limit: true }).extend({ lang: ledgerLang });
export const rankingExportQuery = rankingQuery.extend({ lang: ledgerLang });
export const ageingExportQuery = regionQuery.extend({ lang: ledgerLang });

export type NoticeExportQuery = z.infer<typeof noticeExportQuery>;
export type SuspensionExportQuery = z.infer<typeof suspensionExportQuery>;
export type InspectionExportQuery = z.infer<typeof inspectionExportQuery>;
