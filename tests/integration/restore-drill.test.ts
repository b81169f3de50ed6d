/**
 * The restore drill of docs/operations.md, run once: pg_dump of a live duban database (custom
 * format, as the backup job takes it) → pg_restore into a fresh database → every audit chain
 * verifies there, with the same chains and rows, and an API over the restored database answers
 * the same hazard exactly as the original did. pg_dump refuses a server newer than itself and
 * the embedded Postgres ships no client tools, so the drill runs on a Postgres of its own built
 * from the system's installation (Debian's postgresql, whose pg_dump matches it; or the folder
 * DUBAN_PG_TOOLS names, holding bin/ with postgres, initdb, pg_dump and pg_restore).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { verifyAll } from '../../db/audit-verify';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { migrateDatabase } from '../../db/migrate';
import { ensureServiceLogin } from '../../db/service-login';
import { createDatabase, databaseUrl, startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/toolchain/postgres';
import type { TestDatabase } from '../support/database';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve } from '../support/http';
import { PASSWORD } from '../support/world';

const run = promisify(execFile);

/** A Postgres installation with its client tools: DUBAN_PG_TOOLS, else the newest under /usr/lib/postgresql. */
function postgresWithTools(): string {
  const given = process.env.DUBAN_PG_TOOLS;
  const candidates = given ? [given] : existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}`) : [];
  const found = candidates.find((dir) => ['postgres', 'initdb', 'pg_dump', 'pg_restore'].every((b) => existsSync(join(dir, 'bin', b))));
  if (!found) throw new Error('the restore drill needs a Postgres with pg_dump and pg_restore: install postgresql, or set DUBAN_PG_TOOLS to a folder with bin/');
  return found;
}

let h: ApiHarness;
let dir: string;
let pg: EmbeddedPostgres;
let tools: string;
const restoredName = `duban_restored_${randomBytes(5).toString('hex')}`;
let restoredOwner: DatabaseHandle | undefined;
let restoredApp: DatabaseHandle | undefined;
let serviceLogin: URL;

beforeAll(async () => {
  tools = postgresWithTools();
  dir = await mkdtemp(join(tmpdir(), 'duban-restore-'));
  // As root, Postgres runs as the `postgres` OS user: it must reach its data dir.
  await chmod(dir, 0o711);
  pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false, binaries: tools });
  await migrateDatabase(pg.url);
  serviceLogin = new URL(await ensureServiceLogin(pg.url, 'duban_drill_service', randomBytes(18).toString('hex')));
  const owner = connectDatabase(pg.url, 4);
  const app = connectDatabase(serviceLogin.toString(), 4, 'duban_app');
  const database: TestDatabase = {
    ...owner,
    url: pg.url,
    app: app.db,
    async drop() {
      await Promise.all([owner.close(), app.close()]);
    },
  };
  h = await startApiHarness('restore-drill', { database });
}, 120_000);

afterAll(async () => {
  await restoredOwner?.close();
  await restoredApp?.close();
  await h?.stop();
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('restore drill', () => {
  it('restores a pg_dump into a fresh database where the audit verifies and the API reads the same hazard', async () => {
    const sup = await h.as('supervisor-a');
    const ent = await h.as('enterprise-a');
    const created = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '备份演练隐患', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 20) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const hazardId = created.body.id as string;
    const asked = await ent('POST', `/api/hazards/${hazardId}/extensions`, { body: { requestedDeadline: addDays(shanghaiDate(Date.now()), 25), reason: '设备到货延迟' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const original = await sup('GET', `/api/hazards/${hazardId}`);
    expect(original.status).toBe(200);
    const before = await verifyAll(h.database.db);
    expect(before.ok).toBe(true);

    // The backup: pg_dump in custom format with the server's own version of the tools.
    const bin = join(tools, 'bin');
    const file = join(dir, 'duban.dump');
    await run(join(bin, 'pg_dump'), ['--format=custom', '--file', file, '--dbname', h.database.url]);
    expect((await stat(file)).size).toBeGreaterThan(0);

    // The restore: a fresh, empty database; roles are the cluster's (duban_app exists there).
    await createDatabase(pg.url, restoredName);
    const restoredUrl = databaseUrl(pg.url, restoredName);
    await run(join(bin, 'pg_restore'), ['--exit-on-error', '--dbname', restoredUrl, file]);

    restoredOwner = connectDatabase(restoredUrl, 2);
    const after = await verifyAll(restoredOwner.db);
    expect(after.ok, JSON.stringify(after.firstBreak)).toBe(true);
    expect({ chains: after.chainsChecked, rows: after.rowsChecked }).toEqual({ chains: before.chainsChecked, rows: before.rowsChecked });
    expect(after.checkpoint?.digest).toBe(before.checkpoint?.digest);

    // The API over the restored database, as the service login: the same hazard, the same answer.
    const service = new URL(restoredUrl);
    service.username = serviceLogin.username;
    service.password = serviceLogin.password;
    restoredApp = connectDatabase(service.toString(), 2, 'duban_app');
    const http = await serve(createApp({ ...h.deps, db: restoredApp.db }));
    try {
      const login = await http.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: PASSWORD } });
      expect(login.status).toBe(200);
      const read = await http.request('GET', `/api/hazards/${hazardId}`, { token: login.body.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(original.body);
    } finally {
      await http.close();
    }
  }, 120_000);
});
