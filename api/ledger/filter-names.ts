/**
 * Names for the ids a ledger's filters carry, written in its header rows. A name is looked up
 * only within the caller's reach: an id from elsewhere is written as it was sent, so the header
 * never tells the name of something the caller could not see.
 */
import { and, eq, like, or, sql } from 'drizzle-orm';
import type { Principal } from '../../auth/principal';
import type { Database } from '../../db/client';
import { enterpriseScope, prefixPattern } from '../../db/hazard-queries';
import { campaigns, enterprises, regions, users } from '../../db/schema';

export class FilterNames {
  constructor(
    private readonly db: Database,
    private readonly p: Principal,
  ) {}

  async enterprise(id: string): Promise<string> {
    const [row] = await this.db.select({ name: enterprises.name }).from(enterprises).where(and(eq(enterprises.id, id), enterpriseScope(this.p)));
    return row?.name ?? id;
  }

  async region(id: string): Promise<string> {
    const [row] = await this.db.select({ name: regions.name }).from(regions).where(and(eq(regions.id, id), like(regions.path, prefixPattern(this.p.regionPath))));
    return row?.name ?? id;
  }

  /** A responsible leader (包联领导) of an enterprise within reach. */
  async leader(id: string): Promise<string> {
    const [row] = await this.db
      .select({ name: users.displayName })
      .from(users)
      .where(and(eq(users.id, id), sql`exists (select 1 from ${enterprises} e where e.responsible_leader_id = ${users.id} and ${like(sql`e.region_path`, prefixPattern(this.p.regionPath))})`));
    return row?.name ?? id;
  }

  /** A person placed within reach, by user name. */
  async person(username: string): Promise<string> {
    const [row] = await this.db
      .select({ name: users.displayName })
      .from(users)
      .innerJoin(regions, eq(regions.id, users.regionId))
      .where(and(eq(users.username, username), like(regions.path, prefixPattern(this.p.regionPath))));
    return row?.name ?? username;
  }

  /** A campaign of the caller's jurisdiction, of one above it, or of one below. */
  async campaign(id: string): Promise<string> {
    const [row] = await this.db
      .select({ name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.id, id), or(like(campaigns.regionPath, prefixPattern(this.p.regionPath)), sql`${this.p.regionPath} like ${campaigns.regionPath} || '%'`)));
    return row?.name ?? id;
  }
}
