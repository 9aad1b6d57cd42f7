/**
 * The timeline's cache of fetched histograms, and the keys it files them under.
 *
 * A *base key* names what is counted (trace, filter expression, split field); a *cache key* adds
 * the resolution and the window. The draw asks `findBest` for whatever covers the viewport best
 * right now (an exact match, else a coarser or finer neighbour, else the best partial overlap), so
 * it never waits for a request; the fetch logic asks `findCovering` whether a request is needed.
 */
import type { HistogramResult } from '../../../shared/contract';
import type { EventField, FilterSpec } from '../../../shared/model';
import { windowCovers, windowEndNs, type HistogramWindow } from './chooseHistogramWindow';
import type { TimeViewport } from './timeScale';

/** One fetched histogram and what it answers. */
export interface CachedHistogram {
  readonly key: string;
  readonly baseKey: string;
  readonly window: HistogramWindow;
  readonly result: HistogramResult;
}

/**
 * The base key of a histogram: trace, filter expression and split field.
 *
 * The filter's time range is left out on purpose: the brushed range is drawn over the timeline,
 * not applied to it. Deterministic for equal inputs built in the same property order.
 */
export function histogramBaseKey(
  traceId: string,
  filter: FilterSpec,
  splitBy: EventField | null,
): string {
  return JSON.stringify([traceId, filter.expr ?? null, splitBy]);
}

/** The cache key of one request: base key, resolution and aligned window. */
export function histogramCacheKey(baseKey: string, window: HistogramWindow): string {
  return `${baseKey}|${window.bucketNs}|${window.startNs}|${window.buckets}`;
}

/** How much of `range` a window holds, from 0 to 1. */
function coverage(window: HistogramWindow, range: TimeViewport): number {
  const span = range.endNs - range.startNs;
  if (!(span > 0)) return 1;
  const overlap =
    Math.min(windowEndNs(window), range.endNs) - Math.max(window.startNs, range.startNs);
  return Math.max(0, Math.min(1, overlap / span));
}

/**
 * A small least-recently-used cache of histograms.
 *
 * Entries are a few thousand buckets × at most 20 series, so `capacity` entries stay well under
 * a few MB. Lookups scan the entries (O(capacity)).
 */
export class HistogramCache {
  private readonly entries = new Map<string, CachedHistogram>();
  /** Keys of entries counted before the trace last grew: drawn until replaced, never "covering". */
  private readonly outdated = new Set<string>();

  constructor(private readonly capacity = 24) {}

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry under `key` (marked as recently used), or undefined. */
  get(key: string): CachedHistogram | undefined {
    const entry = this.entries.get(key);
    if (entry) this.touch(entry);
    return entry;
  }

  /** Stores an entry, evicting the least recently used beyond capacity. */
  put(entry: CachedHistogram): void {
    this.outdated.delete(entry.key);
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
      this.outdated.delete(oldest.value);
    }
  }

  /** An entry with this base key and resolution that holds all of `range`, or undefined. */
  findCovering(
    baseKey: string,
    bucketNs: number,
    range: TimeViewport,
  ): CachedHistogram | undefined {
    for (const entry of this.entries.values()) {
      if (entry.baseKey !== baseKey || entry.window.bucketNs !== bucketNs) continue;
      if (this.outdated.has(entry.key)) continue;
      if (windowCovers(entry.window, range)) return this.touch(entry);
    }
    return undefined;
  }

  /**
   * The entry best suited to draw `range` now, or undefined when none of this base key overlaps.
   *
   * Preference: most of the range covered; then the resolution nearest to `bucketNs` (by factors
   * of two), a coarser one winning a tie because it looks like the answer, only blockier.
   */
  findBest(baseKey: string, range: TimeViewport, bucketNs: number): CachedHistogram | undefined {
    let best: CachedHistogram | undefined;
    let bestScore = -Infinity;
    for (const entry of this.entries.values()) {
      if (entry.baseKey !== baseKey) continue;
      const covered = coverage(entry.window, range);
      if (covered <= 0) continue;
      const steps = Math.log2(entry.window.bucketNs / bucketNs);
      const distance = steps >= 0 ? steps : -steps + 0.5;
      // An outdated entry still draws (no blank frame while the trace grows), after fresh ones.
      const score = covered * 1000 - distance - (this.outdated.has(entry.key) ? 500 : 0);
      if (score > bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    return best ? this.touch(best) : undefined;
  }

  /**
   * The trace grew (a live capture): every entry is outdated — still drawn, but asked for again.
   */
  markOutdated(): void {
    for (const key of this.entries.keys()) this.outdated.add(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.outdated.clear();
  }

  private touch(entry: CachedHistogram): CachedHistogram {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    return entry;
  }
}
