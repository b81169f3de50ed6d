/** The notice, suspension and inspection ledgers as Excel, with their lists' filters and reach. */
import type { AppDeps } from '../app';
import { inspectionConditions, inspectionScope } from '../../db/inspections';
import { inspectionLedgerPage, keysetPages, noticeLedgerPage, PeopleNames, suspensionLedgerPage, withPeople } from '../../db/ledger-reads';
import { noticeConditions, noticeScope } from '../../db/notice-queries';
import { inspections, notices, suspensions } from '../../db/schema';
import { suspensionConditions, suspensionScope } from '../../db/suspension-queries';
import { regionPathWithinReach } from '../hazard-list-filter';
import { refuseInternalNoticeFilters } from '../notice-filters';
import {
  INSPECTION_LEDGER_TITLE,
  inspectionColumns,
  inspectionFilterLines,
  inspectionMentions,
  NOTICE_LEDGER_TITLE,
  noticeColumns,
  noticeFilterLines,
  noticeMentions,
  SUSPENSION_LEDGER_TITLE,
  suspensionColumns,
  suspensionFilterLines,
  suspensionMentions,
} from '../ledger/case-columns';
import { exportContext, exportLedger, LEDGER_PAGE_ROWS, ledgerResponses } from '../ledger/export';
import { FilterNames } from '../ledger/filter-names';
import { route, type RouteSpec } from '../route-spec';
import { inspectionExportQuery, noticeExportQuery, suspensionExportQuery } from '../schemas/ledger';

export function caseLedgerRoutes(deps: AppDeps): RouteSpec[] {
  const { db, clock } = deps;
  const ctx = exportContext(deps);
  return [
    route({
      method: 'get',
      path: '/api/notices/export.xlsx',
      operationId: 'exportNotices',
      summary: 'The notice ledger (督办通知台账) as Excel: the notices within reach that the list\'s filters select, newest first',
      tag: 'ledgers',
      access: 'authenticated',
      query: noticeExportQuery,
      responses: ledgerResponses('the notices'),
      async handler({ res, query: q, principal }) {
        refuseInternalNoticeFilters(principal, q);
        const now = clock();
        const { region, lang: _lang, ...filter } = q;
        const regionPath = region ? await regionPathWithinReach(db, principal, region) : undefined;
        const where = noticeConditions(noticeScope(principal), { ...filter, regionPath }, new Date(now));
        const people = new PeopleNames(db);
        await exportLedger(ctx, res, principal, {
          ledger: 'notices',
          title: NOTICE_LEDGER_TITLE,
          lang: q.lang,
          columns: noticeColumns(people, now, principal.role === 'enterprise'),
          filters: await noticeFilterLines(q, new FilterNames(db, principal)),
          query: { ...q },
          count: { table: notices, where },
          pages: () => withPeople(keysetPages(noticeLedgerPage(db, where), (r) => ({ createdAt: r.notice.issuedAt, id: r.notice.id }), LEDGER_PAGE_ROWS), people, noticeMentions),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/suspensions/export.xlsx',
      operationId: 'exportSuspensions',
      summary: 'The suspension ledger (停产整顿台账) as Excel: the suspensions within reach that the list\'s filters select, newest first',
      tag: 'ledgers',
      access: 'authenticated',
      query: suspensionExportQuery,
      responses: ledgerResponses('the suspensions'),
      async handler({ res, query: q, principal }) {
        const where = suspensionConditions(suspensionScope(principal), q);
        const people = new PeopleNames(db);
        await exportLedger(ctx, res, principal, {
          ledger: 'suspensions',
          title: SUSPENSION_LEDGER_TITLE,
          lang: q.lang,
          columns: suspensionColumns(people),
          filters: await suspensionFilterLines(q, new FilterNames(db, principal)),
          query: { ...q },
          count: { table: suspensions, where },
          pages: () => withPeople(keysetPages(suspensionLedgerPage(db, where), (r) => r.suspension, LEDGER_PAGE_ROWS), people, suspensionMentions),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/inspections/export.xlsx',
      operationId: 'exportInspections',
      summary: 'The inspection ledger (执法检查台账) as Excel: the inspections within reach that the list\'s filters select, newest first',
      tag: 'ledgers',
      access: 'authenticated',
      query: inspectionExportQuery,
      responses: ledgerResponses('the inspections'),
      async handler({ res, query: q, principal }) {
        const where = inspectionConditions(inspectionScope(principal), q);
        const people = new PeopleNames(db);
        await exportLedger(ctx, res, principal, {
          ledger: 'inspections',
          title: INSPECTION_LEDGER_TITLE,
          lang: q.lang,
          columns: inspectionColumns(people),
          filters: await inspectionFilterLines(q, new FilterNames(db, principal)),
          query: { ...q },
          count: { table: inspections, where },
          pages: () => withPeople(keysetPages(inspectionLedgerPage(db, where), (r) => r.inspection, LEDGER_PAGE_ROWS), people, inspectionMentions),
        });
      },
    }),
  ];
}
