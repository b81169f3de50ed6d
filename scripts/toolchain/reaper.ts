import { spawn } from 'node:child_process';

// Polls once a second: a detached shell costs nothing and needs no native module.
// Kept on one line so `ps` shows it readably.
const REAPER_SCRIPT = [
  'parent=$1; child=$2; sig=$3',
  'while kill -0 "$parent" 2>/dev/null; do kill -0 "$child" 2>/dev/null || exit 0; sleep 1; done',
  'kill -s "$sig" "$child" 2>/dev/null || exit 0',
  'i=0; while [ $i -lt 10 ]; do kill -0 "$child" 2>/dev/null || exit 0; sleep 1; i=$((i+1)); done',
  'kill -s KILL "$child" 2>/dev/null; exit 0',
].join('; ');

/**
 * Makes sure a server child dies with this process, however this process ends.
 * An 'exit' handler covers normal exits; a detached watchdog covers SIGKILL and
 * signals Node does not turn into 'exit' (a killed vitest worker, `kill <pid>`),
 * which would otherwise leave a server holding its port and data dir.
 * `signal` is the child's polite shutdown signal (Postgres: SIGINT = fast shutdown).
 */
export function killWithParent(childPid: number, signal: NodeJS.Signals = 'SIGTERM'): () => void {
  // Node cannot wait inside 'exit', so only ask politely; the watchdog escalates.
  const onExit = () => {
    try {
      process.kill(childPid, signal);
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  const watchdog = spawn('/bin/sh', ['-c', REAPER_SCRIPT, 'duban-reaper', String(process.pid), String(childPid), signal.replace(/^SIG/, '')], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.on('error', () => undefined); // no /bin/sh: the 'exit' handler still covers most cases
  watchdog.unref();
  // Call after a deliberate stop so neither guard outlives the server.
  return () => {
    process.removeListener('exit', onExit);
    if (watchdog.pid !== undefined && watchdog.exitCode === null) {
      try {
        watchdog.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
}
