import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, withLock } from './cache';
import { indentTail, runWithProgress } from './run';
import { findOnPath, isExecutable } from './which';

/**
 * The Temporal server that runs clusters (the one docker-compose.yml's `temporalio/auto-setup`
 * image carries) and its schema tool, built from the Go module proxy, not downloaded.
 */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

type Log = (msg: string) => void;

export interface TemporalServerBinaries {
  /** `temporal-server` (cmd/server). */
  server: string;
  /** `temporal-sql-tool` (cmd/tools/sql). */
  sqlTool: string;
  /** schema/postgresql/v12 of the same version: `temporal/` and `visibility/`, each with `versioned/`. */
  postgresSchema: string;
}

/** Where one version is kept: both binaries and the schema they come with, side by side. */
export function temporalServerDir(): string {
  return join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function inCache(dir = temporalServerDir()): TemporalServerBinaries {
  return { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), postgresSchema: join(dir, 'schema', 'postgresql', 'v12') };
}

function complete(b: TemporalServerBinaries): boolean {
  return isExecutable(b.server) && isExecutable(b.sqlTool) && existsSync(join(b.postgresSchema, 'temporal', 'versioned')) && existsSync(join(b.postgresSchema, 'visibility', 'versioned'));
}

/**
 * The production Temporal server, its sql tool and its Postgres schema, from the per-user cache;
 * built once with `go install` (about 3 minutes with a warm module cache, more on a new machine).
 */
export async function ensureTemporalServer(log: Log = () => undefined): Promise<TemporalServerBinaries> {
  const cached = inCache();
  if (complete(cached)) return cached;
  return withLock(
    'temporal-server',
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (complete(cached)) return cached;
      await buildTemporalServer(log);
      return cached;
    },
    { log },
  );
}

function goBinary(): string {
  const go = findOnPath('go', ['/usr/local/go/bin', ...(process.env.GOROOT ? [join(process.env.GOROOT, 'bin')] : [])]);
  if (go) return go;
  throw new Error(
    `The Temporal server ${TEMPORAL_SERVER_VERSION} (production topology) is not built and cannot be: \`go\` is not installed.\n` +
      'Install Go 1.24 or newer (https://go.dev/dl/) and re-run; the build takes a few minutes once and is cached in ' +
      `${temporalServerDir()}.`,
  );
}

async function buildTemporalServer(log: Log): Promise<void> {
  const go = goBinary();
  const tmpRoot = join(cacheDir(), 'tmp');
  await mkdir(tmpRoot, { recursive: true });
  // Everything goes into a private dir first, renamed into place whole: a reader never sees
  // half a build, and a killed build leaves nothing behind.
  const staging = await mkdtemp(join(tmpRoot, 'temporal-server-'));
  try {
    const gobin = join(staging, 'gobin');
    const specs = ['cmd/server', 'cmd/tools/sql'].map((p) => `${TEMPORAL_SERVER_MODULE}/${p}@${TEMPORAL_SERVER_VERSION}`);
    log(`building Temporal server ${TEMPORAL_SERVER_VERSION} with ${go} (go install ${specs.join(' ')}); this takes a few minutes once, then it is cached in ${temporalServerDir()}`);
    const env = {
      ...process.env,
      // CGO off: static binaries (the server's SQLite driver is pure Go).
      CGO_ENABLED: '0',
      GOBIN: gobin,
      // The module's own go.mod decides the dependencies, whatever a surrounding go.work says.
      GOFLAGS: [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' '),
      GOWORK: 'off',
    };
    const result = await runWithProgress(go, ['install', ...specs], { env, label: 'building Temporal server', log });
    const built = { server: join(gobin, 'server'), sqlTool: join(gobin, 'sql') };
    if (result.code !== 0 || !isExecutable(built.server) || !isExecutable(built.sqlTool)) {
      throw new Error(
        `Building the Temporal server failed (go install ${specs.join(' ')} exited with ${result.code ?? result.signal}).\n` +
          'Last output:\n' +
          indentTail(result.tail) +
          '\nFix the cause above (network access to the Go module proxy, disk space, Go version) and re-run `npm run toolchain`.',
      );
    }
    // The schema ships in the module: copy it next to the binaries, so the cache stands on its
    // own after a `go clean -modcache`.
    const modcache = execFileSync(go, ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
    const schemaSrc = join(modcache, `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
    if (!existsSync(join(schemaSrc, 'temporal', 'versioned'))) throw new Error(`The Temporal server built, but its Postgres schema is not where Go keeps the module: ${schemaSrc}`);
    const out = join(staging, 'out');
    const target = inCache(out);
    await mkdir(target.postgresSchema, { recursive: true });
    await cp(schemaSrc, target.postgresSchema, { recursive: true });
    // The module cache is read-only; our copy must be removable.
    execFileSync('chmod', ['-R', 'u+w', join(out, 'schema')]);
    await rename(built.server, target.server);
    await rename(built.sqlTool, target.sqlTool);
    await chmod(target.server, 0o755);
    await chmod(target.sqlTool, 0o755);
    await rm(temporalServerDir(), { recursive: true, force: true });
    await rename(out, temporalServerDir());
    log(`built Temporal server ${TEMPORAL_SERVER_VERSION} in ${Math.round(result.elapsedMs / 1000)} s: ${temporalServerDir()}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
