/**
 * Scale math of the timeline: the visible time window (a viewport), its mapping to pixels, and
 * zooming and panning it inside the trace's limits.
 *
 * All times are nanoseconds in the tracer's clock (absolute, like `DropRow.timestampNs`); all
 * pixel values are CSS pixels. Pure functions, O(1).
 */

/** The visible half-open time window `[startNs, endNs)`. */
export interface TimeViewport {
  readonly startNs: number;
  readonly endNs: number;
}

/** The narrowest window the user can zoom to (1 µs), so buckets never go below 1 ns. */
export const MIN_SPAN_NS = 1_000;

/**
 * The window that shows the whole trace: `[firstNs, lastNs]` plus one percent after the last
 * event, so that the last event's bar is inside the window.
 *
 * Traces whose events share one timestamp get a `MIN_SPAN_NS` window starting at it.
 */
export function fullViewport(firstNs: number, lastNs: number): TimeViewport {
  const span = Math.max(lastNs - firstNs, 0);
  if (span < MIN_SPAN_NS) return { startNs: firstNs, endNs: firstNs + MIN_SPAN_NS };
  return { startNs: firstNs, endNs: lastNs + Math.max(1, Math.ceil(span / 100)) };
}

/** Width of a viewport in nanoseconds. */
export function spanOf(view: TimeViewport): number {
  return view.endNs - view.startNs;
}

/** The x position (CSS px from the left edge) of a time. */
export function nsToPx(view: TimeViewport, widthPx: number, ns: number): number {
  return ((ns - view.startNs) / spanOf(view)) * widthPx;
}

/** The time at an x position (CSS px from the left edge). */
export function pxToNs(view: TimeViewport, widthPx: number, px: number): number {
  return view.startNs + (px / Math.max(widthPx, 1)) * spanOf(view);
}

/**
 * Moves and shrinks a viewport so it lies inside `limits`.
 *
 * The span is kept between `MIN_SPAN_NS` and the limits' span; a window sticking out on one side
 * is slid back in rather than cut, so panning against an edge keeps the zoom level.
 */
export function clampViewport(view: TimeViewport, limits: TimeViewport): TimeViewport {
  const maxSpan = Math.max(spanOf(limits), MIN_SPAN_NS);
  const span = Math.min(Math.max(spanOf(view), MIN_SPAN_NS), maxSpan);
  let startNs = view.startNs;
  if (startNs < limits.startNs) startNs = limits.startNs;
  if (startNs + span > limits.startNs + maxSpan) startNs = limits.startNs + maxSpan - span;
  return { startNs, endNs: startNs + span };
}

/**
 * Zooms around an anchor time: the anchor stays under the same pixel.
 *
 * `factor` < 1 zooms in (the span is multiplied by it), > 1 zooms out. The result is clamped to
 * `limits` (see `clampViewport`).
 */
export function zoomViewport(
  view: TimeViewport,
  anchorNs: number,
  factor: number,
  limits: TimeViewport,
): TimeViewport {
  const span = spanOf(view);
  const maxSpan = Math.max(spanOf(limits), MIN_SPAN_NS);
  const newSpan = Math.min(Math.max(span * factor, MIN_SPAN_NS), maxSpan);
  const ratio = span > 0 ? (anchorNs - view.startNs) / span : 0.5;
  const startNs = anchorNs - ratio * newSpan;
  return clampViewport({ startNs, endNs: startNs + newSpan }, limits);
}

/** Shifts a viewport by `deltaNs` (positive = later), clamped to `limits`. */
export function panViewport(
  view: TimeViewport,
  deltaNs: number,
  limits: TimeViewport,
): TimeViewport {
  return clampViewport({ startNs: view.startNs + deltaNs, endNs: view.endNs + deltaNs }, limits);
}

/** Whether two viewports are the same window. */
export function isSameViewport(a: TimeViewport, b: TimeViewport): boolean {
  return a.startNs === b.startNs && a.endNs === b.endNs;
}
