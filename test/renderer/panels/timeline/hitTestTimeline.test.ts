import { describe, expect, it } from 'vitest';
import { bucketAt, seriesAt } from '../../../../renderer/panels/timeline/hitTestTimeline';
import { stackHistogram } from '../../../../renderer/panels/timeline/stackHistogram';

const window = { startNs: 0, bucketNs: 100, buckets: 30 };
const view = { startNs: 1000, endNs: 2000 }; // buckets 10…19 fill 1000 px

describe('bucketAt', () => {
  it('maps an x position to the bucket drawn there', () => {
    expect(bucketAt(window, view, 1000, 0)).toBe(10);
    expect(bucketAt(window, view, 1000, 99.9)).toBe(10);
    expect(bucketAt(window, view, 1000, 100)).toBe(11);
    expect(bucketAt(window, view, 1000, 999)).toBe(19);
  });

  it('returns null outside the canvas or the window', () => {
    expect(bucketAt(window, view, 1000, -1)).toBeNull();
    expect(bucketAt(window, view, 1000, 1001)).toBeNull();
    expect(bucketAt(window, { startNs: 2900, endNs: 3900 }, 1000, 500)).toBeNull();
  });
});

describe('seriesAt', () => {
  const stacked = stackHistogram(
    {
      startNs: 0,
      bucketNs: 1,
      buckets: 2,
      series: [
        { key: 'A', total: 3, counts: [3, 0] },
        { key: 'B', total: 2, counts: [2, 0] },
      ],
      outside: 0,
    },
    new Set(),
  );

  it('finds the segment containing a height', () => {
    expect(seriesAt(stacked, 0, 0)).toBe('A');
    expect(seriesAt(stacked, 0, 2.9)).toBe('A');
    expect(seriesAt(stacked, 0, 3)).toBe('B');
    expect(seriesAt(stacked, 0, 4.5)).toBe('B');
  });

  it('returns null above the stack, below zero, or on an empty bucket', () => {
    expect(seriesAt(stacked, 0, 5)).toBeNull();
    expect(seriesAt(stacked, 0, -1)).toBeNull();
    expect(seriesAt(stacked, 1, 0)).toBeNull();
  });
});
