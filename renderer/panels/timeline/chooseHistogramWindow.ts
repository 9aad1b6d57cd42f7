/**
 * Chooses which histogram the timeline asks for: a window padded by one screen on each side, at a
 * power-of-two resolution, aligned to its bucket width.
 *
 * Motivation: with a power-of-two `bucketNs` the resolution only changes when the zoom crosses a
 * factor of two, and with one screen of padding on each side a pan of less than a screen is
 * served from the cache; so a drag or a wheel gesture costs at most a request or two instead of
 * one per frame, and the cache keys repeat when the user comes back to a place.
 */
import { spanOf, type TimeViewport } from './timeScale';

/** The histogram one request covers: `buckets` buckets of `bucketNs` from `startNs`. */
export interface HistogramWindow {
  readonly startNs: number;
  readonly bucketNs: number;
  readonly buckets: number;
}

/** Width of one bar in CSS pixels at the requested resolution (bars are at least this wide). */
export const BAR_PX = 3;

/** The contract's bucket limit per request (`trace:histogram` schema). */
export const MAX_BUCKETS = 20_000;

/**
 * The smallest power of two (in ns, at least 1) that is ≥ `value`.
 *
 * Exact for every result up to 2^1023; O(1).
 */
export function powerOfTwoAtLeast(value: number): number {
  if (!(value > 1)) return 1;
  let power = 2 ** Math.ceil(Math.log2(value));
  // log2 can be off by one ulp around exact powers; fix both directions.
  if (power / 2 >= value) power /= 2;
  if (power < value) power *= 2;
  return power;
}

/**
 * The histogram to request for a viewport drawn `widthPx` wide.
 *
 * `bucketNs` is the smallest power of two giving bars at least `barPx` wide; the window covers the
 * viewport plus one viewport on each side, cut to `limits` (no data lies outside them), with
 * `startNs` a multiple of `bucketNs`. Never more than `MAX_BUCKETS` buckets.
 */
export function chooseHistogramWindow(
  view: TimeViewport,
  widthPx: number,
  limits: TimeViewport,
  barPx = BAR_PX,
): HistogramWindow {
  const span = spanOf(view);
  const bars = Math.max(1, Math.floor(Math.max(widthPx, 1) / barPx));
  const bucketNs = powerOfTwoAtLeast(span / bars);
  const paddedStart = Math.max(view.startNs - span, limits.startNs);
  const paddedEnd = Math.max(Math.min(view.endNs + span, limits.endNs), paddedStart + 1);
  const startNs = Math.floor(paddedStart / bucketNs) * bucketNs;
  const buckets = Math.min(Math.max(1, Math.ceil((paddedEnd - startNs) / bucketNs)), MAX_BUCKETS);
  return { startNs, bucketNs, buckets };
}

/** End of a window (exclusive). */
export function windowEndNs(window: HistogramWindow): number {
  return window.startNs + window.bucketNs * window.buckets;
}

/**
 * The part of a viewport that can hold data: its intersection with `limits`, or null when they
 * do not overlap (nothing there to fetch).
 */
export function dataPartOf(view: TimeViewport, limits: TimeViewport): TimeViewport | null {
  const startNs = Math.max(view.startNs, limits.startNs);
  const endNs = Math.min(view.endNs, limits.endNs);
  return endNs > startNs ? { startNs, endNs } : null;
}

/** Whether a window holds every bucket of a time range. */
export function windowCovers(window: HistogramWindow, range: TimeViewport): boolean {
  return window.startNs <= range.startNs && windowEndNs(window) >= range.endNs;
}
