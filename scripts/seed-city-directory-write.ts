/**
 * Writes the city's directory and its campaign in one transaction, each new row with its record
 * in the administrative audit chain (as db/directory.ts records what an admin creates), so the
 * directory is either wholly there or not at all. Rows already there are left as they are.
 */
import type pg from 'pg';
import type { AdminChange } from '../db/admin-audit';
import { adminEvents, auditHeads, campaigns, enterprises, regions, userPosts, users } from '../db/schema';
import type { CityDirectory } from './seed-city-directory';
import { adminAuditRows, insertRows } from './seed-city-write';

export interface CampaignPlan {
  id: string;
  name: string;
  cutoff: string;
  target: string;
  /** The seed's now: later runs read it back from here. */
  createdAt: Date;
}

const ACTOR = 'seed';

export async function writeDirectory(client: pg.ClientBase, city: CityDirectory, campaign: CampaignPlan, createdAt: Date, demoHash: string | null): Promise<number> {
  const changes: Array<AdminChange & { occurredAt: Date }> = [];
  const change = (action: string, subjectType: string, subjectId: string, data: Record<string, unknown>) =>
    changes.push({ actor: ACTOR, action, subjectType, subjectId, data, occurredAt: createdAt });
  await client.query('begin');
  try {
    // One chain for the whole system: appends take turns on the lock db/admin-audit.ts takes.
    await client.query(`select pg_advisory_xact_lock(hashtext('duban.admin_events'))`);
    const newRegions = new Set(
      await insertRows(
        client,
        regions,
        city.regions.map((r) => ({ id: r.id, name: r.name, level: r.level, parentId: r.parentId, path: r.path, agencyShortName: r.agencyShortName, createdAt })),
        { returning: 'id' },
      ),
    );
    for (const r of city.regions) if (newRegions.has(r.id)) change('region.created', 'region', r.id, { id: r.id, name: r.name, level: r.level, parentId: r.parentId ?? undefined, path: r.path });

    const userRow = (u: CityDirectory['users'][number]) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      regionId: u.regionId,
      enterpriseId: u.enterpriseId,
      passwordHash: u.demoLogin ? demoHash : null,
      createdAt,
    });
    const staff = city.users.filter((u) => u.role !== 'enterprise');
    const newStaff = new Set(await insertRows(client, users, staff.map(userRow), { returning: 'id' }));
    const newEnterprises = new Set(
      await insertRows(
        client,
        enterprises,
        city.enterprises.map((e) => ({
          id: e.id,
          name: e.name,
          creditCode: e.creditCode,
          regionId: e.regionId,
          regionPath: e.regionPath,
          industry: e.industry.name,
          responsibleLeaderId: e.responsibleLeaderId,
          responsiblePerson: e.responsiblePerson,
          createdAt,
        })),
        { returning: 'id' },
      ),
    );
    const contacts = city.users.filter((u) => u.role === 'enterprise');
    const newContacts = new Set(await insertRows(client, users, contacts.map(userRow), { returning: 'id' }));
    const logged = (u: CityDirectory['users'][number]) => ({ username: u.username, displayName: u.displayName, role: u.role, regionId: u.regionId, ...(u.enterpriseId ? { enterpriseId: u.enterpriseId } : {}) });
    for (const u of staff) if (newStaff.has(u.id)) change('user.created', 'user', u.id, logged(u));
    for (const e of city.enterprises) {
      if (!newEnterprises.has(e.id)) continue;
      change('enterprise.created', 'enterprise', e.id, {
        name: e.name,
        creditCode: e.creditCode,
        regionId: e.regionId,
        industry: e.industry.name,
        responsibleLeaderId: e.responsibleLeaderId,
        responsiblePerson: e.responsiblePerson,
      });
    }
    for (const u of contacts) if (newContacts.has(u.id)) change('user.created', 'user', u.id, logged(u));
    const holders = city.users.filter((u) => u.post && (newStaff.has(u.id) || newContacts.has(u.id)));
    await insertRows(client, userPosts, holders.map((u) => ({ userId: u.id, post: u.post!, assignedBy: ACTOR, assignedAt: createdAt })), { returning: 'user_id' });
    for (const u of holders) change('user.post_set', 'user', u.id, { post: u.post, before: null });

    const newCampaign = await insertRows(
      client,
      campaigns,
      [{ id: campaign.id, name: campaign.name, regionId: city.city.id, regionPath: city.city.path, cutoff: campaign.cutoff, target: campaign.target, createdBy: ACTOR, createdAt: campaign.createdAt }],
      { returning: 'id' },
    );
    if (newCampaign.length) change('campaign.created', 'campaign', campaign.id, { name: campaign.name, regionId: city.city.id, cutoff: campaign.cutoff, target: campaign.target });

    const last = await client.query<{ chain_seq: number; hash: string }>('select chain_seq, hash from admin_events order by chain_seq desc limit 1');
    const prior = last.rows[0] ? { chainSeq: last.rows[0].chain_seq, hash: last.rows[0].hash } : null;
    const audit = adminAuditRows(prior, changes);
    for (let i = 0; i < audit.events.length; i += 5_000) await insertRows(client, adminEvents, audit.events.slice(i, i + 5_000), { conflict: '' });
    if (audit.head) await insertRows(client, auditHeads, [audit.head], { conflict: 'on conflict (chain) do update set seq = excluded.seq, hash = excluded.hash, mac = excluded.mac, updated_at = excluded.updated_at' });
    await client.query('commit');
    return newRegions.size + newStaff.size + newEnterprises.size + newContacts.size + newCampaign.length + audit.events.length;
  } catch (e) {
    await client.query('rollback');
    throw e;
  }
}
