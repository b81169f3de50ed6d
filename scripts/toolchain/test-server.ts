import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, withLock } from './cache';
import { indentTail, runWithProgress } from './run';
import { findOnPath, fromEnv, isExecutable } from './which';

// Keep in step with the <temporal.test-server.version> property in test-server-pom.xml.
export const TEST_SERVER_VERSION = '1.35.0';
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';
/**
 * The SDK waits five seconds for the test server to answer. A JVM on a busy two-core machine
 * takes about that long with default flags and half as long with these (client compiler only,
 * serial GC, shared class data, no perf file), and a test server needs no more.
 */
export const TEST_SERVER_JVM_FLAGS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData';

const POM = join(dirname(fileURLToPath(import.meta.url)), 'test-server-pom.xml');

type Log = (msg: string) => void;

/** Directory holding the wrapper script and the classpath it was written from. */
export function cachedTestServerDir(): string {
  return join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

/**
 * Absolute path to an executable that runs the Temporal time-skipping test server
 * with the port as its first argument, as the TS SDK expects of
 * `server.executable = { type: 'existing-path', path }`. Looks, in order, at
 * DUBAN_TEMPORAL_TEST_SERVER, `temporal-test-server` on PATH, the per-user cache;
 * resolves it from Maven Central as a last resort.
 */
export async function ensureTestServer(log: Log = () => undefined): Promise<string> {
  const explicit = fromEnv('DUBAN_TEMPORAL_TEST_SERVER');
  if (explicit) return explicit;
  const onPath = findOnPath('temporal-test-server');
  if (onPath) return onPath;
  const dir = cachedTestServerDir();
  const wrapper = join(dir, 'temporal-test-server');
  if (await isUsable(dir, wrapper)) return wrapper;

  return withLock(
    'temporal-test-server',
    async () => {
      if (await isUsable(dir, wrapper)) return wrapper;
      await buildWrapper(dir, wrapper, log);
      return wrapper;
    },
    { log },
  );
}

/**
 * The wrapper points into ~/.m2; if that was wiped (a new CI runner restoring only
 * the duban cache) the wrapper is stale and gets rebuilt, re-downloading the jars.
 */
async function isUsable(dir: string, wrapper: string): Promise<boolean> {
  if (!isExecutable(wrapper)) return false;
  try {
    if (!(await readFile(wrapper, 'utf8')).includes(TEST_SERVER_JVM_FLAGS)) return false;
    const classpath = await readFile(join(dir, 'classpath.txt'), 'utf8');
    return classpath.trim().split(delimiter).every((jar) => existsSync(jar));
  } catch {
    return false;
  }
}

async function buildWrapper(dir: string, wrapper: string, log: Log): Promise<void> {
  const java = findOnPath('java');
  const mvn = findOnPath('mvn');
  if (!java || !mvn) {
    const missing = [!java && '`java` (Java 8+)', !mvn && '`mvn` (Apache Maven 3.6+)'].filter(Boolean).join(' and ');
    throw new Error(
      `The Temporal test server was not found and cannot be assembled: ${missing} not on PATH.\n` +
        'Provide it in any one of these ways:\n' +
        '  - install Java 8+ and Maven (e.g. `apt-get install default-jdk-headless maven`) and re-run; ' +
        'resolving the jars takes ~45 s once, then it is cached,\n' +
        '  - put a `temporal-test-server` executable on PATH (it must take the port as its first argument),\n' +
        '  - set DUBAN_TEMPORAL_TEST_SERVER=/absolute/path/to/temporal-test-server.',
    );
  }

  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, '.build-'));
  try {
    const classpathFile = join(work, 'classpath.txt');
    log(`resolving io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central with ${mvn}; about 45 s once, jars stay in ~/.m2`);
    const result = await runWithProgress(
      mvn,
      ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`, '-Dmdep.includeScope=runtime'],
      { label: 'resolving Temporal test server', log },
    );
    const classpath = existsSync(classpathFile) ? (await readFile(classpathFile, 'utf8')).trim() : '';
    if (result.code !== 0 || !classpath) {
      throw new Error(
        `Resolving the Temporal test server with Maven failed (mvn exited with ${result.code ?? result.signal}).\n` +
          'Last output:\n' +
          indentTail(result.tail) +
          '\nFix the cause above (access to Maven Central or a mirror in ~/.m2/settings.xml), ' +
          'or set DUBAN_TEMPORAL_TEST_SERVER=/absolute/path/to/temporal-test-server.',
      );
    }
    // build-classpath lists only the dependencies, not the artifact itself; the
    // test server jar is among them because it is this pom's one dependency.
    if (!classpath.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`)) {
      throw new Error(`Maven's classpath for the test server lacks temporal-test-server-${TEST_SERVER_VERSION}.jar:\n${classpath}`);
    }
    // `exec` replaces the shell with the JVM, so the SDK's kill of the wrapper's
    // pid stops the server instead of orphaning a JVM that holds the port.
    const script = `#!/bin/sh\n# Written by scripts/toolchain/test-server.ts; rebuilt when its jars go missing or its flags change.\nexec java ${TEST_SERVER_JVM_FLAGS} -cp "${classpath}" ${TEST_SERVER_MAIN_CLASS} "$@"\n`;
    const tmpWrapper = join(work, 'temporal-test-server');
    await writeFile(tmpWrapper, script);
    await chmod(tmpWrapper, 0o755);
    await writeFile(join(work, 'classpath.txt.final'), classpath + '\n');
    // Classpath first: isUsable() checks it only once the wrapper exists.
    await rename(join(work, 'classpath.txt.final'), join(dir, 'classpath.txt'));
    await rename(tmpWrapper, wrapper);
    log(`assembled Temporal test server in ${Math.round(result.elapsedMs / 1000)} s: ${wrapper}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
