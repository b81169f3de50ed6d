/**
 * How people are told: each person's own preferences (channels beyond the inbox, addresses, quiet
 * hours, a daily digest), which an admin may read for people within their jurisdiction; and what
 * became of an item's notifications, per person and channel, with every try (the item's timeline).
 */
import { and, eq, inArray, like } from 'drizzle-orm';
import { z } from 'zod';
import { deliveriesOfItem } from '../../db/delivery-dispatch';
import { prefixPattern } from '../../db/hazard-queries';
import { findNotice } from '../../db/notice-queries';
import { preferencesOf, setPreferences } from '../../db/outbox';
import { regions, users } from '../../db/schema';
import type { ExternalChannel } from '../../domain/delivery-rules';
import type { Database } from '../../db/client';
import type { AppDeps } from '../app';
import { hazardReader } from '../hazard-reader';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { uuidParams } from '../schemas/directory';
import { itemDeliverySchema, preferencesBody, preferencesSchema } from '../schemas/notifications';

const ANYONE = ['supervisor', 'enterprise', 'leader', 'admin'] as const;
/** An item's deliveries name government people: not for enterprises, who see their own inbox. */
const INTERNAL = ['supervisor', 'leader', 'admin'] as const;

/** A person's notification preferences (the defaults until set) and the channels this system can send on. */
export async function preferencesAnswer(db: Database, userId: string, available: ExternalChannel[]) {
  const p = await preferencesOf(db, userId);
  return { userId, ...p, available, updatedAt: p.updatedAt?.toISOString() ?? null };
}

/** What became of an item's notifications: each delivery with its person, state and every try, oldest first. */
export async function itemDeliveriesJson(db: Database, subjectType: 'hazard' | 'notice', id: string) {
  const rows = await deliveriesOfItem(db, subjectType, id);
  const ids = [...new Set(rows.map((r) => r.delivery.userId))];
  const people = ids.length ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids)) : [];
  const names = new Map(people.map((u) => [u.id, u.displayName]));
  return {
    items: rows.map(({ delivery: d, attempts }) => ({
      id: d.id,
      stepKey: d.stepKey,
      kind: d.kind,
      channel: d.channel,
      person: { userId: d.userId, displayName: names.get(d.userId) ?? '' },
      state: d.state,
      scheduledAt: d.scheduledAt.toISOString(),
      notBefore: d.notBefore.toISOString(),
      sentAt: d.sentAt?.toISOString() ?? null,
      skipReason: d.skipReason,
      lastError: d.lastError,
      attempts: attempts.map((a) => ({ attempt: a.attempt, outcome: a.outcome, error: a.error, startedAt: a.startedAt.toISOString(), finishedAt: a.finishedAt?.toISOString() ?? null })),
    })),
  };
}

export function notificationRoutes({ db, clock, notifyChannels = [] }: AppDeps): RouteSpec[] {
  const hazards = hazardReader(db, clock);
  const available: ExternalChannel[] = [...notifyChannels];
  const preferencesJson = (userId: string) => preferencesAnswer(db, userId, available);
  const itemJson = (subjectType: 'hazard' | 'notice', id: string) => itemDeliveriesJson(db, subjectType, id);
  const itemList = z.object({ items: z.array(itemDeliverySchema) });

  return [
    route({
      method: 'get',
      path: '/api/notification-preferences',
      operationId: 'getMyNotificationPreferences',
      summary: 'How the caller is told: channels beyond the inbox, addresses, quiet hours, daily digest; and which channels are configured',
      tag: 'inbox',
      access: [...ANYONE],
      responses: { 200: { description: 'the caller’s preferences (the defaults until set)', schema: preferencesSchema } },
      async handler({ res, principal }) {
        res.json(await preferencesJson(principal.userId));
      },
    }),
    route({
      method: 'put',
      path: '/api/notification-preferences',
      operationId: 'setMyNotificationPreferences',
      summary: 'Set how the caller is told; later notifications follow it',
      tag: 'inbox',
      access: [...ANYONE],
      body: preferencesBody,
      responses: {
        200: { description: 'the caller’s preferences now', schema: preferencesSchema },
        400: { description: 'a channel without the address it needs, quiet hours half given, a malformed address' },
        422: { description: 'a channel this installation does not send on' },
      },
      async handler({ res, body, principal }) {
        const off = body.channels.find((c) => !available.includes(c));
        if (off) {
          const message = `${off} is not configured on this installation (available: ${available.join(', ') || 'none'})`;
          throw problems.unprocessable(message, [{ field: 'channels', message }]);
        }
        await setPreferences(db, principal.userId, body, principal.username);
        res.json(await preferencesJson(principal.userId));
      },
    }),
    route({
      method: 'get',
      path: '/api/users/:id/notification-preferences',
      operationId: 'getUserNotificationPreferences',
      summary: 'How a person within the jurisdiction is told (read only: each person sets their own)',
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      responses: { 200: { description: 'the person’s preferences', schema: preferencesSchema }, 404: { description: 'no such user within jurisdiction' } },
      async handler({ res, params, principal }) {
        const [user] = await db
          .select({ id: users.id })
          .from(users)
          .innerJoin(regions, eq(regions.id, users.regionId))
          .where(and(eq(users.id, params.id), like(regions.path, prefixPattern(principal.regionPath))));
        if (!user) throw problems.notFound('user');
        res.json(await preferencesJson(user.id));
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/deliveries',
      operationId: 'listHazardDeliveries',
      summary: 'What became of the hazard’s notifications: per person and channel, pending, sent, failed or skipped (and why), with every try',
      tag: 'hazards',
      access: [...INTERNAL],
      params: uuidParams,
      responses: { 200: { description: 'the deliveries, oldest first', schema: itemList }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, principal }) {
        const row = await hazards.load(principal, params.id);
        res.json(await itemJson('hazard', row.id));
      },
    }),
    route({
      method: 'get',
      path: '/api/notices/:id/deliveries',
      operationId: 'listNoticeDeliveries',
      summary: 'What became of the notice’s notifications: per person and channel, with every try',
      tag: 'notices',
      access: [...INTERNAL],
      params: uuidParams,
      responses: { 200: { description: 'the deliveries, oldest first', schema: itemList }, 404: { description: 'no such notice within reach' } },
      async handler({ res, params, principal }) {
        const row = await findNotice(db, principal, params.id);
        if (!row) throw problems.notFound('notice');
        res.json(await itemJson('notice', row.id));
      },
    }),
  ];
}
