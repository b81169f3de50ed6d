/**
 * Figure answers kept by the process between folds. An answer read from the summary is the same
 * for every caller until the summary moves (`figure_folds.version`), the calendar is imported
 * anew, the directory whose names answers show changes, or the day turns, and those are part of
 * each key (db/figures/answers.ts); so a city's leaders refreshing the same dashboard cost one
 * computation per fold, not one per request. Entries also expire after `ttlMs`, a bound on what
 * any change outside those stamps can leave stale. Whoever may see a node is checked before the
 * cache is asked: keys name the node, never the caller.
 */
export interface FigureCacheOptions {
  /** Answers kept at most (least recently used go first). */
  maxEntries?: number;
  /**
   * Bytes of answers kept at most, as JSON: a caller asking for many large answers (every period
   * of a city's breakdown by supervisor) pushes others out rather than growing the process.
   */
  maxBytes?: number;
  ttlMs?: number;
  /** The clock expiry is measured on. */
  clock?: () => number;
}

interface Entry {
  value: Promise<unknown>;
  at: number;
  /** Its size as JSON, once computed (0 until then). */
  bytes: number;
}

export class FigureCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  hits = 0;
  misses = 0;

  constructor(o: FigureCacheOptions = {}) {
    this.maxEntries = o.maxEntries ?? 500;
    this.maxBytes = o.maxBytes ?? 32 * 1024 * 1024;
    this.ttlMs = o.ttlMs ?? 60_000;
    this.clock = o.clock ?? Date.now;
  }

  /**
   * The answer kept under `key`, or `compute`'s, kept. Callers asking while it is computed share
   * the one computation; a computation that fails is not kept.
   */
  remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const known = this.entries.get(key);
    if (known && now - known.at < this.ttlMs) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, known);
      this.hits++;
      return known.value as Promise<T>;
    }
    this.misses++;
    const value = compute();
    this.forget(key);
    const entry: Entry = { value, at: now, bytes: 0 };
    this.entries.set(key, entry);
    value.then(
      (answer) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = Buffer.byteLength(JSON.stringify(answer) ?? '');
        this.bytes += entry.bytes;
        if (entry.bytes > this.maxBytes) this.forget(key);
        this.trim();
      },
      () => {
        if (this.entries.get(key) === entry) this.forget(key);
      },
    );
    this.trim();
    return value;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  /** Least recently used first, until within both bounds. */
  private trim(): void {
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) this.forget(this.entries.keys().next().value!);
  }

  /** Bytes of the answers kept, as JSON. */
  get keptBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.size;
  }
}

const perDatabase = new WeakMap<object, FigureCache>();

/** The process's one cache of answers read through a database handle. */
export function figureCacheOf(db: object): FigureCache {
  let cache = perDatabase.get(db);
  if (!cache) perDatabase.set(db, (cache = new FigureCache()));
  return cache;
}
