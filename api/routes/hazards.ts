/** Hazards: register (starts the workflow), read, list, submit rectification, review. */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { HazardRow } from '../../db/hazard-queries';
import {
  decodeCursor,
  enterpriseExists,
  findHazard,
  hazardNotifications,
  hazardTimeline,
  listHazards,
} from '../../db/hazard-queries';
import { isOverdue } from '../../domain/hazard-lifecycle';
import { DEFAULT_POLICIES, MAX_OFFSET_DAYS } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { requireActor } from '../middleware/actor';
import { problems } from '../problem';
import { createHazardBody, listHazardsQuery, reviewBody, submissionBody } from '../schemas/hazard';
import { parseInput } from '../validate';
import type { AppDeps } from '../app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function hazardJson(row: HazardRow, now: number) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    title: row.title,
    description: row.description,
    category: row.category,
    source: row.source,
    location: row.location,
    legalBasis: row.legalBasis,
    requiredMeasures: row.requiredMeasures,
    grade: row.grade,
    status: row.status,
    round: row.round,
    deadline: row.deadline,
    dueAt: row.dueAt.toISOString(),
    overdue: isOverdue(row, now),
    overdueSince: row.overdueSince?.toISOString() ?? null,
    escalationLevel: row.escalationLevel,
    next: row.nextStepKind && row.nextStepAt ? { kind: row.nextStepKind, at: row.nextStepAt.toISOString() } : null,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function hazardRoutes({ db, hazards: gateway, clock }: AppDeps): Router {
  const router = Router();

  async function load(id: unknown): Promise<HazardRow> {
    const row = typeof id === 'string' && UUID.test(id) ? await findHazard(db, id) : null;
    if (!row) throw problems.notFound('hazard');
    return row;
  }

  async function detail(row: HazardRow) {
    const [timeline, notices] = await Promise.all([hazardTimeline(db, row.id), hazardNotifications(db, row.id)]);
    return {
      ...hazardJson(row, clock()),
      policy: row.policy,
      timeline: timeline.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      notifications: notices.map((n) => ({ ...n, scheduledAt: n.scheduledAt.toISOString() })),
    };
  }

  router.post('/', requireActor, async (req, res) => {
    const body = parseInput(createHazardBody, req.body, 'body');
    const today = shanghaiDate(clock());
    if (body.deadline < today) {
      throw problems.unprocessable('the deadline cannot be in the past', [{ field: 'deadline', message: `must be ${today} or later` }]);
    }
    if (body.deadline > addDays(today, MAX_OFFSET_DAYS)) {
      throw problems.unprocessable('the deadline is too far away', [{ field: 'deadline', message: 'must be within a year' }]);
    }
    if (!(await enterpriseExists(db, body.enterpriseId))) {
      throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise' }]);
    }
    const { enterpriseId, grade, deadline, policy, ...details } = body;
    const hazardId = randomUUID();
    await gateway.start({
      hazard: { hazardId, enterpriseId, grade, deadline, policy: policy ?? DEFAULT_POLICIES[grade] },
      registration: { ...details, createdBy: req.actor! },
    });
    const row = await load(hazardId);
    res.status(201).location(`${req.baseUrl}/${hazardId}`).json(await detail(row));
  });

  router.get('/', async (req, res) => {
    const q = parseInput(listHazardsQuery, req.query, 'query');
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (after === null) throw problems.invalid([{ field: 'query.cursor', message: 'not a cursor from this list' }]);
    const now = clock();
    const page = await listHazards(db, q, { limit: q.limit, after }, new Date(now));
    res.json({ items: page.items.map((r) => hazardJson(r, now)), total: page.total, nextCursor: page.nextCursor });
  });

  router.get('/:id', async (req, res) => {
    res.json(await detail(await load(req.params.id)));
  });

  router.post('/:id/submissions', requireActor, async (req, res) => {
    const row = await load(req.params.id);
    const body = parseInput(submissionBody, req.body, 'body');
    if (row.status === 'closed') throw problems.conflict('the hazard is closed');
    await gateway.submitRectification(row.id, { ...body, by: req.actor! });
    res.json(await detail(await load(row.id)));
  });

  router.post('/:id/reviews', requireActor, async (req, res) => {
    const row = await load(req.params.id);
    const body = parseInput(reviewBody, req.body, 'body');
    if (row.status === 'closed') throw problems.conflict('the hazard is closed');
    await gateway.review(row.id, { ...body, by: req.actor! });
    res.json(await detail(await load(row.id)));
  });

  return router;
}
