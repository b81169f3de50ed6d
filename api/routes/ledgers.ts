/**
 * Ledgers (台账) as Excel workbooks: every list people see, exported with the list's own filters
 * and reach (its query schema, filter parsing and scope are reused, never restated), streamed.
 */
import type { AppDeps } from '../app';
import { hazardScope } from '../../db/hazard-queries';
import { hazardFilterConditions } from '../../db/hazard-queries';
import { hazardLedgerPage, keysetPages, PeopleNames, withPeople, type HazardLedgerRow } from '../../db/ledger-reads';
import { hazards } from '../../db/schema';
import { hazardFilterOf } from '../hazard-list-filter';
import { exportContext, exportLedger, LEDGER_PAGE_ROWS, ledgerResponses } from '../ledger/export';
import { FilterNames } from '../ledger/filter-names';
import { HAZARD_LEDGER_TITLE, hazardColumns, hazardFilterLines, hazardMentions } from '../ledger/hazard-ledger';
import { route, type RouteSpec } from '../route-spec';
import { hazardExportQuery } from '../schemas/hazard';
import { caseLedgerRoutes } from './case-ledgers';
import { figureLedgerRoutes } from './figure-ledgers';

export function ledgerRoutes(deps: AppDeps): RouteSpec[] {
  const { db, clock } = deps;
  const ctx = exportContext(deps);
  return [
    route({
      method: 'get',
      path: '/api/hazards/export.xlsx',
      operationId: 'exportHazards',
      summary: 'The hazard ledger (隐患台账) as Excel: the hazards within reach that the list\'s filters select, every one of them, newest first',
      tag: 'ledgers',
      access: 'authenticated',
      query: hazardExportQuery,
      responses: ledgerResponses('the hazards'),
      async handler({ res, query: q, principal }) {
        const now = clock();
        const filter = await hazardFilterOf(db, principal, q, now);
        const where = [hazardScope(principal), ...hazardFilterConditions(filter, new Date(now))];
        const people = new PeopleNames(db);
        await exportLedger<HazardLedgerRow>(ctx, res, principal, {
          ledger: 'hazards',
          title: HAZARD_LEDGER_TITLE,
          lang: q.lang,
          columns: hazardColumns(people, now),
          filters: await hazardFilterLines(q, new FilterNames(db, principal)),
          query: { ...q },
          count: { table: hazards, where },
          pages: () => withPeople(keysetPages(hazardLedgerPage(db, where), (r) => r.hazard, LEDGER_PAGE_ROWS), people, hazardMentions),
        });
      },
    }),
    ...caseLedgerRoutes(deps),
    ...figureLedgerRoutes(deps),
  ];
}
