/**
 * The timeline's time axis: tick positions at 1-2-5 steps and readable labels in seconds relative
 * to the trace's first event, plus the duration wording the tooltip and header use.
 */
import { nsToPx, spanOf, type TimeViewport } from './timeScale';

/** One axis tick. */
export interface TimeTick {
  /** Absolute time (tracer clock). */
  readonly ns: number;
  /** x position in CSS px. */
  readonly px: number;
  readonly label: string;
}

/** Minimum room per label in CSS px. */
export const MIN_TICK_SPACING_PX = 90;

/**
 * The smallest 1, 2 or 5 × 10^k nanoseconds step (at least 1 ns) that keeps ticks at least
 * `minSpacingPx` apart over `spanNs` drawn `widthPx` wide.
 */
export function niceStepNs(
  spanNs: number,
  widthPx: number,
  minSpacingPx = MIN_TICK_SPACING_PX,
): number {
  const maxTicks = Math.max(1, Math.floor(Math.max(widthPx, 1) / minSpacingPx));
  const raw = spanNs / maxTicks;
  if (!(raw > 1)) return 1;
  let magnitude = 10 ** Math.floor(Math.log10(raw));
  for (;;) {
    for (const step of [1, 2, 5]) if (step * magnitude >= raw) return step * magnitude;
    magnitude *= 10;
  }
}

/** Decimal places that show a step of `stepNs` in seconds (0 to 9). */
export function decimalsForStep(stepNs: number): number {
  if (!(stepNs > 0)) return 9;
  return Math.min(9, Math.max(0, Math.ceil(-Math.log10(stepNs / 1e9) - 1e-9)));
}

/**
 * Seconds from the first event, with the decimals a step of `stepNs` needs: `12.5 s`, `0.003 s`,
 * `-1.2 s` (before the first event).
 */
export function formatRelativeSeconds(relativeNs: number, stepNs: number): string {
  const decimals = decimalsForStep(stepNs);
  const text = (relativeNs / 1e9).toFixed(decimals);
  // toFixed keeps a minus sign on values that round to zero.
  return `${/^-0(\.0*)?$/.test(text) ? text.slice(1) : text} s`;
}

/** A duration in the unit that reads best: `850 ns`, `12 µs`, `1.5 ms`, `2 s`, `3.5 min`. */
export function formatDuration(ns: number): string {
  const trim = (value: number): string => String(Number(value.toPrecision(3)));
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${trim(ns)} ns`;
  if (abs < 1e6) return `${trim(ns / 1e3)} µs`;
  if (abs < 1e9) return `${trim(ns / 1e6)} ms`;
  if (abs < 120e9) return `${trim(ns / 1e9)} s`;
  return `${trim(ns / 60e9)} min`;
}

/**
 * Ticks for a viewport drawn `widthPx` wide, labelled relative to `originNs` (the first event),
 * at multiples of a nice step counted from the origin (so `0 s` is a tick when visible).
 *
 * O(number of ticks) ≤ widthPx / `MIN_TICK_SPACING_PX` + 1.
 */
export function timeTicks(view: TimeViewport, widthPx: number, originNs: number): TimeTick[] {
  const step = niceStepNs(spanOf(view), widthPx);
  const first = Math.ceil((view.startNs - originNs) / step);
  const last = Math.floor((view.endNs - originNs) / step);
  const ticks: TimeTick[] = [];
  for (let k = first; k <= last; k++) {
    const relative = k * step;
    const ns = originNs + relative;
    ticks.push({ ns, px: nsToPx(view, widthPx, ns), label: formatRelativeSeconds(relative, step) });
  }
  return ticks;
}
