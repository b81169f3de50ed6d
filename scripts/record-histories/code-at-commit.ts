/**
 * A worker running the workflow code of an earlier commit (with today's activities): how a history
 * of a run begun before a patch is recorded faithfully, by the code that such a run really ran.
 * The commit's tree is taken with `git archive`, its workflows bundled, and the worker serves its
 * own queue (`<queue>-<commit>`), so the current worker never takes its tasks.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDubanWorker, type DubanWorker } from '../../temporal/create-worker';
import type { Recording } from './recording';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export async function workerAtCommit(rec: Recording, commit: string): Promise<{ worker: DubanWorker; taskQueue: string }> {
  const tree = join(rec.work, `code-${commit}`);
  await mkdir(tree, { recursive: true });
  const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', commit], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  const bundle = await bundleWorkflowCode({ workflowsPath: join(tree, 'workflows/index.ts'), logger: quiet });
  const bundlePath = join(tree, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  const taskQueue = `${rec.taskQueue}-${commit}`;
  const worker = await createDubanWorker({ connection: rec.env.nativeConnection, namespace: 'default', taskQueue, db: rec.db, workflowBundlePath: bundlePath });
  return { worker, taskQueue };
}
