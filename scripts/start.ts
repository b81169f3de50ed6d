/**
 * `npm start`: the whole of duban on one machine. Starts Postgres (unless DATABASE_URL) and a
 * Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), applies migrations, runs the
 * worker and the API as their own processes, loads demo data into an empty database, prints the
 * URLs, and on Ctrl-C stops everything in reverse order. Data lives in .data/ and survives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../config';
import { useAuditKey } from '../db/audit-key';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { ensureServiceLogin } from '../db/service-login';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed-demo';
import { obtainDevServer } from './toolchain/temporal-servers';
import { startEmbeddedPostgres } from './toolchain/postgres';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, '.data');
const PG_PORT = Number(process.env.DUBAN_PG_PORT ?? 54329);
const TEMPORAL_PORT = Number(process.env.DUBAN_TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.DUBAN_TEMPORAL_UI_PORT ?? 8233);

const started = Date.now();
const say = (msg: string) => console.log(`[duban ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
const children: ChildProcess[] = [];

async function main() {
  const config = parseConfig();
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  await mkdir(DATA, { recursive: true });

  if (!config.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: join(DATA, 'postgres'), port: PG_PORT, persistent: true, log: say });
    stops.push({ name: 'postgres', stop: pg.stop });
    env.DATABASE_URL = pg.url;
  }
  if (!config.TEMPORAL_ADDRESS) {
    const dev = await obtainDevServer({
      dbFile: join(DATA, 'temporal.db'),
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: { ...SEARCH_ATTRIBUTES },
      log: say,
    });
    stops.push({ name: 'temporal', stop: dev.stop });
    env.TEMPORAL_ADDRESS = dev.address;
    if (dev.uiUrl) env.TEMPORAL_UI_URL = dev.uiUrl;
  }
  if (!config.AUTH_TOKEN_SECRET) env.AUTH_TOKEN_SECRET = await localSecret('token-secret');
  if (!config.AUDIT_HMAC_KEY) env.AUDIT_HMAC_KEY = await localSecret('audit-key');
  const settings = parseConfig(env);
  // Migrations sign old chains' heads and the seed records admin changes: both need the key.
  useAuditKey(settings.AUDIT_HMAC_KEY!);

  await migrateDatabase(env.DATABASE_URL!);
  say('database migrated');
  // The seed writes as the owner; the API and the worker connect as the service login.
  const ownerUrl = env.DATABASE_URL!;
  if (!config.DATABASE_URL) env.DATABASE_URL = await ensureServiceLogin(ownerUrl, 'duban_service', await localSecret('service-password'));

  children.push(run('worker', ['worker.ts'], env), run('api', ['api/server.ts'], env));
  const apiUrl = `http://${settings.API_HOST}:${settings.API_PORT}/api`;
  await waitForHealth(apiUrl);

  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
  const database = connectDatabase(ownerUrl, 2);
  try {
    const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
    const gateway = new HazardGateway(client, settings.TEMPORAL_TASK_QUEUE);
    const seeded = await seedDemo(database.db, gateway, new NoticeGateway(client, settings.TEMPORAL_TASK_QUEUE), apiUrl, say);
    if (!seeded) say('existing data kept (demo data is loaded into an empty database only)');
  } finally {
    await connection.close();
    await database.close();
  }

  console.log(`
  duban is running (${((Date.now() - started) / 1000).toFixed(1)} s)
    API            ${apiUrl}
    Health         ${apiUrl}/health
    Hazards        ${apiUrl}/hazards
    Temporal UI    ${env.TEMPORAL_UI_URL ?? settings.TEMPORAL_UI_URL ?? '(external Temporal: see its own UI)'}
    Postgres       ${redact(env.DATABASE_URL!)}
    Pages          http://${settings.API_HOST}:${settings.API_PORT}/
    API docs       ${apiUrl}/docs
  Demo users (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.username.padEnd(20)} ${u.role.padEnd(11)} ${u.displayName}`).join('\n')}
  Try:
    TOKEN=$(curl -s -X POST ${apiUrl}/auth/login -H 'content-type: application/json' \\
      -d '{"username":"city-leader","password":"${DEMO_PASSWORD}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
    curl -s -H "Authorization: Bearer $TOKEN" '${apiUrl}/hazards?overdue=true'
  Ctrl-C stops everything; data stays in .data/
`);
}

/** A secret kept with the local data (token key, service password), stable across restarts. */
async function localSecret(name: string): Promise<string> {
  const file = join(DATA, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      say(`${name} exited (${signal ?? code}); stopping`);
      void shutdown(1);
    }
  });
  return child;
}

async function waitForHealth(apiUrl: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`${apiUrl}/health`);
      if (res.ok) return say('api healthy');
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy at ${apiUrl}/health within 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const redact = (url: string) => url.replace(/:\/\/([^:]+):[^@]+@/, '://$1:***@');

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const { name, stop } of stops.reverse()) {
    await stop().catch((e: Error) => say(`${name} did not stop cleanly: ${e.message}`));
  }
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch((error: Error) => {
  console.error(`\nduban could not start: ${error.message}`);
  void shutdown(1);
});
