/**
 * What every benchmark stands on: a Postgres and a Temporal server (the given ones, from
 * DATABASE_URL / TEMPORAL_ADDRESS, or throwaway ones started here: the dev server on SQLite, or
 * the production server on Postgres as docker-compose runs it), a migrated database with an
 * audit key, one region and enterprise to work in, and a place for the JSON result. `stops` are
 * run in reverse by `close()`, whatever happened.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useAuditKey } from '../db/audit-key';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { createEnterprise, createRegion } from '../db/directory';
import { migrateDatabase } from '../db/migrate';
import { PG_PASSWORD, PG_USER, startEmbeddedPostgres } from '../scripts/toolchain/postgres';
import { startTemporalCluster } from '../scripts/toolchain/temporal-cluster';
import { ensureTemporalServer } from '../scripts/toolchain/temporal-server';
import { obtainDevServer } from '../scripts/toolchain/temporal-servers';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export const say = (m: string) => console.error(`[bench] ${m}`);

/** Which Temporal server a benchmark starts when none is given. */
export type TemporalKind = 'dev' | 'production';

export function temporalKindOf(value: string | undefined): TemporalKind {
  if (value === undefined || value === 'dev' || value === 'production') return value ?? 'dev';
  throw new Error(`--server dev or production, not ${value}`);
}

export const describeServer = (kind: TemporalKind) => (kind === 'dev' ? 'dev server (SQLite)' : 'production Temporal server (Postgres)');

export interface BenchServers {
  /** A scratch folder of this run (removed on close). */
  work: string;
  dbUrl: string;
  temporalAddress: string;
  database: DatabaseHandle;
  stamp: number;
  regionId: string;
  enterpriseId: string;
  stops: Array<() => Promise<void>>;
  close(): Promise<void>;
}

export async function benchServers(poolSize: number, temporal: TemporalKind = 'dev'): Promise<BenchServers> {
  // The bench's own database: a key of its own unless one is given.
  useAuditKey(process.env.AUDIT_HMAC_KEY ?? randomBytes(32).toString('hex'));
  const work = await mkdtemp(join(tmpdir(), 'duban-bench-'));
  // Embedded Postgres runs as the `postgres` user when we are root: it must pass through.
  await chmod(work, 0o711);
  const stops: Array<() => Promise<void>> = [async () => rm(work, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    // The production server keeps its state in databases of its own, made in a cluster started here.
    const clusterHere = !temporalAddress && temporal === 'production';
    const pg = !process.env.DATABASE_URL || clusterHere ? await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false, log: say }) : null;
    if (pg) stops.push(pg.stop);
    const dbUrl = process.env.DATABASE_URL || pg!.url;
    if (pg && clusterHere) {
      const cluster = await startTemporalCluster({
        binaries: await ensureTemporalServer(say),
        postgres: { host: '127.0.0.1', port: pg.port, user: PG_USER, password: PG_PASSWORD },
        dir: join(work, 'temporal'),
        searchAttributes: { ...SEARCH_ATTRIBUTES },
        log: say,
      });
      stops.push(cluster.stop);
      temporalAddress = cluster.address;
    } else if (!temporalAddress) {
      const dev = await obtainDevServer({ searchAttributes: { ...SEARCH_ATTRIBUTES }, log: say });
      stops.push(dev.stop);
      temporalAddress = dev.address;
    }
    await migrateDatabase(dbUrl);
    const database = connectDatabase(dbUrl, poolSize);
    stops.push(database.close);
    const stamp = Date.now();
    const region = await createRegion(database.db, 'bench', { id: `bench-${stamp}`, name: '基准市', level: 'city' });
    const enterprise = await createEnterprise(database.db, 'bench', { name: '基准测试企业', creditCode: `BENCH${stamp}`, regionId: region.id });
    return { work, dbUrl, temporalAddress, database, stamp, regionId: region.id, enterpriseId: enterprise.id, stops, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Writes bench/results/<name>-<time>.json, says where and gives the file. */
export async function writeResult(name: string, result: object): Promise<string> {
  const dir = fileURLToPath(new URL('./results', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  console.log(`result written to ${file}`);
  return file;
}
