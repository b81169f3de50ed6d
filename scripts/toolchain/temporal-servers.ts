/**
 * The Temporal servers as the rest of the project asks for them. Binaries come from
 * ensureTemporalCli / ensureTestServer (explicit path, PATH, per-user cache, built from the
 * registries). Only when those fail, and only where the network allows it, the SDK may fetch
 * its own build — opt in with DUBAN_TEMPORAL_DOWNLOAD=1 (never on machines limited to package
 * registries, where a download at run time must not be attempted).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType as SdkType } from '@temporalio/common';
import { DEV_SERVER_DYNAMIC_CONFIG, startDevServer, type DevServer, type DevServerOptions, type SearchAttributeType } from './dev-server';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTestServer } from './test-server';

export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export function sdkDownloadAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DUBAN_TEMPORAL_DOWNLOAD === '1';
}

function withHint(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${message}\n(Where the internet is open, DUBAN_TEMPORAL_DOWNLOAD=1 lets the Temporal SDK download its own build instead.)`);
}

/** The time-skipping test server, as the SDK's `server.executable` option. */
export async function testServerExecutable(log?: (m: string) => void): Promise<ServerExecutable> {
  try {
    return { type: 'existing-path', path: await ensureTestServer(log) };
  } catch (error) {
    if (sdkDownloadAllowed()) return { type: 'cached-download' };
    throw withHint(error);
  }
}

/**
 * The time-skipping server through the SDK. The SDK gives the Java server five seconds to answer,
 * which a JVM starting on a busy two-core machine can miss: a start that timed out is tried again
 * (the JVM's files are warm by then).
 */
export async function startTimeSkipping(executable: ServerExecutable, attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
    } catch (err) {
      if (attempt >= attempts || !/did not start within/.test(String(err))) throw err;
    }
  }
}

const SDK_TYPES: Record<SearchAttributeType, SdkType> = {
  Keyword: SdkType.KEYWORD,
  Text: SdkType.TEXT,
  Int: SdkType.INT,
  Double: SdkType.DOUBLE,
  Bool: SdkType.BOOL,
  Datetime: SdkType.DATETIME,
  KeywordList: SdkType.KEYWORD_LIST,
};

/** A running dev server: our own process from the CLI binary, or the SDK's download. */
export async function obtainDevServer(opts: Omit<DevServerOptions, 'cliPath'>): Promise<DevServer> {
  let cliPath: string;
  try {
    cliPath = await ensureTemporalCli(opts.log);
  } catch (error) {
    if (!sdkDownloadAllowed()) throw withHint(error);
    opts.log?.('Temporal CLI unavailable; using the SDK-downloaded dev server');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: opts.port,
        ui: opts.ui ?? opts.uiPort !== undefined,
        uiPort: opts.uiPort,
        dbFilename: opts.dbFile,
        extraArgs: Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig }).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
        namespace: opts.namespace,
        searchAttributes: Object.entries(opts.searchAttributes ?? {}).map(([name, type]) => defineSearchAttributeKey(name, SDK_TYPES[type])),
      },
    });
    const address = env.address;
    return {
      address,
      namespace: opts.namespace ?? 'default',
      uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
      stop: () => env.teardown(),
    };
  }
  return startDevServer({ ...opts, cliPath });
}
