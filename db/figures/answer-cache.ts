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
  ttlMs?: number;
  /** The clock expiry is measured on. */
  clock?: () => number;
}

interface Entry {
  value: Promise<unknown>;
  at: number;
}

export class FigureCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  hits = 0;
  misses = 0;

  constructor(o: FigureCacheOptions = {}) {
    this.maxEntries = o.maxEntries ?? 500;
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
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
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
