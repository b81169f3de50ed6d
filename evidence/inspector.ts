/**
 * Inspection away from the thread that answers requests: a few worker threads (one per spare
 * core) take files in turn. A file that takes longer than the time allowed, or more memory, has
 * its worker ended and replaced, and is refused as too complex to inspect: a hostile file costs
 * the uploader a bounded wait and nobody else anything.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Inspection } from './inspect';

export interface InspectorOptions {
  /** Files inspected at once. */
  workers: number;
  /** Time one file may take before it is refused. */
  timeoutMs: number;
  /** Heap one worker may use. */
  maxHeapMb: number;
}
export const DEFAULT_INSPECTOR: InspectorOptions = { workers: Math.max(1, Math.min(4, availableParallelism() - 1)), timeoutMs: 10_000, maxHeapMb: 512 };

const ENTRY = new URL('./inspect.worker.mjs', import.meta.url);

interface Job {
  bytes: Buffer;
  resolve(verdict: Inspection): void;
  reject(error: Error): void;
}

class Slot {
  private worker: Worker | null = null;
  private ready = false;
  private job: (Job & { id: number; timer?: NodeJS.Timeout }) | null = null;
  private nextId = 0;

  constructor(
    private readonly options: InspectorOptions,
    private readonly onIdle: (slot: Slot) => void,
  ) {}

  get busy(): boolean {
    return this.job !== null;
  }

  private spawn(): Worker {
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    this.ready = false;
    worker.on('message', (m: { ready?: true; id: number; verdict?: Inspection; failure?: string }) => {
      if (m.ready) {
        this.ready = true;
        return this.start();
      }
      if (!this.job || m.id !== this.job.id) return;
      if (m.verdict) this.finish((job) => job.resolve(m.verdict!));
      else this.finish((job) => job.reject(new Error(`evidence inspection failed: ${m.failure}`)));
    });
    // Out of memory, or ended for taking too long: the file is refused, the worker replaced.
    const lost = () => {
      if (this.worker !== worker) return; // already replaced
      this.worker = null;
      this.finish((job) => job.resolve({ ok: false, reason: 'the file is too complex to inspect (it needs more memory than inspection allows)', tooComplex: true }));
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return worker;
  }

  run(job: Job): void {
    this.job = { ...job, id: ++this.nextId };
    this.worker ??= this.spawn();
    // Held while a file is inspected, let go when idle: an idle inspector never keeps the
    // process alive (adding listeners refs a worker again, so this follows them).
    this.worker.ref();
    this.start();
  }

  /** Sends the job once the worker is ready; its time runs from then, not from the worker's start-up. */
  private start(): void {
    const job = this.job;
    if (!job || !this.ready || !this.worker || job.timer) return;
    job.timer = setTimeout(() => {
      const worker = this.worker;
      this.worker = null;
      this.finish((j) => j.resolve({ ok: false, reason: `the file is too complex to inspect (it takes more than ${this.options.timeoutMs / 1000} s)`, tooComplex: true }));
      void worker?.terminate();
    }, this.options.timeoutMs);
    // A copy goes across, so the request keeps its own bytes to store.
    this.worker.postMessage({ id: job.id, bytes: new Uint8Array(job.bytes) });
  }

  private finish(settle: (job: Job) => void): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    this.worker?.unref();
    clearTimeout(job.timer);
    settle(job);
    this.onIdle(this);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}

export class EvidenceInspector {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];

  constructor(options: Partial<InspectorOptions> = {}) {
    const settings = { ...DEFAULT_INSPECTOR, ...options };
    this.slots = Array.from({ length: settings.workers }, () => new Slot(settings, (slot) => this.next(slot)));
  }

  /** Files wait their turn; one whose request has gone (`signal` aborted) leaves the queue unread. */
  inspect(bytes: Buffer, signal?: AbortSignal): Promise<Inspection> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = { bytes, resolve, reject };
      const idle = this.slots.find((s) => !s.busy);
      if (idle) return idle.run(job);
      this.queue.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(job);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  private next(slot: Slot): void {
    const job = this.queue.shift();
    if (job) slot.run(job);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()));
  }
}

let shared: EvidenceInspector | undefined;
/** One pool per process, started on first use. */
export const sharedInspector = (): EvidenceInspector => (shared ??= new EvidenceInspector());
