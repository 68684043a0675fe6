// Remembers drift results per resource so an unchanged (desired content, live resourceVersion)
// pair is not compared again: a watch event or an edit recomputes only the resources it touched.
// Holds masked results only — Secret values never enter the cache.
import type { ResourceDrift } from './driftTypes';

/** A result before source ranges are attached (ranges move when lines above a field change; content does not). */
export interface CachedDrift {
  drift: ResourceDrift;
  /** Per field: the pointer in Git's object whose source range to show, if any. */
  rangePointers: ReadonlyArray<string | undefined>;
}

export interface DriftCacheStats {
  hits: number;
  misses: number;
  size: number;
}

export class DriftCache {
  private readonly entries = new Map<string, { signature: string; value: CachedDrift }>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxEntries = 50_000) {}

  /** The cached result for a resource if it was computed for the same inputs (`signature`). */
  get(resourceKey: string, signature: string): CachedDrift | undefined {
    const entry = this.entries.get(resourceKey);
    if (entry && entry.signature === signature) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    return undefined;
  }

  set(resourceKey: string, signature: string, value: CachedDrift): void {
    // Re-inserting keeps Map order = least recently written first, for eviction.
    this.entries.delete(resourceKey);
    this.entries.set(resourceKey, { signature, value });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Forgets one resource (deleted from Git and cluster, say). */
  invalidate(resourceKey: string): void {
    this.entries.delete(resourceKey);
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): DriftCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }
}
