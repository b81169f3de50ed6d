/**
 * Real servers for the test run: a Postgres (the given one, or an embedded one started here),
 * a migrated template database that each test file clones, a Temporal dev server, the
 * time-skipping test server's binary, and one prebuilt workflow bundle.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { useAuditKey } from '../../db/audit-key';
import { migrateDatabase } from '../../db/migrate';
import { ensureServiceLogin } from '../../db/service-login';
import { createDatabase, databaseUrl, dropDatabase, startEmbeddedPostgres } from '../../scripts/toolchain/postgres';
import { obtainDevServer, testServerExecutable, type ServerExecutable } from '../../scripts/toolchain/temporal-servers';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { WORKFLOWS_PATH } from '../../temporal/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    serviceLogin: { user: string; password: string };
    temporalAddress: string;
    testServer: ServerExecutable;
    workflowBundlePath: string;
    /** The run's audit key: the template's rows are keyed with it, and so is every test file's. */
    auditKey: string;
  }
}

const say = (msg: string) => console.log(`[test servers] ${msg}`);

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  const workDir = await mkdtemp(join(tmpdir(), 'duban-test-'));
  // Embedded Postgres runs as the `postgres` user when we are root: it must pass through.
  await chmod(workDir, 0o711);
  stops.push(() => rm(workDir, { recursive: true, force: true }));

  const testServer = await testServerExecutable(say);

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), persistent: false, log: say });
    stops.push(pg.stop);
    adminUrl = pg.url;
  }
  const templateDatabase = `duban_test_template_${process.pid}`;
  await createDatabase(adminUrl, templateDatabase);
  stops.push(() => dropDatabase(adminUrl, templateDatabase));
  const auditKey = randomBytes(32).toString('base64url');
  useAuditKey(auditKey);
  await migrateDatabase(databaseUrl(adminUrl, templateDatabase));
  // The application connects as a login that is only a member of the app role, as in production.
  const serviceUrl = new URL(await ensureServiceLogin(databaseUrl(adminUrl, templateDatabase), 'duban_test_service', randomBytes(18).toString('hex')));

  let temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const dev = await obtainDevServer({ searchAttributes: { ...SEARCH_ATTRIBUTES }, log: say });
    stops.push(dev.stop);
    temporalAddress = dev.address;
  }

  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('serviceLogin', { user: serviceUrl.username, password: serviceUrl.password });
  project.provide('temporalAddress', temporalAddress);
  project.provide('testServer', testServer);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('auditKey', auditKey);

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
