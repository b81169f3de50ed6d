import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir, withLock } from './cache';
import { indentTail, runWithProgress } from './run';
import { findOnPath, fromEnv, isExecutable } from './which';

// v1.5.1 is the last CLI release whose go.mod has no `replace` directives, so it is
// the last one `go install …@version` can build straight from the module proxy.
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

type Log = (msg: string) => void;

/** Where a built CLI is kept between runs and clones. */
export function cachedTemporalCliPath(): string {
  return join(cacheDir(), 'bin', 'temporal');
}

/**
 * Absolute path to the `temporal` CLI (dev server + UI). Looks, in order, at
 * DUBAN_TEMPORAL_CLI, PATH, the per-user cache; builds it with Go as a last resort.
 */
export async function ensureTemporalCli(log: Log = () => undefined): Promise<string> {
  const explicit = fromEnv('DUBAN_TEMPORAL_CLI');
  if (explicit) return explicit;
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  const cached = cachedTemporalCliPath();
  if (isExecutable(cached)) return cached;

  return withLock(
    'temporal-cli',
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (isExecutable(cached)) return cached;
      await buildTemporalCli(cached, log);
      return cached;
    },
    { log },
  );
}

async function buildTemporalCli(target: string, log: Log): Promise<void> {
  const go = findOnPath('go', ['/usr/local/go/bin', ...(process.env.GOROOT ? [join(process.env.GOROOT, 'bin')] : [])]);
  if (!go) {
    throw new Error(
      'The Temporal CLI (dev server) was not found and cannot be built: `go` is not installed.\n' +
        'Provide it in any one of these ways:\n' +
        '  - install Go (https://go.dev/dl/; v1.5.1 needs Go 1.25, which an older go fetches itself unless GOTOOLCHAIN=local) and re-run; the build takes ~4 minutes once and is cached,\n' +
        '  - put a `temporal` binary on PATH (https://docs.temporal.io/cli#install),\n' +
        '  - set DUBAN_TEMPORAL_CLI=/absolute/path/to/temporal.',
    );
  }

  // Build into a private dir on the same filesystem, then rename: a concurrent reader
  // never sees a half-written binary, and a killed build leaves nothing behind.
  const tmpRoot = join(cacheDir(), 'tmp');
  await mkdir(tmpRoot, { recursive: true });
  await mkdir(join(cacheDir(), 'bin'), { recursive: true });
  const gobin = await mkdtemp(join(tmpRoot, 'temporal-cli-'));
  try {
    const spec = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
    log(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} (go install ${spec}); this takes about 4 minutes once, then it is cached at ${target}`);
    const result = await runWithProgress(go, ['install', spec], {
      // CGO off: a static binary that runs on any glibc/musl and needs no C compiler.
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: gobin },
      label: 'building Temporal CLI',
      log,
    });
    const built = join(gobin, 'temporal');
    if (result.code !== 0 || !isExecutable(built)) {
      throw new Error(
        `Building the Temporal CLI failed (go install ${spec} exited with ${result.code ?? result.signal}).\n` +
          'Last output:\n' +
          indentTail(result.tail) +
          '\nFix the cause above (network access to the Go module proxy, disk space, Go version), ' +
          'or provide the CLI yourself: put `temporal` on PATH or set DUBAN_TEMPORAL_CLI=/absolute/path/to/temporal.',
      );
    }
    await chmod(built, 0o755);
    await rename(built, target);
    log(`built Temporal CLI in ${Math.round(result.elapsedMs / 1000)} s: ${target}`);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}
