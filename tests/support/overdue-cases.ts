/**
 * Cases whose clocks fired before anyone looked: a general hazard of enterprise A five days past
 * its deadline (its escalations catch up at once) and a suspension of enterprise A whose planned
 * end passed (its review-overdue step fires at once). Started through the gateways, as the API
 * does after its checks (the API refuses past dates, as it should).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from './api-harness';
import { until } from './private-servers';

const today = () => shanghaiDate(Date.now());

/** A hazard of enterprise A past its deadline; answers once its escalations up to `level` are recorded. */
export async function overdueHazard(h: ApiHarness, title: string, level = 2): Promise<string> {
  const hazardId = randomUUID();
  await h.gateway.start({
    hazard: { hazardId, enterpriseId: h.world.enterpriseA, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: addDays(today(), -5), assignment: { supervisor: 'supervisor-a', enterpriseContact: null, delegate: null } },
    registration: { title, description: '', category: '危险化学品', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'supervisor-a' },
  });
  const sup = await h.as('supervisor-a');
  await until(
    `hazard ${hazardId} escalated to level ${level}`,
    async () => {
      const res = await sup('GET', `/api/hazards/${hazardId}`);
      return res.status === 200 && res.body.timeline.some((e: { type: string; data: { level?: number } }) => e.type === 'escalated' && e.data.level === level) ? true : undefined;
    },
    30_000,
  );
  return hazardId;
}

/** A suspension of enterprise A whose planned end has passed; answers once its review is recorded overdue. */
export async function overdueSuspension(h: ApiHarness, documentNumber: string): Promise<string> {
  const suspensionId = randomUUID();
  await h.deps.suspensions.start({
    suspension: {
      suspensionId,
      enterpriseId: h.world.enterpriseA,
      hazardId: null,
      origin: null,
      documentNumber,
      reason: '重大事故隐患逾期未整改',
      scope: 'full',
      scopeNote: '',
      startsOn: addDays(today(), -40),
      plannedEnd: addDays(today(), -2),
      maxDays: 183,
      orderedBy: 'supervisor-a',
    },
  });
  const sup = await h.as('supervisor-a');
  await until(
    `suspension ${suspensionId} review overdue`,
    async () => {
      const res = await sup('GET', `/api/suspensions/${suspensionId}`);
      return res.status === 200 && res.body.reviewOverdue ? true : undefined;
    },
    30_000,
  );
  return suspensionId;
}
