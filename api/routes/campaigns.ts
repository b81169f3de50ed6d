/**
 * Campaigns (专项行动) and their stock burn-down (存量清零). Admins define campaigns within their
 * jurisdiction; supervisors, leaders and admins see those whose region covers theirs or lies
 * within it, and the figures of their own part only. Enterprise users are refused: the figures
 * are a jurisdiction's, not an enterprise's (their own hazards are in their ledger).
 */
import type { Principal } from '../../auth/principal';
import { readBurndown, type Burndown } from '../../db/campaign-burndown';
import { createCampaign, findCampaign, listCampaigns, type CampaignRow, type CampaignView } from '../../db/campaigns';
import { shanghaiDate } from '../../domain/shanghai-time';
import type { Database } from '../../db/client';
import type { AppDeps } from '../app';
import { peopleIn } from '../people';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { burndownQuery, createCampaignBody } from '../schemas/campaign';
import { uuidParams } from '../schemas/directory';

const JURISDICTION_ROLES = ['supervisor', 'leader', 'admin'] as const;

export const campaignJson = (c: CampaignView) => ({ ...c, createdAt: c.createdAt.toISOString() });

/** The campaigns list: each campaign, with the display name of whoever defined it in `people`. */
export async function campaignListJson(db: Database, rows: CampaignView[]) {
  const items = rows.map(campaignJson);
  return { items, people: await peopleIn(db, items) };
}

/** A campaign's burn-down as of a day: the campaign, and the figures of the caller's part of it. */
export const campaignBurndownJson = (campaign: CampaignView, burndown: Burndown) => ({ campaign: campaignJson(campaign), ...burndown });

/** The part of the campaign the caller sees: its whole region, or the caller's node within it. */
const scopeOf = (principal: Principal, campaign: CampaignRow) =>
  principal.regionPath.startsWith(campaign.regionPath) ? principal.regionPath : campaign.regionPath;

export function campaignRoutes({ db, clock, temporal, hazards, log }: AppDeps): RouteSpec[] {
  /** Takes the new campaign's snapshots now rather than at the schedule's next hour; the schedule catches up if this fails. */
  function snapshotSoon(campaignId: string): void {
    temporal.workflow
      .start('campaignSnapshotWorkflow', { taskQueue: hazards.taskQueue, workflowId: `campaign-snapshots-${campaignId}`, workflowIdConflictPolicy: 'USE_EXISTING' })
      .catch((err: unknown) => log.warn({ err, campaignId }, 'first snapshot of a new campaign not started; the schedule takes it'));
  }

  return [
    route({
      method: 'post',
      path: '/api/campaigns',
      operationId: 'createCampaign',
      summary: 'Define a campaign (专项行动) for a region within the admin’s jurisdiction: its cut-off and target dates',
      tag: 'campaigns',
      access: ['admin'],
      body: createCampaignBody,
      responses: { 201: { description: 'created' }, 400: { description: 'invalid field (dates, target not after cut-off)' }, 422: { description: 'no such region within your jurisdiction' } },
      async handler({ res, body, principal }) {
        const row = await createCampaign(db, principal.username, principal.regionPath, body);
        if (!row) throw problems.unprocessable('no such region within your jurisdiction', [{ field: 'regionId', message: 'no such region within your jurisdiction' }], 'unknown-region');
        snapshotSoon(row.id);
        res.status(201).location(`/api/campaigns/${row.id}`).json(campaignJson(row));
      },
    }),
    route({
      method: 'get',
      path: '/api/campaigns',
      operationId: 'listCampaigns',
      summary: 'Campaigns whose region covers the caller’s or lies within it, latest cut-off first',
      tag: 'campaigns',
      access: JURISDICTION_ROLES,
      responses: { 200: { description: 'campaigns' } },
      async handler({ res, principal }) {
        res.json(await campaignListJson(db, await listCampaigns(db, principal.regionPath)));
      },
    }),
    route({
      method: 'get',
      path: '/api/campaigns/:id',
      operationId: 'getCampaign',
      summary: 'One campaign seen by the caller',
      tag: 'campaigns',
      access: JURISDICTION_ROLES,
      params: uuidParams,
      responses: { 200: { description: 'the campaign' }, 404: { description: 'no such campaign seen by the caller' } },
      async handler({ res, params, principal }) {
        const row = await findCampaign(db, principal.regionPath, params.id);
        if (!row) throw problems.notFound('campaign');
        res.json(campaignJson(row));
      },
    }),
    route({
      method: 'get',
      path: '/api/campaigns/:id/burndown',
      operationId: 'getCampaignBurndown',
      summary:
        'The stock burn-down (存量清零) as of a day: stock and new open, closed, voided and overdue, by region one level below or by responsible leader, with the series since the cut-off',
      tag: 'campaigns',
      access: JURISDICTION_ROLES,
      params: uuidParams,
      query: burndownQuery,
      responses: {
        200: { description: 'the figures, when they were computed, and whether the as-of day is still provisional' },
        404: { description: 'no such campaign seen by the caller' },
        422: { description: 'as-of day before the cut-off or after today' },
      },
      async handler({ res, params, query, principal }) {
        const campaign = await findCampaign(db, principal.regionPath, params.id);
        if (!campaign) throw problems.notFound('campaign');
        const today = shanghaiDate(clock());
        // Before a cut-off still to come there is nothing to count yet: the answer is empty, not an error.
        const asOf = query.asOf ?? (today < campaign.cutoff ? campaign.cutoff : today);
        if (asOf < campaign.cutoff) throw problems.unprocessable('the burn-down begins on the cut-off day', [{ field: 'query.asOf', message: `must be on or after the cut-off ${campaign.cutoff}` }]);
        if (asOf > today && query.asOf !== undefined) throw problems.unprocessable('figures are not known for days to come', [{ field: 'query.asOf', message: `must be on or before today ${today}` }]);
        const burndown = await readBurndown(db, campaign, scopeOf(principal, campaign), asOf, query.by);
        res.json(campaignBurndownJson(campaign, burndown));
      },
    }),
  ];
}
