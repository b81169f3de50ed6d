/**
 * A hazard recorded through the real activity, with people who chose channels: notification steps
 * are recorded as the workflow records them, and the outbox is read back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { createActivities } from '../../activities';
import type { HazardStepRecord } from '../../activities/hazard-records';
import type { Database } from '../../db/client';
import { createEnterprise, createUser } from '../../db/directory';
import { setPreferences } from '../../db/outbox';
import { deliveries, deliveryAttempts } from '../../db/schema';
import { DEFAULT_PREFERENCES, type Preferences } from '../../domain/delivery-rules';
import { initialState } from '../../domain/hazard-lifecycle';
import { snapshotOf } from '../../domain/hazard-view';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { insertRegionChain } from './fixtures';

export interface OutboxCase {
  hazardId: string;
  workflowId: string;
  enterpriseUser: string;
  leader: string;
  /** Records a notification step of the hazard (the activity the workflow runs). */
  notify(stepKey: string, kind: 'reminder' | 'escalation', recipientRole: NonNullable<HazardStepRecord['notification']>['recipientRole'], message: string, at: number): Promise<void>;
  outbox(): Promise<Array<typeof deliveries.$inferSelect>>;
  attemptsOf(deliveryId: number): Promise<Array<typeof deliveryAttempts.$inferSelect>>;
}

/** One enterprise with one contact and a 包联 leader, each with the preferences given, and a hazard registered. */
export async function outboxCase(
  db: Database,
  prefs: { enterprise?: Partial<Preferences>; leader?: Partial<Preferences> },
  /** The grid the enterprise is in (a fresh region chain unless given). */
  gridId?: string,
): Promise<OutboxCase> {
  const s = randomBytes(3).toString('hex');
  const grid = gridId ?? (await insertRegionChain(db)).grid.id;
  const leader = await createUser(db, 'fixture', { username: `leader-${s}`, displayName: `包联领导${s}`, role: 'leader', regionId: grid, enterpriseId: null, passwordHash: null });
  const enterprise = await createEnterprise(db, 'fixture', { name: `测试企业${s}`, creditCode: `91${randomBytes(8).toString('hex').toUpperCase()}`, regionId: grid, industry: '危险化学品', responsibleLeaderId: leader.id });
  const contact = await createUser(db, 'fixture', { username: `contact-${s}`, displayName: `安全员${s}`, role: 'enterprise', regionId: grid, enterpriseId: enterprise.id, passwordHash: null });
  if (prefs.enterprise) await setPreferences(db, contact.id, { ...DEFAULT_PREFERENCES, ...prefs.enterprise }, 'fixture');
  if (prefs.leader) await setPreferences(db, leader.id, { ...DEFAULT_PREFERENCES, ...prefs.leader }, 'fixture');

  const { recordHazardStep } = createActivities({ db });
  const hazardId = randomUUID();
  const workflowId = `hazard-${hazardId}`;
  const now = Date.now();
  const state = initialState({ hazardId, enterpriseId: enterprise.id, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: addDays(shanghaiDate(now), 10) }, now);
  const snapshot = snapshotOf(state, now);
  await recordHazardStep({
    hazardId,
    workflowId,
    stepKey: 'round-0/registered',
    event: { type: 'registered', actor: 'inspector-li', occurredAt: now, data: {} },
    snapshot,
    registration: {
      enterpriseId: enterprise.id,
      grade: 'general',
      policy: DEFAULT_POLICIES.general,
      title: '消防通道堵塞',
      description: '',
      category: '消防安全',
      source: 'grid_patrol',
      location: '',
      legalBasis: '',
      requiredMeasures: '',
      createdBy: 'inspector-li',
    },
  });
  return {
    hazardId,
    workflowId,
    enterpriseUser: contact.id,
    leader: leader.id,
    async notify(stepKey, kind, recipientRole, message, at) {
      const record: HazardStepRecord = {
        hazardId,
        workflowId,
        stepKey,
        event: { type: kind === 'reminder' ? 'reminded' : 'escalated', actor: 'system', occurredAt: at, data: kind === 'escalation' ? { level: 1 } : {} },
        snapshot: { ...snapshot, seq: snapshot.seq + 1 },
        notification: { kind, recipientRole, level: kind === 'escalation' ? 1 : null, message, scheduledAt: at },
      };
      await recordHazardStep(record);
    },
    outbox: () => db.select().from(deliveries).where(eq(deliveries.workflowId, workflowId)).orderBy(asc(deliveries.id)),
    attemptsOf: (id) => db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(asc(deliveryAttempts.attempt)),
  };
}
