/**
 * Where things sit on the timeline canvas (CSS px, top to bottom): the stacked bars, the time
 * axis, and the brush strip (dragging there selects a time range).
 */

/** The canvas regions of one size. */
export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** Bars span `chartTop`…`chartBottom` (the zero line). */
  readonly chartTop: number;
  readonly chartBottom: number;
  /** Tick labels span `chartBottom`…`stripTop`. */
  readonly stripTop: number;
  /** The brush strip spans `stripTop`…`height`. */
  readonly stripBottom: number;
}

/** Height of the time axis under the bars. */
export const AXIS_HEIGHT_PX = 18;
/** Height of the brush strip at the bottom. */
export const STRIP_HEIGHT_PX = 18;
/** Room above the bars for the y-axis label. */
export const CHART_TOP_PX = 16;

/** The layout of a canvas `width` × `height` CSS px (regions shrink to nothing, never negative). */
export function timelineLayout(width: number, height: number): TimelineLayout {
  const stripBottom = Math.max(height, 0);
  const stripTop = Math.max(stripBottom - STRIP_HEIGHT_PX, 0);
  const chartBottom = Math.max(stripTop - AXIS_HEIGHT_PX, 0);
  const chartTop = Math.min(CHART_TOP_PX, chartBottom);
  return {
    width: Math.max(width, 0),
    height: stripBottom,
    chartTop,
    chartBottom,
    stripTop,
    stripBottom,
  };
}

/** A canvas region. */
export type TimelineRegion = 'chart' | 'axis' | 'strip';

/** The region at a y position, or null outside the canvas. */
export function regionAt(layout: TimelineLayout, y: number): TimelineRegion | null {
  if (y < 0 || y >= layout.height) return null;
  if (y >= layout.stripTop) return 'strip';
  if (y >= layout.chartBottom) return 'axis';
  return 'chart';
}
