/** Audit verification: walks the hash chains and reports the first broken link. */
import { hazardAuditTrail, verifyAll } from '../../db/audit-verify';
import { findHazard, hazardScope } from '../../db/hazard-queries';
import { inspectionScope } from '../../db/inspections';
import { noticeScope } from '../../db/notice-queries';
import { suspensionScope } from '../../db/suspension-queries';
import { peopleIn } from '../people';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import type { AppDeps } from '../app';

export function auditRoutes({ db }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/audit/verify',
      operationId: 'verifyAudit',
      summary: 'Verify the audit chains within reach — hazards, notices, suspensions, inspections, and the administrative chain for city-wide admins — each against its signed head; reports the first break',
      tag: 'audit',
      access: ['admin'],
      responses: { 200: { description: 'the verification report (ok: false names the first broken link)' } },
      async handler({ res, principal }) {
        // The administrative chain spans the system: only an admin at the top of the tree sees it.
        const cityWide = principal.regionPath.split('/').filter(Boolean).length === 1;
        const scope = { hazard: hazardScope(principal), notice: noticeScope(principal), suspension: suspensionScope(principal), inspection: inspectionScope(principal) };
        res.json(await verifyAll(db, { scope, includeAdmin: cityWide }));
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/audit',
      operationId: 'verifyHazardAudit',
      summary: "One hazard's audit trail: its entries (who, when, what, each with its previous and own hash) and the chain's verification",
      tag: 'audit',
      access: ['admin', 'supervisor', 'leader'],
      params: hazardIdParams,
      responses: {
        200: { description: 'the chain report (ok: false names the first broken link), `entries` in chain order and `people`, the actors by display name' },
        404: { description: 'no such hazard within reach' },
      },
      async handler({ res, params, principal }) {
        if (!(await findHazard(db, principal, params.id))) throw problems.notFound('hazard');
        const chain = await hazardAuditTrail(db, params.id);
        res.json({ ok: chain.broken === null, rowsChecked: chain.rows, firstBreak: chain.broken, entries: chain.entries, people: await peopleIn(db, chain.entries) });
      },
    }),
  ];
}
