/**
 * Stacking of histogram series into bars: for each shown series and bucket, the bar's bottom and
 * top in counts, and the tallest stack over a bucket range (the chart's y scale).
 */
import type { HistogramResult } from '../../../shared/contract';

/** One series stacked: `bottom[i]`…`top[i]` is its bar in bucket i (in counts). */
export interface StackedSeries {
  readonly key: string;
  readonly bottom: Float64Array;
  readonly top: Float64Array;
}

/** The shown series of a histogram, stacked bottom-up in the histogram's order. */
export interface StackedHistogram {
  readonly buckets: number;
  readonly series: readonly StackedSeries[];
  /** `totals[i]`: the stack height of bucket i (sum of shown series). */
  readonly totals: Float64Array;
}

/**
 * Stacks the series of `result` that are not in `hidden`, first series at the bottom (the
 * histogram lists the largest first, so the biggest series sits on the axis where it is easiest
 * to read).
 *
 * O(buckets × series); allocates two arrays per shown series.
 */
export function stackHistogram(
  result: HistogramResult,
  hidden: ReadonlySet<string>,
): StackedHistogram {
  const buckets = result.buckets;
  const totals = new Float64Array(buckets);
  const series: StackedSeries[] = [];
  for (const one of result.series) {
    if (hidden.has(one.key)) continue;
    const bottom = new Float64Array(buckets);
    const top = new Float64Array(buckets);
    for (let i = 0; i < buckets; i++) {
      const base = totals[i] as number;
      bottom[i] = base;
      const next = base + (one.counts[i] ?? 0);
      top[i] = next;
      totals[i] = next;
    }
    series.push({ key: one.key, bottom, top });
  }
  return { buckets, series, totals };
}

/**
 * The tallest stack among buckets `[from, to)` (indexes are clamped to the histogram), or 0.
 *
 * O(to − from).
 */
export function maxStack(stacked: StackedHistogram, from: number, to: number): number {
  const start = Math.max(0, Math.floor(from));
  const end = Math.min(stacked.buckets, Math.ceil(to));
  let max = 0;
  for (let i = start; i < end; i++) {
    const value = stacked.totals[i] as number;
    if (value > max) max = value;
  }
  return max;
}

/**
 * A rounded-up y-axis maximum: the smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is
 * ≥ `max` (at least 1), so the top gridline carries a readable count and the tallest bar fills
 * at least three quarters of the height.
 */
export function niceCeiling(max: number): number {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const candidate = step * magnitude;
    if (candidate >= max) return candidate;
  }
  return 10 * magnitude;
}
