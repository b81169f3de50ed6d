import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives a progress line every `progressEveryMs` while the command runs. */
  log?: (msg: string) => void;
  /** Label used in progress lines, e.g. "building temporal CLI". */
  label: string;
  progressEveryMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last few KB of stdout and stderr interleaved: enough to explain a failure. */
  tail: string;
  elapsedMs: number;
}

const TAIL_BYTES = 4_000;

/**
 * Runs a long build command, keeping only the tail of its output and reporting
 * elapsed time periodically: a silent four-minute `go install` looks hung.
 * Never rejects on a non-zero exit; the caller decides what failure means.
 */
export function runWithProgress(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setInterval(() => {
      opts.log?.(`${opts.label}: still running, ${Math.round((Date.now() - started) / 1000)} s elapsed`);
    }, opts.progressEveryMs ?? 15_000);
    child.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, tail: tail.trim(), elapsedMs: Date.now() - started });
    });
  });
}

/** Last `lines` lines of `text`, indented, for embedding in an error message. */
export function indentTail(text: string, lines = 20): string {
  return text
    .split('\n')
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join('\n');
}
