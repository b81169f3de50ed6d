/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked by construction:
 * against config.ts (every variable known, every process configurable), the Dockerfile (the
 * bundle path, the entrypoint, the user), the workflows' search attributes, and itself (hosts,
 * ports, credentials, start order). The search-attribute job's command is also run, as written,
 * by the real `temporal` CLI against the test run's Temporal server.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parse } from 'yaml';
import { describe, expect, inject, it } from 'vitest';
import { configSchema, parseConfig, type Config } from '../../config';
import { ensureTemporalCli } from '../../scripts/toolchain/temporal-cli';
import { CLUSTER_SETTINGS } from '../../scripts/toolchain/temporal-cluster';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/toolchain/temporal-server';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

// ---------------------------------------------------------------------------------------------
// Compose, as `docker compose` reads it: YAML with anchors and merge keys, then interpolation of
// ${VAR} against the environment — here an empty one, as on a host with no .env.

type Dict = Record<string, unknown>;

interface Interpolation {
  /** Variables used without a default: empty under `docker compose up` with no .env. */
  unset: Set<string>;
  /** Variables the operator must give (`${VAR:?why}`), and the values this test gives them. */
  required: Set<string>;
  env: Record<string, string>;
}

/** Compose's interpolation rules ($$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR:+a}). */
function interpolate(text: string, state: Interpolation): string {
  return text.replace(/\$(?:(\$)|([A-Za-z_]\w*)|\{([^}]*)\}|)/g, (match, dollar, bare, braced) => {
    if (dollar) return '$';
    if (bare) {
      state.unset.add(bare);
      return '';
    }
    if (braced === undefined) throw new Error(`invalid interpolation format in ${JSON.stringify(text)}: a lone "$" (write "$$")`);
    const m = /^([A-Za-z_]\w*)(?:(:?[-?+])(.*))?$/s.exec(braced);
    if (!m) throw new Error(`invalid interpolation format: ${match}`);
    const [, name, op, arg = ''] = m;
    if (op === ':-' || op === '-') return arg;
    if (op === ':?' || op === '?') {
      // A secret the operator must give: the test plays the operator.
      state.required.add(name!);
      const given = state.env[name!];
      if (given === undefined) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return given;
    }
    if (op === ':+' || op === '+') return '';
    state.unset.add(name!);
    return '';
  });
}

function interpolateAll(value: unknown, state: Interpolation): unknown {
  if (typeof value === 'string') return interpolate(value, state);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, state));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, state)]));
  }
  return value;
}

const interpolation: Interpolation = { unset: new Set(), required: new Set(), env: { AUTH_TOKEN_SECRET: 'x'.repeat(48), AUDIT_HMAC_KEY: 'k'.repeat(48) } };
const compose = interpolateAll(parse(read('docker-compose.yml'), { merge: true }), interpolation) as Dict;
const services = compose.services as Record<string, Dict>;
const service = (name: string): Dict => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};

/** A service's environment as the container gets it (values are strings; null = not set). */
function composeEnvironment(svc: Dict): Record<string, string> {
  const env = svc.environment ?? {};
  const entries: Array<[string, unknown]> = Array.isArray(env)
    ? (env as string[]).map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, null] : [line.slice(0, i), line.slice(i + 1)];
      })
    : Object.entries(env as Dict);
  return Object.fromEntries(entries.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

interface PortMapping {
  host?: string;
  published?: number;
  target: number;
}

function ports(svc: Dict): PortMapping[] {
  return ((svc.ports ?? []) as unknown[]).map((p) => {
    if (typeof p === 'number') return { target: p };
    if (typeof p === 'object' && p) {
      const { host_ip, published, target } = p as Dict;
      return { host: host_ip as string | undefined, published: published === undefined ? undefined : Number(published), target: Number(target) };
    }
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = parts.length ? Number(parts.pop()) : undefined;
    return { host: parts.pop(), published, target };
  });
}

const asArgs = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : String(v).split(/\s+/));
const dependsOn = (svc: Dict) => (svc.depends_on ?? {}) as Record<string, { condition?: string }>;

// ---------------------------------------------------------------------------------------------
// The Dockerfile, as BuildKit reads it: continuation lines joined, comments dropped, one
// instruction per logical line, stages by FROM.

interface Instruction {
  keyword: string;
  args: string;
  /** WORKDIR in force when this instruction runs. */
  workdir: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) logical.push(full);
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/s.exec(line) ?? [];
    const kw = keyword.toUpperCase();
    if (kw === 'FROM') {
      const [from = '', as, name] = args.replace(/--platform=\S+\s*/, '').split(/\s+/);
      const parent = stages.find((s) => s.name === from);
      const inherited = parent?.instructions.at(-1)?.workdir ?? '/';
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [{ keyword: kw, args, workdir: inherited }] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${kw} before FROM`);
    const prev = stage.instructions.at(-1)!.workdir;
    const workdir = kw === 'WORKDIR' ? posix.resolve(prev, args) : prev;
    stage.instructions.push({ keyword: kw, args, workdir });
  }
  return stages;
}

/** `ENV A=1 B="two"` (and the old `ENV A 1`) as a map. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [k = '', ...rest] = args.split(/\s+/);
      env[k] = rest.join(' ');
      continue;
    }
    for (const [, k = '', v = ''] of args.matchAll(/([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      env[k] = v.startsWith('"') ? (JSON.parse(v) as string) : v;
    }
  }
  return env;
}

const execForm = (args: string): string[] => JSON.parse(args) as string[];

const dockerfile = parseDockerfile(read('Dockerfile'));
const runtimeStage = dockerfile.at(-1)!;
const imageEnv = envOf(runtimeStage);
const last = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1);

/** Where the image holds the workflow bundle: built in one stage, copied into the final one. */
function bundlePathInImage(): string {
  const builds = dockerfile.flatMap((stage) =>
    stage.instructions.filter((i) => i.keyword === 'RUN' && i.args.includes('scripts/build-workflow-bundle.ts')).map((i) => ({ stage, i })),
  );
  expect(builds, 'exactly one RUN builds the workflow bundle').toHaveLength(1);
  const { stage: buildStage, i: run } = builds[0]!;
  const words = run.args.split(/\s+/);
  const out = words[words.indexOf('scripts/build-workflow-bundle.ts') + 1];
  expect(out, 'the RUN names the bundle file explicitly').toMatch(/\.js$/);
  const built = posix.resolve(run.workdir, out!);
  if (buildStage === runtimeStage) return built;

  expect(buildStage.name, 'the build stage is named, so the final stage can copy from it').toBeTruthy();
  for (const copy of runtimeStage.instructions.filter((i) => i.keyword === 'COPY')) {
    const words = copy.args.split(/\s+/);
    if (!words.includes(`--from=${buildStage.name}`)) continue;
    const paths = words.filter((w) => !w.startsWith('--'));
    const dest = paths.pop()!;
    if (paths.some((src) => posix.resolve('/', src) === built)) {
      const target = posix.resolve(copy.workdir, dest);
      return dest.endsWith('/') ? posix.join(target, posix.basename(built)) : target;
    }
  }
  throw new Error(`the final stage does not copy ${built} from stage ${buildStage.name}`);
}

// ---------------------------------------------------------------------------------------------

const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const SEARCH_ATTRIBUTE_JOB = 'temporal-search-attributes';
const CONFIG_KEYS = Object.keys(configSchema.shape).sort();

/** What a duban process in that service sees: the image's ENV, then compose's environment. */
const processEnv = (name: string) => ({ ...imageEnv, ...composeEnvironment(service(name)) });
const configOf = (name: string): Config => parseConfig(processEnv(name));

/** The search-attribute job's argv, parsed flag by flag (an unknown flag fails). */
function searchAttributeJob() {
  const job = service(SEARCH_ATTRIBUTE_JOB);
  const argv = [...asArgs(job.entrypoint), ...asArgs(job.command)];
  const prefix = ['temporal', 'operator', 'search-attribute', 'create'];
  expect(argv.slice(0, prefix.length)).toEqual(prefix);
  const names: string[] = [];
  const types: string[] = [];
  const flags: Record<string, string> = {};
  const rest = argv.slice(prefix.length);
  for (let i = 0; i < rest.length; i++) {
    const [flag = '', inline] = rest[i]!.split(/=(.*)/s);
    const value = inline ?? rest[++i];
    if (value === undefined) throw new Error(`${flag} has no value`);
    if (flag === '--name') names.push(value);
    else if (flag === '--type') types.push(value);
    else if (flag === '--namespace' || flag === '-n' || flag === '--address') flags[flag === '-n' ? '--namespace' : flag] = value;
    else throw new Error(`unexpected argument ${flag} in the ${SEARCH_ATTRIBUTE_JOB} command`);
  }
  return { argv, names, types, namespace: flags['--namespace'], address: flags['--address'] };
}

describe('docker-compose.yml', () => {
  it('is the production topology: exactly these services', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['postgres', 'temporal', SEARCH_ATTRIBUTE_JOB, 'temporal-ui', 'migrate', 'api', 'worker'].sort(),
    );
  });

  it('runs with no .env but the token secret and the audit key: every other ${VAR} has a default, and no "$" is left uninterpreted', () => {
    // A stray "$" (e.g. a shell "$1" in a healthcheck) already threw while loading the file.
    expect([...interpolation.unset]).toEqual([]);
    expect([...interpolation.required].sort()).toEqual(['AUDIT_HMAC_KEY', 'AUTH_TOKEN_SECRET']);
  });

  it('pins every third-party image to a version, and builds one image for all duban processes', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.image, `${name}: image`).toMatch(/^[\w./-]+:\d+(\.\d+)+(-[\w.-]+)?$/);
    }
    const appImages = new Set(APP_SERVICES.map((name) => service(name).image));
    expect([...appImages]).toEqual([`duban:${JSON.parse(read('package.json')).version}`]);
    for (const name of APP_SERVICES) expect(service(name).build, name).toEqual({ context: '.' });
  });

  it('runs the Temporal server that test:topology builds and starts natively, with the same settings', () => {
    const temporalService = service('temporal');
    const env = composeEnvironment(temporalService);
    expect(temporalService.image).toBe(`temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`);
    expect({ plugin: env.DB, temporal: env.DBNAME, visibility: env.VISIBILITY_DBNAME, namespace: env.DEFAULT_NAMESPACE, retention: env.DEFAULT_NAMESPACE_RETENTION, shards: env.NUM_HISTORY_SHARDS ?? '4' }).toEqual({
      plugin: CLUSTER_SETTINGS.plugin,
      temporal: CLUSTER_SETTINGS.databases.temporal,
      visibility: CLUSTER_SETTINGS.databases.visibility,
      namespace: CLUSTER_SETTINGS.namespace,
      retention: CLUSTER_SETTINGS.retention,
      shards: String(CLUSTER_SETTINGS.historyShards),
    });
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    it('is given only variables that config.ts knows', () => {
      const unknown = Object.keys(processEnv(name)).filter((key) => !CONFIG_KEYS.includes(key));
      expect(unknown).toEqual([]);
    });

    it('parses with config.ts into a production config with both servers set', () => {
      const config = configOf(name);
      expect(config.NODE_ENV).toBe('production');
      expect(config.DATABASE_URL).toBeTypeOf('string');
      expect(config.TEMPORAL_ADDRESS).toBeTypeOf('string');
    });

    it('reaches Postgres by its service name and database: migrations as the owner, the rest as the service login', () => {
      const url = new URL(configOf(name).DATABASE_URL!);
      const pg = composeEnvironment(service('postgres'));
      expect(url.hostname).toBe('postgres');
      expect(url.port || '5432').toBe('5432');
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      if (name === 'migrate') {
        expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
        expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      } else {
        // The login the init script creates, a member of the app role only.
        const init = read('db/docker-init/10-service-login.sh');
        expect(decodeURIComponent(url.username)).toBe('duban_service');
        expect(init).toMatch(/CREATE ROLE duban_service LOGIN NOSUPERUSER[^;]*IN ROLE duban_app;/);
        expect(decodeURIComponent(url.password)).toBe(pg.DUBAN_SERVICE_PASSWORD);
        expect(configOf(name).DATABASE_ROLE).toBe('duban_app');
      }
    });

    it('is given the audit key: it appends to the audit chains', () => {
      expect(configOf(name).AUDIT_HMAC_KEY).toBe(interpolation.env.AUDIT_HMAC_KEY);
    });

    it('reaches the Temporal frontend as temporal:7233', () => {
      expect(configOf(name).TEMPORAL_ADDRESS).toBe('temporal:7233');
    });

    it('runs a file of this repository, through the image entrypoint (node --import tsx)', () => {
      const expected = { api: 'api/server.ts', worker: 'worker.ts', migrate: 'db/migrate.ts' }[name];
      expect(asArgs(service(name).command)).toEqual([expected]);
      expect(existsSync(`${ROOT}${expected}`)).toBe(true);
      expect(service(name).entrypoint).toBeUndefined();
    });
  });

  it('gives the three duban processes one shared environment (the YAML anchor)', () => {
    const shared = (name: string) => {
      const { API_HOST, API_PORT, TEMPORAL_UI_URL, WORKFLOW_BUNDLE_PATH, AUTH_TOKEN_SECRET, EVIDENCE_DIR, DATABASE_URL, ...rest } = composeEnvironment(service(name));
      return rest;
    };
    expect(shared('worker')).toEqual(shared('migrate'));
    expect(shared('api')).toEqual(shared('migrate'));
  });

  it('starts in order: Postgres healthy → migrations done, Temporal healthy, search attributes registered → api and worker', () => {
    expect(dependsOn(service('temporal'))).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(dependsOn(service('migrate'))).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(dependsOn(service(SEARCH_ATTRIBUTE_JOB))).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(dependsOn(service('temporal-ui'))).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker']) {
      expect(dependsOn(service(name)), name).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        temporal: { condition: 'service_healthy' },
        [SEARCH_ATTRIBUTE_JOB]: { condition: 'service_completed_successfully' },
      });
    }
    // The conditions above need healthchecks; the one-shot jobs must not be restarted.
    expect((service('postgres').healthcheck as Dict).test).toBeDefined();
    expect((service('temporal').healthcheck as Dict).test).toBeDefined();
    expect(service('migrate').restart).toBe('no');
    expect(service(SEARCH_ATTRIBUTE_JOB).restart).toBe('no');
  });

  it('keeps Postgres data in a named volume', () => {
    const volumes = asArgs(service('postgres').volumes);
    expect(volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes as Dict)).toContain('postgres-data');
  });

  it('runs Temporal (auto-setup) on the same Postgres, in databases of its own', () => {
    const t = composeEnvironment(service('temporal'));
    const pg = composeEnvironment(service('postgres'));
    expect(t.DB).toBe('postgres12');
    expect(t.POSTGRES_SEEDS).toBe('postgres');
    expect(t.DB_PORT).toBe('5432');
    expect(t.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(t.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
    const databases = [t.DBNAME, t.VISIBILITY_DBNAME, pg.POSTGRES_DB];
    expect(new Set(databases).size, `distinct databases: ${databases.join(', ')}`).toBe(3);
    // The frontend port the processes dial is the one the server listens on.
    expect(ports(service('temporal')).map((p) => p.target)).toContain(7233);
  });

  it("declares Temporal healthy only once the app's namespace answers, at the app's address", () => {
    const config = configOf('worker');
    const test = asArgs((service('temporal').healthcheck as Dict).test);
    expect(test.slice(0, 5)).toEqual(['CMD', 'temporal', 'operator', 'search-attribute', 'list']);
    expect(test[test.indexOf('--namespace') + 1]).toBe(config.TEMPORAL_NAMESPACE);
    expect(test[test.indexOf('--address') + 1]).toBe(config.TEMPORAL_ADDRESS);
    expect(composeEnvironment(service('temporal')).DEFAULT_NAMESPACE).toBe(config.TEMPORAL_NAMESPACE);
  });

  it('api: listens on 0.0.0.0 at the container port it publishes, and its healthcheck asks that port', () => {
    const config = configOf('api');
    expect(config.API_HOST).toBe('0.0.0.0');
    expect(ports(service('api')).map((p) => p.target)).toEqual([config.API_PORT]);
    const healthcheck = asArgs((service('api').healthcheck as Dict).test).join(' ');
    expect(healthcheck).toContain(`http://127.0.0.1:${config.API_PORT}/api/health`);
  });

  it('api: links people to the Temporal UI at the port the UI publishes', () => {
    const ui = new URL(configOf('api').TEMPORAL_UI_URL!);
    const published = ports(service('temporal-ui')).find((p) => p.target === 8080)?.published;
    expect(Number(ui.port)).toBe(published);
    expect(composeEnvironment(service('temporal-ui')).TEMPORAL_ADDRESS).toBe(configOf('api').TEMPORAL_ADDRESS);
  });

  it('worker: loads the workflow bundle from where the Dockerfile builds it', () => {
    const inImage = bundlePathInImage();
    expect(inImage).toBe('/app/dist/workflow-bundle.js');
    expect(configOf('worker').WORKFLOW_BUNDLE_PATH).toBe(inImage);
  });

  it('worker: is scalable — at least two replicas, no fixed container name or host port', () => {
    const worker = service('worker');
    expect((worker.deploy as Dict).replicas).toBeGreaterThanOrEqual(2);
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('registers exactly the search attributes the workflows use, in the namespace and server the app uses', () => {
    const job = searchAttributeJob();
    const config = configOf('worker');
    expect(job.names).toHaveLength(job.types.length);
    expect(new Set(job.names).size).toBe(job.names.length);
    expect(Object.fromEntries(job.names.map((n, i) => [n, job.types[i]]))).toEqual({ ...SEARCH_ATTRIBUTES });
    expect(job.namespace).toBe(config.TEMPORAL_NAMESPACE);
    expect(job.address).toBe(config.TEMPORAL_ADDRESS);
    // auto-setup's own test attributes would take SQL visibility slots.
    expect(composeEnvironment(service('temporal')).SKIP_ADD_CUSTOM_SEARCH_ATTRIBUTES).toBe('true');
  });
});

describe('Dockerfile', () => {
  it('builds on node:20-bookworm-slim in stages and runs as a non-root user', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(runtimeStage.from).toBe('node:20-bookworm-slim');
    const user = last(runtimeStage, 'USER')?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('runs tsx as the runtime, the worker by default', () => {
    expect(execForm(last(runtimeStage, 'ENTRYPOINT')!.args)).toEqual(['node', '--import', 'tsx']);
    expect(execForm(last(runtimeStage, 'CMD')!.args)).toEqual(['worker.ts']);
    expect(last(runtimeStage, 'WORKDIR')?.args).toBe('/app');
  });

  it('installs with npm ci, independent of install-script approval', () => {
    const installs = dockerfile.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(installs).toHaveLength(1);
    expect(installs[0]!.args).toMatch(/--ignore-scripts/);
    expect(installs[0]!.args).toMatch(/--omit=dev/);
  });

  it('sets only variables that config.ts knows', () => {
    expect(Object.keys(imageEnv).filter((key) => !CONFIG_KEYS.includes(key))).toEqual([]);
  });

  it('keeps in the build context every file the processes and the bundle build need', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const needed = ['package.json', 'package-lock.json', 'worker.ts', 'api/server.ts', 'db/migrate.ts', 'db/migrations', 'config.ts', 'workflows/index.ts', 'scripts/build-workflow-bundle.ts', 'web'];
    for (const file of needed) {
      const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
      expect(prefixes.filter((p) => ignored.includes(p)), file).toEqual([]);
    }
  });
});

describe('the search-attribute job, run as written by the temporal CLI', () => {
  it('registers exactly SEARCH_ATTRIBUTES on a fresh namespace, and is idempotent', { timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const cli = await ensureTemporalCli();
    const address = inject('temporalAddress');
    const namespace = `compose-${randomBytes(4).toString('hex')}`;
    await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address]);
    // As auto-setup does: wait until the new namespace is served (the namespace cache refreshes).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await run(cli, ['operator', 'search-attribute', 'list', '--namespace', namespace, '--address', address]);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    // The job's own argv, pointed at this server and namespace instead of temporal:7233/default.
    const { argv } = searchAttributeJob();
    const args = argv.slice(1).map((arg, i, all) => (all[i - 1] === '--address' ? address : all[i - 1] === '--namespace' ? namespace : arg));
    expect(args).toContain(namespace);
    expect(args).toContain(address);
    await run(cli, args);
    await run(cli, args); // a restarted stack runs the job again

    const connection = await Connection.connect({ address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const { IndexedValueType } = temporal.api.enums.v1;
      const registered = Object.fromEntries(Object.entries(customAttributes ?? {}).map(([k, v]) => [k, IndexedValueType[v]]));
      const expected = Object.fromEntries(
        Object.entries(SEARCH_ATTRIBUTES).map(([k, type]) => [k, `INDEXED_VALUE_TYPE_${type.toUpperCase()}`]),
      );
      expect(registered).toEqual(expected);
    } finally {
      await connection.close();
    }
  });
});
