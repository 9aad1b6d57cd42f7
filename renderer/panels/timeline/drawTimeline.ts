/**
 * Draws one frame of the timeline on a 2D canvas: y gridlines and label, stacked bars, the hovered
 * bucket, the brushed range, the time axis and the brush strip.
 *
 * Synchronous and allocation-light: it reads only what the frame hands it (an already stacked,
 * cached histogram), so a frame costs O(visible buckets × shown series) canvas rects — at most a
 * few thousand × 20 — whatever the size of the trace. Bars are batched into one path per series.
 */
import type { TimeRange } from '../../../shared/model';
import { windowEndNs, type HistogramWindow } from './chooseHistogramWindow';
import { maxStack, niceCeiling, type StackedHistogram } from './stackHistogram';
import type { TimelineLayout } from './timelineLayout';
import { formatDuration, timeTicks } from './timeTicks';
import { nsToPx, type TimeViewport } from './timeScale';

/** Colours and font of the canvas, read from the panel's CSS. */
export interface TimelineTheme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly accent: string;
  /** Outline drawn behind labels that sit over bars (the background's colour, nearly opaque). */
  readonly halo: string;
  readonly font: string;
}

/** The histogram a frame draws. */
export interface FrameHistogram {
  readonly window: HistogramWindow;
  readonly stacked: StackedHistogram;
  /** Drawn faded: it answers an older filter or split (the fresh one is on its way). */
  readonly stale: boolean;
}

/** Everything one frame needs. */
export interface TimelineFrame {
  readonly layout: TimelineLayout;
  readonly view: TimeViewport;
  readonly originNs: number;
  readonly histogram: FrameHistogram | null;
  readonly colourOf: (key: string) => string;
  readonly brush: TimeRange | null;
  readonly hoverBucket: number | null;
  /** Centered in the chart (e.g. "Loading…"), or null. */
  readonly message: string | null;
  readonly theme: TimelineTheme;
}

/** What a drawn frame decided, for hit testing and the tooltip. */
export interface DrawnFrame {
  /** Count at the top gridline (the y scale is `chartHeight / yMax` px per drop). */
  readonly yMax: number;
}

/** Index range `[from, to)` of the buckets of `window` that intersect `view`. */
export function visibleBuckets(
  window: HistogramWindow,
  view: TimeViewport,
): { from: number; to: number } {
  const from = Math.max(0, Math.floor((view.startNs - window.startNs) / window.bucketNs));
  const to = Math.min(window.buckets, Math.ceil((view.endNs - window.startNs) / window.bucketNs));
  return { from, to: Math.max(from, to) };
}

/**
 * Draws a frame. The context must already be scaled so that one unit is one CSS pixel.
 */
export function drawTimeline(ctx: CanvasRenderingContext2D, frame: TimelineFrame): DrawnFrame {
  const { layout, view, theme } = frame;
  const width = layout.width;
  const chartHeight = layout.chartBottom - layout.chartTop;
  ctx.clearRect(0, 0, width, layout.height);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';

  let yMax = 1;
  const histogram = frame.histogram;
  if (histogram) {
    const { from, to } = visibleBuckets(histogram.window, view);
    yMax = niceCeiling(maxStack(histogram.stacked, from, to));
    drawGrid(ctx, frame);
    if (chartHeight > 0) drawBars(ctx, frame, histogram, from, to, chartHeight / yMax);
    if (frame.hoverBucket !== null) drawHover(ctx, frame, histogram.window, frame.hoverBucket);
    drawYLabels(ctx, frame, yMax, histogram.window.bucketNs);
  }
  drawBrush(ctx, frame);
  drawAxis(ctx, frame);
  drawStrip(ctx, frame);
  if (frame.message) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.fillText(frame.message, width / 2, (layout.chartTop + layout.chartBottom) / 2);
  }
  return { yMax };
}

function drawGrid(ctx: CanvasRenderingContext2D, frame: TimelineFrame): void {
  const { layout, theme } = frame;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  const mid = (layout.chartTop + layout.chartBottom) / 2;
  ctx.beginPath();
  for (const y of [layout.chartTop, mid]) {
    ctx.moveTo(0, Math.round(y) + 0.5);
    ctx.lineTo(layout.width, Math.round(y) + 0.5);
  }
  ctx.stroke();
}

/** The y scale's labels, drawn over the bars with a halo so that they stay readable. */
function drawYLabels(
  ctx: CanvasRenderingContext2D,
  frame: TimelineFrame,
  yMax: number,
  bucketNs: number,
): void {
  const { layout, theme } = frame;
  const mid = (layout.chartTop + layout.chartBottom) / 2;
  ctx.save();
  ctx.textAlign = 'left';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = theme.halo;
  ctx.fillStyle = theme.muted;
  const label = (text: string, y: number): void => {
    ctx.strokeText(text, 4, y);
    ctx.fillText(text, 4, y);
  };
  label(
    `${yMax.toLocaleString('en-US')} drops per ${formatDuration(bucketNs)}`,
    Math.max(layout.chartTop - 8, 6),
  );
  if (Number.isInteger(yMax / 2) && mid - layout.chartTop > 14) {
    label((yMax / 2).toLocaleString('en-US'), mid - 7);
  }
  ctx.restore();
}

function drawBars(
  ctx: CanvasRenderingContext2D,
  frame: TimelineFrame,
  histogram: FrameHistogram,
  from: number,
  to: number,
  pxPerDrop: number,
): void {
  const { layout, view } = frame;
  const { window, stacked } = histogram;
  const bucketPx =
    nsToPx(view, layout.width, window.startNs + window.bucketNs) -
    nsToPx(view, layout.width, window.startNs);
  const gap = bucketPx >= 4 ? 1 : 0;
  const barWidth = Math.max(bucketPx - gap, 1);
  // Pixels already stacked per bucket: every non-empty segment gets at least one pixel, so a lone
  // drop next to a burst of thousands stays visible.
  const stackedPx = new Float64Array(to - from);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, layout.chartTop, layout.width, layout.chartBottom - layout.chartTop);
  ctx.clip();
  ctx.globalAlpha = histogram.stale ? 0.4 : 1;
  for (const series of stacked.series) {
    ctx.fillStyle = frame.colourOf(series.key);
    ctx.beginPath();
    for (let i = from; i < to; i++) {
      const count = (series.top[i] as number) - (series.bottom[i] as number);
      if (count <= 0) continue;
      const height = Math.max(count * pxPerDrop, 1);
      const below = stackedPx[i - from] as number;
      stackedPx[i - from] = below + height;
      const x = nsToPx(view, layout.width, window.startNs + i * window.bucketNs);
      ctx.rect(x, layout.chartBottom - below - height, barWidth, height);
    }
    ctx.fill();
  }
  ctx.restore();
}

function drawHover(
  ctx: CanvasRenderingContext2D,
  frame: TimelineFrame,
  window: HistogramWindow,
  bucket: number,
): void {
  const { layout, view, theme } = frame;
  const x0 = nsToPx(view, layout.width, window.startNs + bucket * window.bucketNs);
  const x1 = nsToPx(
    view,
    layout.width,
    Math.min(window.startNs + (bucket + 1) * window.bucketNs, windowEndNs(window)),
  );
  ctx.save();
  ctx.globalAlpha = 0.12;
  ctx.fillStyle = theme.text;
  ctx.fillRect(x0, layout.chartTop, Math.max(x1 - x0, 1), layout.chartBottom - layout.chartTop);
  ctx.restore();
}

function drawBrush(ctx: CanvasRenderingContext2D, frame: TimelineFrame): void {
  const { layout, view, theme, brush } = frame;
  if (!brush) return;
  const x0 = Math.max(nsToPx(view, layout.width, brush.startNs), -1);
  const x1 = Math.min(nsToPx(view, layout.width, brush.endNs), layout.width + 1);
  if (x1 < 0 || x0 > layout.width) return;
  const width = Math.max(x1 - x0, 1);
  ctx.save();
  ctx.fillStyle = theme.accent;
  ctx.globalAlpha = 0.14;
  ctx.fillRect(x0, layout.chartTop, width, layout.chartBottom - layout.chartTop);
  ctx.globalAlpha = 0.7;
  ctx.fillRect(x0, layout.stripTop + 3, width, layout.stripBottom - layout.stripTop - 6);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const x of [x0, x0 + width]) {
    ctx.moveTo(Math.round(x) + 0.5, layout.chartTop);
    ctx.lineTo(Math.round(x) + 0.5, layout.stripBottom);
  }
  ctx.stroke();
  ctx.restore();
}

function drawAxis(ctx: CanvasRenderingContext2D, frame: TimelineFrame): void {
  const { layout, view, theme } = frame;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const baseline = Math.round(layout.chartBottom) + 0.5;
  ctx.moveTo(0, baseline);
  ctx.lineTo(layout.width, baseline);
  const ticks = timeTicks(view, layout.width, frame.originNs);
  for (const tick of ticks) {
    const x = Math.round(tick.px) + 0.5;
    ctx.moveTo(x, baseline);
    ctx.lineTo(x, baseline + 4);
  }
  ctx.stroke();
  ctx.fillStyle = theme.muted;
  const labelY = (layout.chartBottom + layout.stripTop) / 2 + 2;
  for (const tick of ticks) {
    const half = ctx.measureText(tick.label).width / 2;
    // Keep edge labels inside the canvas.
    const x = Math.min(Math.max(tick.px, half + 2), layout.width - half - 2);
    ctx.textAlign = 'center';
    ctx.fillText(tick.label, x, labelY);
  }
}

function drawStrip(ctx: CanvasRenderingContext2D, frame: TimelineFrame): void {
  const { layout, theme } = frame;
  const height = layout.stripBottom - layout.stripTop;
  if (height <= 0) return;
  ctx.save();
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, layout.stripTop + 3, layout.width, height - 6);
  ctx.restore();
  if (!frame.brush) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.fillText(
      'drag here (or shift-drag the chart) to select a time range',
      layout.width / 2,
      layout.stripTop + height / 2,
    );
  }
}
