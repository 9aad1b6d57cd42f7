import { describe, expect, it } from 'vitest';
import type { HistogramResult } from '../../../../shared/contract';
import type { HistogramWindow } from '../../../../renderer/panels/timeline/chooseHistogramWindow';
import {
  HistogramCache,
  histogramBaseKey,
  histogramCacheKey,
  type CachedHistogram,
} from '../../../../renderer/panels/timeline/HistogramCache';

const expr = { kind: 'in', field: 'reason', values: ['NO_SOCKET'] } as const;

function entry(baseKey: string, window: HistogramWindow): CachedHistogram {
  const result: HistogramResult = { ...window, series: [], outside: 0 };
  return { key: histogramCacheKey(baseKey, window), baseKey, window, result };
}

describe('histogramBaseKey', () => {
  it('differs by trace, filter expression and split field', () => {
    const key = histogramBaseKey('t1', { expr }, 'reason');
    expect(histogramBaseKey('t2', { expr }, 'reason')).not.toBe(key);
    expect(histogramBaseKey('t1', {}, 'reason')).not.toBe(key);
    expect(histogramBaseKey('t1', { expr }, 'cpu')).not.toBe(key);
  });

  it('ignores the time range, which is drawn rather than applied', () => {
    expect(histogramBaseKey('t1', { expr, timeRange: { startNs: 1, endNs: 2 } }, 'reason')).toBe(
      histogramBaseKey('t1', { expr }, 'reason'),
    );
  });
});

describe('histogramCacheKey', () => {
  it('adds the resolution and the aligned window', () => {
    const base = histogramBaseKey('t1', {}, 'reason');
    const a = histogramCacheKey(base, { startNs: 0, bucketNs: 1024, buckets: 100 });
    expect(a).not.toBe(histogramCacheKey(base, { startNs: 0, bucketNs: 2048, buckets: 100 }));
    expect(a).not.toBe(histogramCacheKey(base, { startNs: 1024, bucketNs: 1024, buckets: 100 }));
    expect(a).toBe(histogramCacheKey(base, { startNs: 0, bucketNs: 1024, buckets: 100 }));
  });
});

describe('HistogramCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new HistogramCache(2);
    const a = entry('b', { startNs: 0, bucketNs: 1, buckets: 10 });
    const b = entry('b', { startNs: 10, bucketNs: 1, buckets: 10 });
    const c = entry('b', { startNs: 20, bucketNs: 1, buckets: 10 });
    cache.put(a);
    cache.put(b);
    cache.get(a.key);
    cache.put(c);
    expect(cache.size).toBe(2);
    expect(cache.get(b.key)).toBeUndefined();
    expect(cache.get(a.key)).toBe(a);
  });

  it('finds a covering entry only at the same resolution and base key', () => {
    const cache = new HistogramCache();
    const coarse = entry('b', { startNs: 0, bucketNs: 2048, buckets: 100 });
    cache.put(coarse);
    cache.put(entry('other', { startNs: 0, bucketNs: 1024, buckets: 1000 }));
    const range = { startNs: 10_000, endNs: 20_000 };
    expect(cache.findCovering('b', 2048, range)).toBe(coarse);
    expect(cache.findCovering('b', 1024, range)).toBeUndefined();
    expect(cache.findCovering('b', 2048, { startNs: 10_000, endNs: 300_000 })).toBeUndefined();
  });

  it('draws from the best available entry: full coverage first, then the nearest resolution', () => {
    const cache = new HistogramCache();
    const partial = entry('b', { startNs: 0, bucketNs: 1024, buckets: 15 });
    const coarse = entry('b', { startNs: 0, bucketNs: 4096, buckets: 100 });
    const finer = entry('b', { startNs: 0, bucketNs: 512, buckets: 1000 });
    cache.put(partial);
    cache.put(coarse);
    const range = { startNs: 10_000, endNs: 20_000 };
    expect(cache.findBest('b', range, 1024)).toBe(coarse);
    cache.put(finer);
    // 512 is one step finer, 4096 two steps coarser: the nearer wins.
    expect(cache.findBest('b', range, 1024)).toBe(finer);
    expect(cache.findBest('nothing', range, 1024)).toBeUndefined();
  });

  it('prefers the coarser of two equally near resolutions', () => {
    const cache = new HistogramCache();
    const coarser = entry('b', { startNs: 0, bucketNs: 2048, buckets: 100 });
    const finer = entry('b', { startNs: 0, bucketNs: 512, buckets: 1000 });
    cache.put(finer);
    cache.put(coarser);
    expect(cache.findBest('b', { startNs: 0, endNs: 10_000 }, 1024)).toBe(coarser);
  });
});
