import { describe, expect, it } from 'vitest';
import type { HistogramResult } from '../../../../shared/contract';
import {
  maxStack,
  niceCeiling,
  stackHistogram,
} from '../../../../renderer/panels/timeline/stackHistogram';

const result: HistogramResult = {
  startNs: 0,
  bucketNs: 10,
  buckets: 4,
  series: [
    { key: 'NO_SOCKET', total: 9, counts: [5, 0, 3, 1] },
    { key: 'TCP_CSUM', total: 4, counts: [1, 2, 0, 1] },
    { key: 'other', total: 2, counts: [0, 0, 2, 0] },
  ],
  outside: 0,
};

describe('stackHistogram', () => {
  it('stacks the series bottom-up in the histogram order', () => {
    const stacked = stackHistogram(result, new Set());
    expect(stacked.series.map((s) => s.key)).toEqual(['NO_SOCKET', 'TCP_CSUM', 'other']);
    const second = stacked.series[1]!;
    expect([...second.bottom]).toEqual([5, 0, 3, 1]);
    expect([...second.top]).toEqual([6, 2, 3, 2]);
    expect([...stacked.totals]).toEqual([6, 2, 5, 2]);
  });

  it('leaves hidden series out of the stack and the totals', () => {
    const stacked = stackHistogram(result, new Set(['NO_SOCKET']));
    expect(stacked.series.map((s) => s.key)).toEqual(['TCP_CSUM', 'other']);
    expect([...stacked.series[0]!.bottom]).toEqual([0, 0, 0, 0]);
    expect([...stacked.totals]).toEqual([1, 2, 2, 1]);
  });
});

describe('maxStack', () => {
  it('finds the tallest stack in the bucket range only', () => {
    const stacked = stackHistogram(result, new Set());
    expect(maxStack(stacked, 0, 4)).toBe(6);
    expect(maxStack(stacked, 1, 3)).toBe(5);
    expect(maxStack(stacked, -5, 100)).toBe(6);
    expect(maxStack(stacked, 2, 2)).toBe(0);
  });
});

describe('niceCeiling', () => {
  it('rounds up to a readable count that the tallest bar fills to at least 75 %', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(3)).toBe(3);
    expect(niceCeiling(10)).toBe(10);
    expect(niceCeiling(11)).toBe(12);
    expect(niceCeiling(4_321)).toBe(5_000);
    for (const max of [7, 13, 99, 1234, 77_777]) {
      expect(max / niceCeiling(max)).toBeGreaterThanOrEqual(0.75);
    }
  });
});
