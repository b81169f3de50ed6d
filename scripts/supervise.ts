/**
 * Keeps one child process running, as a process supervisor would: a child that dies after it was
 * ready is restarted after a pause that doubles with each crash, and the restart is reported; a
 * child that crashes too often in a short time is given up on (the caller then stops the rest).
 * A child that fails on its very first start is not restarted: that is a set-up problem, and the
 * caller hears why at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { killWithParent } from './toolchain/reaper';

export interface RestartPolicy {
  /** Pause before the first restart; doubled for each further crash within the window. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up at this many crashes within `windowMs`. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 15_000, maxCrashes: 5, windowMs: 60_000 };

/** After a crash at `now` (the last of `crashes`): how long to pause, or why to give up. */
export function nextRestart(crashes: readonly number[], now: number, policy: RestartPolicy): { delayMs: number } | { giveUp: string } {
  const recent = crashes.filter((at) => now - at < policy.windowMs).length;
  if (recent >= policy.maxCrashes) return { giveUp: `crashed ${recent} times within ${seconds(policy.windowMs)} s` };
  return { delayMs: Math.min(policy.initialDelayMs * 2 ** Math.max(recent - 1, 0), policy.maxDelayMs) };
}

/** Resolves once the child serves; rejects (the child is then killed) when it will not. */
export type ReadyCheck = (child: ChildProcess, context: { name: string; signal: AbortSignal }) => Promise<void>;

/** Ready when the child sends 'ready' over IPC (`process.send('ready')`). */
export function readyMessage(timeoutMs: number): ReadyCheck {
  return (child, { name, signal }) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (message: unknown) => message === 'ready' && done();
      const onAbort = () => done(new Error(`${name} exited before it was ready`));
      const timer = setTimeout(() => done(new Error(`${name} was not ready within ${seconds(timeoutMs)} s`)), timeoutMs);
      child.on('message', onMessage);
      signal.addEventListener('abort', onAbort);
    });
}

export interface SuperviseOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  ready: ReadyCheck;
  policy?: Partial<RestartPolicy>;
  /** How long a child may take to stop after SIGTERM before it is killed. Default 30 s. */
  stopGraceMs?: number;
  log: (msg: string) => void;
  /** Called once, when the child crashed too often; nothing is restarted after that. */
  onGiveUp: (reason: string) => void;
}

export interface Supervised {
  /** The first start: resolves when the child is ready, rejects when it exits or is not ready in time. */
  readonly started: Promise<void>;
  /** The current (or last) child's pid. */
  readonly pid: number | undefined;
  /** How many times the child was started again. */
  readonly restarts: number;
  /** SIGTERM, then SIGKILL after the grace period; cancels a pending restart. */
  stop(): Promise<void>;
}

interface Incarnation {
  child: ChildProcess;
  ready: boolean;
  exited: Promise<void>;
}

export function supervise(opts: SuperviseOptions): Supervised {
  const policy = { ...DEFAULT_POLICY, ...opts.policy };
  const stopGraceMs = opts.stopGraceMs ?? 30_000;
  const crashes: number[] = [];
  let current: Incarnation | undefined;
  let restarts = 0;
  let everReady = false;
  let stopping: Promise<void> | undefined;
  let pendingRestart: NodeJS.Timeout | undefined;
  let settleStarted: { resolve: () => void; reject: (error: Error) => void };
  const started = new Promise<void>((resolve, reject) => (settleStarted = { resolve, reject }));
  started.catch(() => undefined); // the caller may never look when it stops first

  const launch = () => {
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      // A process group of its own: a Ctrl-C in the terminal reaches only the supervisor,
      // which stops the children in its own order.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const releaseGuard = child.pid !== undefined ? killWithParent(child.pid, 'SIGTERM') : () => undefined;
    const aborted = new AbortController();
    let finished = false;
    const incarnation: Incarnation = {
      child,
      ready: false,
      exited: new Promise<void>((resolveExit) => {
        const finish = (how: string) => {
          if (finished) return;
          finished = true;
          releaseGuard();
          aborted.abort();
          resolveExit();
          onExit(incarnation, how);
        };
        child.once('error', (err) => finish(`could not run: ${err.message}`));
        child.once('exit', (code, signal) => finish(signal ?? `code ${code}`));
      }),
    };
    current = incarnation;
    opts.ready(child, { name: opts.name, signal: aborted.signal }).then(
      () => {
        if (finished || stopping) return;
        incarnation.ready = true;
        if (!everReady) {
          everReady = true;
          settleStarted.resolve();
        } else {
          opts.log(`${opts.name} is back (pid ${child.pid}, restart ${restarts})`);
        }
      },
      (error: Error) => {
        if (finished) return; // the exit tells the story
        if (!everReady) settleStarted.reject(error);
        else opts.log(`${error.message}; killing it`);
        child.kill('SIGKILL');
      },
    );
  };

  const onExit = (incarnation: Incarnation, how: string) => {
    if (stopping) return;
    if (!everReady) {
      settleStarted.reject(new Error(`${opts.name} exited during start-up (${how})`));
      return;
    }
    const now = Date.now();
    crashes.push(now);
    const next = nextRestart(crashes, now, policy);
    if ('giveUp' in next) {
      opts.log(`${opts.name} exited (${how}) and ${next.giveUp}; giving up`);
      opts.onGiveUp(`${opts.name} ${next.giveUp}`);
      return;
    }
    opts.log(`${opts.name} exited (${how})${incarnation.ready ? '' : ' before it was ready'}; restart ${restarts + 1} in ${seconds(next.delayMs)} s`);
    pendingRestart = setTimeout(() => {
      pendingRestart = undefined;
      if (stopping) return;
      restarts += 1;
      launch();
    }, next.delayMs);
  };

  launch();

  return {
    started,
    get pid() {
      return current?.child.pid;
    },
    get restarts() {
      return restarts;
    },
    stop() {
      stopping ??= (async () => {
        clearTimeout(pendingRestart);
        if (!everReady) settleStarted.reject(new Error(`${opts.name} was stopped before it was ready`));
        const incarnation = current;
        if (!incarnation) return;
        const { child } = incarnation;
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          incarnation.exited.then(() => 'stopped' as const),
          new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), stopGraceMs))),
        ]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          child.kill('SIGKILL');
          await incarnation.exited;
          opts.log(`${opts.name} did not stop within ${seconds(stopGraceMs)} s; killed`);
        } else {
          opts.log(`${opts.name} stopped`);
        }
      })();
      return stopping;
    },
  };
}

const seconds = (ms: number) => String(Math.round(ms / 100) / 10);
