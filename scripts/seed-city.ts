/**
 * `npm run seed:city`: a city shaped like the bureau's own report, written straight into Postgres
 * in bulk — the region tree, enterprises with their 包联 leaders, people of every role, a campaign
 * (专项行动) and N hazards over the last 18 months with their audit trails and the numbered
 * instruments of their reviews and extension decisions. Rows only: no workflows are started. See README, "A city to measure on".
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { hashPassword } from '../auth/passwords';
import { useAuditKey } from '../db/audit-key';
import type { Database } from '../db/client';
import * as schema from '../db/schema';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { CITY_SIZES, planDirectory, type CitySizes } from './seed-city-directory';
import { writeDirectory, type CampaignPlan } from './seed-city-directory-write';
import { cityHazards, loadReference, SEED_MONTHS, type SeededHazard } from './seed-city-hazards';
import { INDUSTRIES } from './seed-city-names';
import { duration, Progress } from './seed-city-progress';
import { seededUuid } from './seed-city-random';
import { copyRows, hazardAuditRows } from './seed-city-write';
import { numberSeededInstruments } from './seed-city-instruments';
import { DEMO_PASSWORD } from './seed-demo';
import { rebuildFigures } from '../db/figures/fold';

export interface SeedCityOptions {
  /** The owner's (migrations') database URL: the load turns triggers off for its session. */
  url: string;
  seed: number;
  hazards: number;
  sizes: CitySizes;
  /** The seed's now; by default the first run's start (kept in the campaign row for later runs). */
  asOf?: Date;
  /** Seed even where hazards other than a city seed's exist. */
  force?: boolean;
  /** Hazards per transaction. */
  batch?: number;
  progress?: NodeJS.WriteStream | null;
  log?: (line: string) => void;
}

export interface SeedCityResult {
  asOf: Date;
  hazardsWritten: number;
  hazardsSkipped: number;
  rowsWritten: number;
  seconds: number;
  demoLogins: Array<{ username: string; role: string }>;
}

/** User names and region ids of every city seed start so: anything else is someone's real data. */
export const SEED_NAME = /^city\d+-/;

export class SeedRefused extends Error {}

type Row = Record<string, unknown>;

export async function seedCity(opts: SeedCityOptions): Promise<SeedCityResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const client = new pg.Client({ connectionString: opts.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Triggers off for this session only (summary triggers, foreign-key checks): the rows are
    // consistent by construction, and the figures are rebuilt from them at the end in one pass.
    await client.query('set session_replication_role = replica').catch((e: Error) => {
      throw new SeedRefused(`cannot turn triggers off (${e.message}): seed with the owner's DATABASE_URL, the one migrations use`);
    });
    const db = drizzle(client, { schema }) as unknown as Database;
    const foreign = await client.query<{ n: string }>(`select count(*) as n from hazards where created_by !~ '^city[0-9]+-'`);
    if (Number(foreign.rows[0]!.n) > 0 && !opts.force) {
      throw new SeedRefused(`the database holds ${foreign.rows[0]!.n} hazards that no city seed wrote; seed another database, or pass --force`);
    }

    const city = planDirectory(opts.seed, opts.sizes);
    const campaignId = seededUuid(opts.seed, 'campaign', 0);
    const existing = await client.query<{ created_at: Date }>('select created_at from campaigns where id = $1', [campaignId]);
    const asOf = existing.rows[0]?.created_at ?? opts.asOf ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const today = shanghaiDate(asOf.getTime());
    // The campaign: stock is what was found before the first of the month half a year back.
    const cutoff = `${addDays(today, -183).slice(0, 7)}-01`;
    const campaign: CampaignPlan = {
      id: campaignId,
      name: `${cutoff.slice(0, 4)}年隐患清零专项行动`,
      cutoff,
      target: `${today.slice(0, 4)}-12-31` > addDays(today, 14) ? `${today.slice(0, 4)}-12-31` : addDays(today, 60),
      createdAt: asOf,
    };
    const periodStart = addDays(today, -(SEED_MONTHS * 31));
    const directoryRows = existing.rows.length ? 0 : await writeDirectory(client, city, campaign, new Date(`${periodStart}T00:00:00+08:00`), await demoHash(city.users.some((u) => u.demoLogin)));
    if (!directoryRows) await checkSameDirectory(client, city);
    if (directoryRows) log(`directory: ${city.regions.length} regions, ${city.enterprises.length} enterprises, ${city.users.length} users, campaign ${campaign.name} (cut-off ${campaign.cutoff})`);
    else log(`directory of city ${opts.seed} already there (seeded as of ${asOf.toISOString()}): going on with its hazards`);

    const ref = await loadReference(db, INDUSTRIES.map((i) => i.name), periodStart, today);
    const progress = new Progress(opts.hazards, opts.progress === undefined ? process.stderr : opts.progress);
    const batchSize = opts.batch ?? 2_000;
    // Batches are written in order, each in one transaction: what a run left is a prefix of the hazards.
    const there = await client.query<{ n: string }>('select count(*) as n from hazards where created_by like $1', [`${city.prefix}-%`]);
    const skipped = Math.min(Number(there.rows[0]!.n), opts.hazards);
    let rows = directoryRows;
    let written = 0;
    let batch: SeededHazard[] = [];
    let writing: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      const parts = { hazards: [] as Row[], events: [] as Row[], heads: [] as Row[], notifications: [] as Row[] };
      for (const h of batch) {
        const audit = hazardAuditRows(h.plan.id, h.records);
        parts.hazards.push(h.row);
        parts.events.push(...audit.events);
        parts.heads.push(audit.head);
        parts.notifications.push(...audit.notifications);
      }
      const count = batch.length;
      batch = [];
      // The server writes the previous batch while this one is made; one in flight at a time.
      await writing;
      writing = (async () => {
        await client.query('begin');
        await copyRows(client, schema.hazards, parts.hazards);
        await copyRows(client, schema.hazardEvents, parts.events);
        await copyRows(client, schema.auditHeads, parts.heads);
        await copyRows(client, schema.notifications, parts.notifications);
        await client.query('commit');
      })().then(() => {
        written += count;
        rows += parts.hazards.length + parts.events.length + parts.heads.length + parts.notifications.length;
        progress.update(skipped + written, rows);
      });
      // Awaited before the next batch goes out; until then a failure must not count as unheard.
      writing.catch(() => undefined);
    };
    for (const hazard of cityHazards(opts.seed, opts.hazards, city, asOf.getTime(), ref)) {
      if (hazard.index < skipped) {
        // Lived again only for what later hazards depend on (repeats); the last one written must match.
        if (hazard.index === skipped - 1) await checkSameCity(client, opts.seed, hazard);
        continue;
      }
      batch.push(hazard);
      if (batch.length >= batchSize) await flush();
      // Let the connection move the batch in flight on (its COPYs go out one after the other).
      else if (batch.length % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (batch.length) await flush();
    await writing;
    progress.finish();
    // The instruments of the reviews and extension decisions: numbered in the order they were decided, city-wide per agency and year.
    const numbering = Date.now();
    const instrumentRows = await numberSeededInstruments(client, city);
    rows += instrumentRows;
    if (instrumentRows) log(`instruments: ${(instrumentRows / 2).toLocaleString('en')} reviews and extension decisions numbered in ${duration(Date.now() - numbering)}`);
    const seconds = (Date.now() - started) / 1000;
    // The triggers that keep the leaders' figures were off: count them again from the rows, once.
    const rebuilding = Date.now();
    await client.query('set session_replication_role = origin');
    if (written) await rebuildFigures(db);
    log(`figures rebuilt from the hazards and their trails in ${duration(Date.now() - rebuilding)}`);
    return {
      asOf,
      hazardsWritten: written,
      hazardsSkipped: skipped,
      rowsWritten: rows,
      seconds,
      demoLogins: city.users.filter((u) => u.demoLogin).map((u) => ({ username: u.username, role: u.role })),
    };
  } finally {
    await client.end();
  }
}

/** A run that goes on from an earlier one must make the same city: the last hazard written tells. */
async function checkSameCity(client: pg.Client, seed: number, hazard: SeededHazard): Promise<void> {
  const found = await client.query<{ created_at: Date }>('select created_at from hazards where id = $1', [hazard.plan.id]);
  if (found.rows[0]?.created_at.getTime() !== hazard.plan.registeredAt) {
    throw new SeedRefused(`city ${seed} was seeded with other arguments (--hazards, sizes): give the same ones, or seed another database`);
  }
}

/** The directory an earlier run wrote must be the one these arguments plan (sizes, seed). */
async function checkSameDirectory(client: pg.Client, city: ReturnType<typeof planDirectory>): Promise<void> {
  const found = await client.query<{ regions: number; enterprises: number; users: number }>(
    `select (select count(*)::int from regions where path like $1) as regions, (select count(*)::int from enterprises where region_path like $1) as enterprises,
            (select count(*)::int from users where username like $2) as users`,
    [`${city.city.path}%`, `${city.prefix}-%`],
  );
  const there = found.rows[0]!;
  if (there.regions !== city.regions.length || there.enterprises !== city.enterprises.length || there.users !== city.users.length) {
    throw new SeedRefused(
      `${city.prefix} was seeded with other sizes (${there.regions} regions, ${there.enterprises} enterprises, ${there.users} users there): give the same ones, or seed another database`,
    );
  }
}

/** The demo log-ins' password hash, made as the demo seed makes it. */
async function demoHash(needed: boolean): Promise<string | null> {
  return needed ? hashPassword(DEMO_PASSWORD) : null;
}

export const SEED_CITY_USAGE = `usage: npm run seed:city -- [options]   (DATABASE_URL: the owner's, as migrations use it)
  --hazards N        hazards over the last 18 months (default 480000, at most 2000000)
  --seed N           which city: another seed writes another city beside it (default 1)
  --counties N --townships N --grids N --enterprises N   the city's sizes (default the bureau's report)
  --as-of ISO        the seed's now (default: the first run's start)
  --batch N          hazards per transaction (default 2000)
  --force            seed even where hazards no city seed wrote exist
  --help             this text`;

const SEED_OPTIONS = {
  seed: { type: 'string', default: '1' },
  hazards: { type: 'string', default: '480000' },
  counties: { type: 'string', default: String(CITY_SIZES.counties) },
  townships: { type: 'string', default: String(CITY_SIZES.townships) },
  grids: { type: 'string', default: String(CITY_SIZES.grids) },
  enterprises: { type: 'string', default: String(CITY_SIZES.enterprises) },
  'as-of': { type: 'string' },
  batch: { type: 'string', default: '2000' },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The command line's options; null when only the usage was asked for. */
export function parseSeedArgs(argv: string[]): Omit<SeedCityOptions, 'url'> | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: SEED_OPTIONS });
  } catch (e) {
    // An unknown option or a missing value: say which, with the usage, not parseArgs' stack.
    throw new SeedRefused(`${(e as Error).message}\n${SEED_CITY_USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return null;
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new SeedRefused(`--${name} must be a whole number from ${min} to ${max} (not ${value})`);
    return n;
  };
  const asOf = values['as-of'] === undefined ? undefined : new Date(values['as-of']);
  if (asOf && Number.isNaN(asOf.getTime())) throw new SeedRefused(`--as-of must be an ISO date-time (not ${values['as-of']})`);
  const sizes = {
    counties: int('counties', values.counties, 1, 99),
    townships: int('townships', values.townships, 1, 2_000),
    grids: int('grids', values.grids, 1, 50_000),
    enterprises: int('enterprises', values.enterprises, 1, 999_999),
  };
  return { seed: int('seed', values.seed, 1, 999), hazards: int('hazards', values.hazards, 0, 2_000_000), sizes, asOf, force: values.force, batch: int('batch', values.batch, 1, 20_000) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseConfig, requireSetting } = await import('../config');
  try {
    const options = parseSeedArgs(process.argv.slice(2));
    if (!options) {
      console.log(SEED_CITY_USAGE);
      process.exit(0);
    }
    const config = parseConfig();
    useAuditKey(requireSetting(config, 'AUDIT_HMAC_KEY'));
    const result = await seedCity({ ...options, url: requireSetting(config, 'DATABASE_URL') });
    const per100k = result.hazardsWritten ? (result.seconds / result.hazardsWritten) * 100_000 : 0;
    console.log(
      `hazards: ${result.hazardsWritten.toLocaleString('en')} written, ${result.hazardsSkipped.toLocaleString('en')} already there; ` +
        `${result.rowsWritten.toLocaleString('en')} rows in ${duration(result.seconds * 1000)} ` +
        `(${per100k.toFixed(1)} s per 100k hazards, ${((result.seconds / Math.max(1, result.rowsWritten)) * 100_000).toFixed(1)} s per 100k rows, ` +
        `${Math.round(result.rowsWritten / result.seconds).toLocaleString('en')} rows/s)`,
    );
    console.log(`demo log-ins (password ${DEMO_PASSWORD}): ${result.demoLogins.map((u) => `${u.username} (${u.role})`).join(', ')}`);
  } catch (e) {
    console.error(e instanceof SeedRefused || (e instanceof Error && e.name === 'ConfigError') ? e.message : e);
    process.exitCode = 1;
  }
}
