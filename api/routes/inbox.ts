/**
 * The inbox: what the notifications delivered to the caller (one row per person told, resolved
 * when the step fired), newest first, with read state; the unread count the bell shows; marking
 * one or all read. Every signed-in person has one; nobody sees another's.
 */
import { z } from 'zod';
import { listDeliveries, markAllRead, markRead, unreadCount, type DeliveryRow } from '../../db/deliveries';
import type { AppDeps } from '../app';
import { pageAnswer, queryCursor, serialCursorId, serialOfCursorId, serials } from '../key-cursor';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { deliveryParams, inboxQuery } from '../schemas/posts';

const ANYONE = ['supervisor', 'enterprise', 'leader', 'admin'] as const;

/** Deliveries are the one table the inbox reads: its cursors carry their serial ids as `d…`. */
const DELIVERIES = 'd';

const deliverySchema = z.object({
  id: z.number().int(),
  subjectType: z.enum(['hazard', 'notice', 'suspension']),
  subjectId: z.uuid(),
  kind: z.string().describe('reminder, escalation, urge (hazards); sign_escalation, an instrument or decision (notices); reminder, escalation (suspensions)'),
  recipientRole: z.string().describe('what the step named, resolved to the caller'),
  message: z.string(),
  scheduledAt: z.string(),
  deliveredAt: z.string(),
  readAt: z.string().nullable(),
  link: z.string().describe('the page of the item'),
});

// A digest goes out on other channels only; the inbox never lists one.
const LINKS: Record<DeliveryRow['subjectType'], string> = { hazard: '#/hazards/', notice: '#/notices/', suspension: '#/suspensions/', digest: '#/inbox?' };

export const deliveryJson = (d: DeliveryRow) => ({
  id: d.id,
  subjectType: d.subjectType,
  subjectId: d.subjectId,
  kind: d.kind,
  recipientRole: d.recipientRole,
  message: d.message,
  scheduledAt: d.scheduledAt.toISOString(),
  deliveredAt: d.createdAt.toISOString(),
  readAt: d.readAt?.toISOString() ?? null,
  link: `${LINKS[d.subjectType]}${d.subjectId}`,
});

/** The bell's answer: how many of the caller's deliveries are unread. */
export const unreadCountJson = (unread: number) => ({ unread });

/** Marking all read: how many were marked, and the unread count after (0 unless more arrived meanwhile). */
export const readAllJson = (marked: number, unread: number) => ({ marked, unread });

export function inboxRoutes({ db }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/inbox',
      operationId: 'listMyDeliveries',
      summary: 'What was delivered to the caller (reminders, escalations, urges, decisions to take), newest first; keyset-paginated',
      tag: 'inbox',
      access: [...ANYONE],
      query: inboxQuery,
      responses: { 200: { description: 'one page', schema: z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }) } },
      async handler({ res, query, principal }) {
        const c = queryCursor(query.cursor, serials(DELIVERIES), (key) => key === 'inbox');
        const beforeId = c && serialOfCursorId(c.id);
        const rows = await listDeliveries(db, { userId: principal.userId, unread: query.unread === 'true', beforeId, limit: query.limit });
        res.json(pageAnswer(rows, query.limit, (d) => ({ key: 'inbox', id: serialCursorId(DELIVERIES, d.id) }), deliveryJson));
      },
    }),
    route({
      method: 'get',
      path: '/api/inbox/unread-count',
      operationId: 'countMyUnread',
      summary: 'How many of the caller’s deliveries are unread (the bell)',
      tag: 'inbox',
      access: [...ANYONE],
      responses: { 200: { description: 'the count', schema: z.object({ unread: z.number().int() }) } },
      async handler({ res, principal }) {
        res.json(unreadCountJson(await unreadCount(db, principal.userId)));
      },
    }),
    route({
      method: 'post',
      path: '/api/inbox/:id/read',
      operationId: 'markDeliveryRead',
      summary: 'Mark one of the caller’s deliveries read (the first reading time stays)',
      tag: 'inbox',
      access: [...ANYONE],
      params: deliveryParams,
      responses: { 200: { description: 'the delivery', schema: deliverySchema }, 404: { description: 'no such delivery of the caller’s' } },
      async handler({ res, params, principal }) {
        const row = await markRead(db, principal.userId, params.id);
        if (!row) throw problems.notFound('delivery');
        res.json(deliveryJson(row));
      },
    }),
    route({
      method: 'post',
      path: '/api/inbox/read-all',
      operationId: 'markAllDeliveriesRead',
      summary: 'Mark every delivery of the caller’s read',
      tag: 'inbox',
      access: [...ANYONE],
      responses: { 200: { description: 'how many were marked', schema: z.object({ marked: z.number().int(), unread: z.number().int() }) } },
      async handler({ res, principal }) {
        const marked = await markAllRead(db, principal.userId);
        res.json(readAllJson(marked, await unreadCount(db, principal.userId)));
      },
    }),
  ];
}
