/**
 * Hit testing on the drawn histogram: which bucket is under an x position, and which series'
 * bar segment is under a count height.
 */
import type { HistogramWindow } from './chooseHistogramWindow';
import type { StackedHistogram } from './stackHistogram';
import { pxToNs, type TimeViewport } from './timeScale';

/**
 * Index of the bucket of `window` under x (CSS px) when `view` is drawn `widthPx` wide, or null
 * when x falls outside the window. O(1).
 */
export function bucketAt(
  window: HistogramWindow,
  view: TimeViewport,
  widthPx: number,
  x: number,
): number | null {
  if (x < 0 || x > widthPx) return null;
  const index = Math.floor((pxToNs(view, widthPx, x) - window.startNs) / window.bucketNs);
  return index >= 0 && index < window.buckets ? index : null;
}

/**
 * Key of the series whose bar segment in `bucket` contains the height `count` (in counts from the
 * zero line), or null above the stack or on an empty bucket. O(series).
 */
export function seriesAt(stacked: StackedHistogram, bucket: number, count: number): string | null {
  if (count < 0) return null;
  for (const one of stacked.series) {
    const bottom = one.bottom[bucket];
    const top = one.top[bucket];
    if (bottom === undefined || top === undefined || top <= bottom) continue;
    if (count >= bottom && count < top) return one.key;
  }
  return null;
}
