/** Runs inside an inspection worker: one file at a time, answered by message. */
import { parentPort } from 'node:worker_threads';
import { inspectEvidence } from './inspect';

parentPort!.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    const verdict = await inspectEvidence(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    parentPort!.postMessage({ id, verdict });
  } catch (error) {
    parentPort!.postMessage({ id, failure: String((error as Error)?.stack ?? error) });
  }
});
// Loaded and listening: the pool starts a file's clock only from here.
parentPort!.postMessage({ ready: true });
