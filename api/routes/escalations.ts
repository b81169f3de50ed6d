/**
 * The escalations addressed to the caller (待我处理的升级), oldest first: the hazard ladder's and
 * the notice ladder's, where the recipient role they name is one the caller holds for the item
 * (domain/escalation-recipients.ts), within reach, each with its item's state now.
 */
import { z } from 'zod';
import { listEscalations, type EscalationRow } from '../../db/escalations';
import { postOfUser } from '../../db/posts';
import { recipientClauses } from '../../domain/escalation-recipients';
import type { AppDeps } from '../app';
import { pageAnswer, queryInstantCursor, serials } from '../key-cursor';
import { route, type RouteSpec } from '../route-spec';
import { listEscalationsQuery } from '../schemas/urge';


const escalationItem = z.object({
  itemKind: z.enum(['hazard', 'notice']),
  itemId: z.uuid(),
  kind: z.string().describe('escalation (hazards); sign_escalation, an instrument (reminder_card, list, supervision_letter, directive) or decision (notices)'),
  recipientRole: z.string(),
  level: z.number().int().nullable(),
  message: z.string(),
  scheduledAt: z.string(),
  item: z.object({
    title: z.string(),
    code: z.string().nullable(),
    enterpriseId: z.uuid().nullable(),
    status: z.string(),
    deadline: z.string(),
    overdue: z.boolean(),
    escalationLevel: z.number().int().describe('the hazard’s escalation level, or the notice’s ladder level'),
  }),
});
const escalationPage = z.object({ items: z.array(escalationItem), nextCursor: z.string().nullable() });

/** One escalation addressed to the caller, with its item's state now (`now`: whether it is overdue). */
export function escalationJson(r: EscalationRow, now: number) {
  return {
    itemKind: r.itemKind,
    itemId: r.itemId,
    kind: r.kind,
    recipientRole: r.recipientRole,
    level: r.level,
    message: r.message,
    scheduledAt: r.scheduledAt.toISOString(),
    item: {
      title: r.title,
      code: r.code,
      enterpriseId: r.enterpriseId,
      status: r.status,
      deadline: r.deadline,
      overdue: (r.itemKind === 'hazard' ? r.status === 'rectifying' : r.status !== 'closed') && now >= r.dueAt.getTime(),
      escalationLevel: r.escalationLevel,
    },
  };
}

export function escalationRoutes({ db, clock }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/escalations',
      operationId: 'listMyEscalations',
      summary: 'Escalations addressed to the caller by the post they hold (section chief, county or city leader…) or as 包联 leader or supervisor in charge, within reach, oldest first; keyset-paginated',
      tag: 'urges',
      access: ['leader', 'supervisor'],
      query: listEscalationsQuery,
      responses: { 200: { description: 'one page', schema: escalationPage } },
      async handler({ res, query: q, principal }) {
        // Hazard notifications (h…) and notice notifications (n…), as db/escalations.ts tags them.
        const c = queryInstantCursor(q.cursor, serials('hn'));
        const after = c && { scheduledAt: c.at, sid: c.id };
        const rows = await listEscalations(db, { reachPath: principal.regionPath, clauses: recipientClauses({ ...principal, post: (await postOfUser(db, principal.userId))?.post ?? null }), after, limit: q.limit });
        const now = clock();
        res.json(pageAnswer(rows, q.limit, (r) => ({ key: r.scheduledAt.toISOString(), id: r.sid }), (r) => escalationJson(r, now)));
      },
    }),
  ];
}
