/**
 * The timeline's engine room: owns the viewport, the histogram cache and fetcher, the pointer and
 * keyboard gestures, and the one requestAnimationFrame loop that redraws the canvas.
 *
 * How the parts fit: every input (new props, a resize, a pointer move, a histogram arriving)
 * changes a field and calls `invalidate()`, which asks for one animation frame if none is pending.
 * The frame (1) decides which histogram the viewport wants and asks the fetcher for it when the
 * cache has nothing covering it, (2) draws synchronously from the best cached histogram — never
 * waiting for the request — and (3) publishes a small snapshot (legend, tooltip, status) that
 * React renders through `useSyncExternalStore`. React never re-renders for a frame in which the
 * snapshot did not change, so panning and hovering cost canvas work only.
 */
import type { ContractClient, HistogramResult, RequestOf } from '../../../shared/contract';
import type { EventField, FilterSpec, TimeRange } from '../../../shared/model';
import { chooseHistogramWindow, dataPartOf, type HistogramWindow } from './chooseHistogramWindow';
import { drawTimeline, type FrameHistogram, type TimelineTheme } from './drawTimeline';
import { bucketAt, seriesAt } from './hitTestTimeline';
import {
  HistogramCache,
  histogramBaseKey,
  histogramCacheKey,
  type CachedHistogram,
} from './HistogramCache';
import { HistogramFetcher, type HistogramJob } from './HistogramFetcher';
import { SeriesColours, seriesLabel } from './SeriesColours';
import { stackHistogram, type StackedHistogram } from './stackHistogram';
import { regionAt, timelineLayout, type TimelineLayout } from './timelineLayout';
import { formatDuration, formatRelativeSeconds } from './timeTicks';
import {
  fullViewport,
  isSameViewport,
  panViewport,
  pxToNs,
  spanOf,
  zoomViewport,
  type TimeViewport,
} from './timeScale';

/** What the panel's props give the controller. */
export interface TimelineInputs {
  readonly client: ContractClient;
  readonly traceId: string;
  /** Filter without its time range (the brushed range is drawn, not applied). */
  readonly filter: FilterSpec;
  readonly timeRange: TimeRange | null;
  readonly splitBy: EventField;
  readonly firstNs: number | null;
  readonly lastNs: number | null;
  readonly onBrush: (range: TimeRange | null) => void;
  /** Grows while a live capture fills the trace: cached histograms are asked for again. */
  readonly dataVersion?: number;
  /** The trace is being captured: the view may follow the present. */
  readonly isLive?: boolean;
  /** Whether the view follows the present (the newest events stay in view as they arrive). */
  readonly isFollowing?: boolean;
  /** The user looked back (zoom, pan, brush) or reset the view: follow off or on again. */
  readonly onFollowChange?: (isFollowing: boolean) => void;
}

/** One legend entry. */
export interface LegendItem {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly hidden: boolean;
}

/** One row of the hover tooltip. */
export interface TooltipRow {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly count: number;
  /** The series under the pointer. */
  readonly isHovered: boolean;
}

/** The hover tooltip: a bucket's time range and its counts per shown series. */
export interface TooltipInfo {
  /** Pointer position in CSS px from the canvas's top-left corner. */
  readonly x: number;
  readonly y: number;
  /** `12.345 s – 12.346 s` (seconds from the first event). */
  readonly title: string;
  /** Bucket width, e.g. `1.05 ms`. */
  readonly duration: string;
  readonly rows: readonly TooltipRow[];
  readonly total: number;
}

/** What React renders around the canvas. */
export interface TimelineSnapshot {
  readonly legend: readonly LegendItem[];
  readonly tooltip: TooltipInfo | null;
  /** A histogram request is in flight. */
  readonly isLoading: boolean;
  /** The last failed request's message, or null. */
  readonly error: string | null;
  /** The viewport is narrower than the whole trace. */
  readonly isZoomed: boolean;
}

/** Browser services the controller needs, injectable for tests. */
export interface TimelineEnvironment {
  readonly requestFrame: (callback: () => void) => number;
  readonly cancelFrame: (handle: number) => void;
  readonly devicePixelRatio: () => number;
  readonly contextOf: (canvas: HTMLCanvasElement) => CanvasRenderingContext2D | null;
  readonly themeOf: (canvas: HTMLCanvasElement) => TimelineTheme;
}

/** Series per histogram: the top 11 and `other`. */
export const MAX_SERIES = 12;
/** Pointer travel (CSS px) below which a press is a click, not a drag. */
export const CLICK_SLOP_PX = 3;
/** Zoom per key press (+ zooms in by this factor, − out). */
export const KEY_ZOOM_FACTOR = 0.5;
/** Share of the viewport an arrow key pans. */
export const KEY_PAN_SHARE = 0.2;

type HistogramRequest = RequestOf<'trace:histogram'>;

interface Drag {
  readonly mode: 'pan' | 'brush';
  readonly pointerId: number;
  readonly startX: number;
  readonly startNs: number;
  readonly startView: TimeViewport;
  currentX: number;
}

const EMPTY_SNAPSHOT: TimelineSnapshot = {
  legend: [],
  tooltip: null,
  isLoading: false,
  error: null,
  isZoomed: false,
};

/** Reads the canvas theme from CSS custom properties on the canvas (with fallbacks). */
export function readCanvasTheme(canvas: HTMLCanvasElement): TimelineTheme {
  const style = getComputedStyle(canvas);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  const text = style.color || '#222222';
  return {
    text,
    muted: read('--timeline-muted', text),
    grid: read('--timeline-grid', 'rgba(128, 128, 128, 0.25)'),
    accent: read('--timeline-accent', '#2f6fde'),
    halo: isLightColour(text) ? 'rgba(24, 24, 24, 0.85)' : 'rgba(255, 255, 255, 0.85)',
    font: `11px ${style.fontFamily || 'system-ui, sans-serif'}`,
  };
}

/**
 * Whether a CSS colour (`rgb(…)`, `rgba(…)` or `#rrggbb`, as computed styles give them) is light;
 * light text means a dark background. Unparseable colours count as dark.
 */
export function isLightColour(colour: string): boolean {
  let channels: number[] = [];
  const rgb = /rgba?\(([^)]+)\)/.exec(colour);
  if (rgb?.[1])
    channels = rgb[1]
      .split(/[\s,/]+/)
      .slice(0, 3)
      .map(Number);
  else if (/^#[0-9a-f]{6}$/i.test(colour))
    channels = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));
  if (channels.length !== 3 || channels.some((c) => Number.isNaN(c))) return false;
  const [r, g, b] = channels as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140;
}

/** The browser's services. */
export function browserEnvironment(): TimelineEnvironment {
  return {
    requestFrame: (callback) => window.requestAnimationFrame(callback),
    cancelFrame: (handle) => window.cancelAnimationFrame(handle),
    devicePixelRatio: () => window.devicePixelRatio || 1,
    contextOf: (canvas) => canvas.getContext('2d'),
    themeOf: readCanvasTheme,
  };
}

/**
 * State and drawing of one timeline panel (see the file overview).
 *
 * Lives as long as the panel; call `deactivate()` when it unmounts. Runs on the renderer thread.
 */
export class TimelineController {
  private inputs: TimelineInputs | null = null;
  private baseKey = '';
  private limits: TimeViewport | null = null;
  private view: TimeViewport | null = null;
  private readonly cache = new HistogramCache();
  private readonly fetcher: HistogramFetcher<HistogramRequest>;
  private colours = new SeriesColours('reason');
  private hidden = new Set<string>();
  private hiddenVersion = 0;
  private stackMemo: {
    entry: CachedHistogram;
    hiddenVersion: number;
    stacked: StackedHistogram;
  } | null = null;
  /** The entry drawn last, drawn faded while a new filter's first histogram is on its way. */
  private lastDrawn: CachedHistogram | null = null;
  private readonly failed = new Map<string, string>();
  private lastError: string | null = null;

  private canvas: HTMLCanvasElement | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  private theme: TimelineTheme | null = null;
  private layout: TimelineLayout = timelineLayout(0, 0);
  private backingRatio = 0;
  private hover: { x: number; y: number } | null = null;
  private drag: Drag | null = null;
  private yMax = 1;

  private frameHandle: number | null = null;
  private snapshot: TimelineSnapshot = EMPTY_SNAPSHOT;
  private snapshotSignature = '';
  private readonly listeners = new Set<() => void>();
  private isActive = true;

  constructor(private readonly environment: TimelineEnvironment = browserEnvironment()) {
    this.fetcher = new HistogramFetcher<HistogramRequest>(
      (request) => this.fetchHistogram(request),
      (job, outcome) => {
        if (outcome.ok) {
          this.cache.put({
            key: job.key,
            baseKey: job.baseKey,
            window: job.window,
            result: outcome.result,
          });
          this.failed.delete(job.key);
          if (job.baseKey === this.baseKey) this.lastError = null;
        } else {
          this.failed.set(job.key, outcome.message);
          if (job.baseKey === this.baseKey) this.lastError = outcome.message;
        }
        this.invalidate();
      },
    );
  }

  // ---- React-facing store -------------------------------------------------------------------

  /** Subscribes to snapshot changes (for `useSyncExternalStore`). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current snapshot (a new object only when something in it changed). */
  readonly getSnapshot = (): TimelineSnapshot => this.snapshot;

  // ---- inputs ---------------------------------------------------------------------------------

  /** Takes the panel's props; cheap when nothing relevant changed. */
  setInputs(inputs: TimelineInputs): void {
    const previous = this.inputs;
    this.inputs = inputs;
    const traceChanged = previous?.traceId !== inputs.traceId;
    if (traceChanged) {
      this.fetcher.reset();
      this.view = null;
      this.lastDrawn = null;
      this.lastError = null;
    }
    if (traceChanged || previous?.splitBy !== inputs.splitBy) {
      this.colours = new SeriesColours(inputs.splitBy);
      this.hidden = new Set();
      this.hiddenVersion++;
    }
    if (!traceChanged && (previous.dataVersion ?? 0) !== (inputs.dataVersion ?? 0)) {
      this.cache.markOutdated();
    }
    const limits =
      inputs.firstNs === null
        ? null
        : fullViewport(inputs.firstNs, inputs.lastNs ?? inputs.firstNs);
    if (!limits) {
      this.limits = null;
      this.view = null;
    } else if (!this.limits || !isSameViewport(this.limits, limits)) {
      const wasFull = !this.view || !this.limits || isSameViewport(this.view, this.limits);
      this.limits = limits;
      if (wasFull || !this.view) this.view = limits;
      else if (inputs.isLive && inputs.isFollowing) {
        // Following: keep the zoom, slide the window so that it ends at the newest event.
        const span = Math.min(spanOf(this.view), spanOf(limits));
        this.view = { startNs: limits.endNs - span, endNs: limits.endNs };
      } else this.view = panViewport(this.view, 0, limits);
    } else if (inputs.isLive && inputs.isFollowing && !previous?.isFollowing && this.view) {
      // Follow switched on again: jump to the present, keeping the zoom.
      const span = spanOf(this.view);
      this.view = { startNs: this.limits.endNs - span, endNs: this.limits.endNs };
    }
    const baseKey = histogramBaseKey(
      inputs.traceId,
      { expr: inputs.filter.expr ?? null },
      inputs.splitBy,
    );
    if (baseKey !== this.baseKey) {
      this.baseKey = baseKey;
      this.lastError = null;
    }
    this.invalidate();
  }

  /** Attaches (or with null, detaches) the canvas to draw on. */
  attachCanvas(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    this.ctx = canvas ? this.environment.contextOf(canvas) : null;
    this.theme = canvas ? this.environment.themeOf(canvas) : null;
    this.backingRatio = 0;
    this.invalidate();
  }

  /** The canvas's CSS size changed (from a ResizeObserver). */
  resize(widthPx: number, heightPx: number): void {
    this.layout = timelineLayout(Math.floor(widthPx), Math.floor(heightPx));
    this.backingRatio = 0;
    if (this.canvas) this.theme = this.environment.themeOf(this.canvas);
    this.invalidate();
  }

  /** Re-reads the canvas colours (the app's theme changed). */
  refreshTheme(): void {
    if (this.canvas) this.theme = this.environment.themeOf(this.canvas);
    this.invalidate();
  }

  /**
   * Stops the frame loop and ignores the request in flight (the panel unmounted). `activate()`
   * starts again (React's strict mode unmounts and remounts once).
   */
  deactivate(): void {
    this.isActive = false;
    if (this.frameHandle !== null) this.environment.cancelFrame(this.frameHandle);
    this.frameHandle = null;
    this.fetcher.reset();
  }

  /** Starts the frame loop again after `deactivate()`. */
  activate(): void {
    this.isActive = true;
    this.invalidate();
  }

  // ---- gestures -------------------------------------------------------------------------------

  /**
   * A pointer went down at (x, y) CSS px on the canvas. Returns whether a drag started (the caller
   * then captures the pointer).
   */
  pointerDown(x: number, y: number, button: number, shiftKey: boolean, pointerId: number): boolean {
    if (button !== 0 || !this.view || !this.limits) return false;
    const region = regionAt(this.layout, y);
    if (region === null) return false;
    const mode = region === 'strip' || shiftKey ? 'brush' : 'pan';
    this.drag = {
      mode,
      pointerId,
      startX: x,
      startNs: pxToNs(this.view, this.layout.width, x),
      startView: this.view,
      currentX: x,
    };
    this.hover = null;
    this.invalidate();
    return true;
  }

  /** The pointer moved to (x, y) CSS px (dragging or hovering). */
  pointerMove(x: number, y: number, pointerId: number): void {
    const drag = this.drag;
    if (drag && drag.pointerId === pointerId) {
      drag.currentX = x;
      if (drag.mode === 'pan' && this.limits) {
        if (Math.abs(x - drag.startX) >= CLICK_SLOP_PX) this.pauseFollow();
        const nsPerPx = spanOf(drag.startView) / Math.max(this.layout.width, 1);
        this.view = panViewport(drag.startView, -(x - drag.startX) * nsPerPx, this.limits);
      }
    } else if (!drag) {
      this.hover = { x, y };
    }
    this.invalidate();
  }

  /** The pointer was released at x; ends a drag (a brush drag reports its range). */
  pointerUp(x: number, pointerId: number): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== pointerId) return;
    this.drag = null;
    drag.currentX = x;
    if (drag.mode === 'brush') {
      const moved = Math.abs(x - drag.startX) >= CLICK_SLOP_PX;
      if (moved) {
        const range = this.draftBrush(drag);
        if (range) {
          this.pauseFollow();
          this.inputs?.onBrush(range);
        }
      } else if (this.inputs?.timeRange) {
        // A click on the strip (or a shift-click) clears the brush.
        this.inputs.onBrush(null);
      }
    }
    this.invalidate();
  }

  /** The pointer left the canvas (or the drag was cancelled). */
  pointerLeave(): void {
    this.hover = null;
    this.invalidate();
  }

  /** Cancels a drag in progress without reporting anything. */
  cancelDrag(): void {
    if (this.drag?.mode === 'pan') this.view = this.drag.startView;
    this.drag = null;
    this.invalidate();
  }

  /**
   * A wheel event at x: vertical wheel zooms around x, a mostly horizontal one pans. `deltaMode`
   * as in WheelEvent (0 pixels, 1 lines, 2 pages). Returns whether it was used (prevent default).
   */
  wheel(x: number, deltaX: number, deltaY: number, deltaMode: number): boolean {
    if (!this.view || !this.limits) return false;
    if (deltaX !== 0 || deltaY !== 0) this.pauseFollow();
    const unit = deltaMode === 1 ? 16 : deltaMode === 2 ? Math.max(this.layout.height, 1) : 1;
    if (Math.abs(deltaX) > Math.abs(deltaY)) {
      const nsPerPx = spanOf(this.view) / Math.max(this.layout.width, 1);
      this.view = panViewport(this.view, deltaX * unit * nsPerPx, this.limits);
    } else if (deltaY !== 0) {
      const anchorNs = pxToNs(this.view, this.layout.width, x);
      this.view = zoomViewport(this.view, anchorNs, Math.exp(deltaY * unit * 0.002), this.limits);
    } else {
      return false;
    }
    this.invalidate();
    return true;
  }

  /** Double-click: back to the whole trace, brush cleared. */
  doubleClick(): void {
    this.reset();
  }

  /**
   * A key pressed while the panel has focus: `+`/`=` zoom in, `-` zoom out (around the pointer
   * when it is over the chart, else the middle), `0` resets zoom and brush, arrows pan, Escape
   * clears the brush. Returns whether the key was used.
   */
  key(key: string): boolean {
    if (!this.view || !this.limits) return false;
    const anchorNs = this.hover
      ? pxToNs(this.view, this.layout.width, this.hover.x)
      : (this.view.startNs + this.view.endNs) / 2;
    if (key !== '0' && key !== 'Escape') this.pauseFollow();
    switch (key) {
      case '+':
      case '=':
        this.view = zoomViewport(this.view, anchorNs, KEY_ZOOM_FACTOR, this.limits);
        break;
      case '-':
      case '_':
        this.view = zoomViewport(this.view, anchorNs, 1 / KEY_ZOOM_FACTOR, this.limits);
        break;
      case '0':
        this.reset();
        return true;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const direction = key === 'ArrowLeft' ? -1 : 1;
        this.view = panViewport(
          this.view,
          direction * KEY_PAN_SHARE * spanOf(this.view),
          this.limits,
        );
        break;
      }
      case 'Escape':
        if (this.drag) this.cancelDrag();
        else if (this.inputs?.timeRange) this.inputs.onBrush(null);
        else return false;
        break;
      default:
        return false;
    }
    this.invalidate();
    return true;
  }

  /** Shows or hides a series. */
  toggleSeries(key: string): void {
    if (this.hidden.has(key)) this.hidden.delete(key);
    else this.hidden.add(key);
    this.hiddenVersion++;
    this.invalidate();
  }

  /** Shows only this series (or everything again when it is already the only one shown). */
  soloSeries(key: string, keys: readonly string[]): void {
    const isSolo =
      !this.hidden.has(key) && keys.every((other) => other === key || this.hidden.has(other));
    this.hidden = new Set(isSolo ? [] : keys.filter((other) => other !== key));
    this.hiddenVersion++;
    this.invalidate();
  }

  /** Zooms out to the whole trace and clears the brush (a live trace follows again). */
  reset(): void {
    if (this.limits) this.view = this.limits;
    if (this.inputs?.timeRange) this.inputs.onBrush(null);
    if (this.inputs?.isLive && !this.inputs.isFollowing) this.inputs.onFollowChange?.(true);
    this.invalidate();
  }

  /** The user looks at the past of a live trace: stop following the present. */
  private pauseFollow(): void {
    if (this.inputs?.isLive && this.inputs.isFollowing) this.inputs.onFollowChange?.(false);
  }

  /** The current viewport (for tests and the header), or null without timestamps. */
  get viewport(): TimeViewport | null {
    return this.view;
  }

  // ---- the frame loop -------------------------------------------------------------------------

  /** Asks for a redraw on the next animation frame (at most one pending). */
  invalidate(): void {
    if (this.frameHandle !== null || !this.isActive) return;
    this.frameHandle = this.environment.requestFrame(() => {
      this.frameHandle = null;
      this.frame();
    });
  }

  private frame(): void {
    const inputs = this.inputs;
    const view = this.view;
    const limits = this.limits;
    const width = this.layout.width;
    if (!inputs || !view || !limits || width <= 0) {
      this.publish(null, null, null);
      return;
    }
    const wanted = chooseHistogramWindow(view, width, limits);
    const dataPart = dataPartOf(view, limits) ?? view;
    this.requestIfMissing(inputs, wanted, dataPart);
    const entry = this.cache.findBest(this.baseKey, dataPart, wanted.bucketNs);
    // lastDrawn is cleared when the trace changes, so a fallback is always of this trace.
    const shown = entry ?? this.lastDrawn;
    if (entry) this.lastDrawn = entry;
    const stacked = shown ? this.stackedOf(shown) : null;
    const histogram: FrameHistogram | null =
      shown && stacked
        ? { window: shown.window, stacked, stale: shown.baseKey !== this.baseKey }
        : null;
    const hoverBucket =
      histogram && this.hover && regionAt(this.layout, this.hover.y) !== 'strip'
        ? bucketAt(histogram.window, view, width, this.hover.x)
        : null;
    this.draw(inputs, view, histogram, hoverBucket);
    this.publish(shown, histogram, hoverBucket);
  }

  private requestIfMissing(
    inputs: TimelineInputs,
    wanted: HistogramWindow,
    dataPart: TimeViewport,
  ): void {
    if (this.cache.findCovering(this.baseKey, wanted.bucketNs, dataPart)) return;
    const key = histogramCacheKey(this.baseKey, wanted);
    if (this.failed.has(key)) return;
    const job: HistogramJob<HistogramRequest> = {
      key,
      baseKey: this.baseKey,
      window: wanted,
      request: {
        traceId: inputs.traceId,
        // Motivation: the expression alone (no time range) keeps the engine's selection cache to
        // one entry shared by every histogram of this filter, instead of one per window that
        // would evict the grid's sorted selections; a histogram pass over 10 M selected events
        // is one typed-array scan, and the power-of-two windows keep such requests rare.
        // The schema's inferred arrays are mutable where FilterExpr's are readonly; same shape.
        filter: { expr: inputs.filter.expr ?? null } as HistogramRequest['filter'],
        startNs: wanted.startNs,
        bucketNs: wanted.bucketNs,
        buckets: wanted.buckets,
        splitBy: inputs.splitBy,
        maxSeries: MAX_SERIES,
      },
    };
    this.fetcher.request(job);
  }

  private fetchHistogram(request: HistogramRequest): Promise<HistogramResult> {
    const client = this.inputs?.client;
    if (!client) return Promise.reject(new Error('The timeline has no connection.'));
    return client.call('trace:histogram', request);
  }

  private stackedOf(entry: CachedHistogram): StackedHistogram {
    const memo = this.stackMemo;
    if (memo && memo.entry === entry && memo.hiddenVersion === this.hiddenVersion)
      return memo.stacked;
    const stacked = stackHistogram(entry.result, this.hidden);
    this.stackMemo = { entry, hiddenVersion: this.hiddenVersion, stacked };
    return stacked;
  }

  private draftBrush(drag: Drag): TimeRange | null {
    if (!this.view || !this.limits) return null;
    const here = pxToNs(this.view, this.layout.width, drag.currentX);
    const startNs = Math.max(Math.floor(Math.min(drag.startNs, here)), this.limits.startNs);
    const endNs = Math.min(Math.ceil(Math.max(drag.startNs, here)), this.limits.endNs);
    return endNs > startNs ? { startNs, endNs } : null;
  }

  private draw(
    inputs: TimelineInputs,
    view: TimeViewport,
    histogram: FrameHistogram | null,
    hoverBucket: number | null,
  ): void {
    const canvas = this.canvas;
    const ctx = this.ctx;
    if (!canvas || !ctx || !this.theme) return;
    const ratio = this.environment.devicePixelRatio();
    if (ratio !== this.backingRatio) {
      // Device pixels for sharp lines on HiDPI screens; re-done when the window changes screens.
      canvas.width = Math.max(1, Math.round(this.layout.width * ratio));
      canvas.height = Math.max(1, Math.round(this.layout.height * ratio));
      this.backingRatio = ratio;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const brush =
      this.drag?.mode === 'brush' &&
      Math.abs(this.drag.currentX - this.drag.startX) >= CLICK_SLOP_PX
        ? this.draftBrush(this.drag)
        : inputs.timeRange;
    let message: string | null = null;
    if (!histogram)
      message = this.lastError ? `Could not load the histogram: ${this.lastError}` : 'Loading…';
    else if (histogram.stacked.series.length === 0 && histogram.stacked.buckets > 0)
      message = inputs.filter.expr ? 'No drops match the filter here' : 'No drops here';
    const drawn = drawTimeline(ctx, {
      layout: this.layout,
      view,
      originNs: inputs.firstNs ?? 0,
      histogram,
      colourOf: (key) => this.colours.colourOf(key),
      brush,
      hoverBucket,
      message,
      theme: this.theme,
    });
    this.yMax = drawn.yMax;
  }

  private publish(
    shown: CachedHistogram | null,
    histogram: FrameHistogram | null,
    hoverBucket: number | null,
  ): void {
    const field = this.inputs?.splitBy ?? 'reason';
    const legend: LegendItem[] = (shown?.result.series ?? []).map((series) => ({
      key: series.key,
      label: seriesLabel(field, series.key),
      colour: this.colours.colourOf(series.key),
      hidden: this.hidden.has(series.key),
    }));
    const tooltip =
      shown && histogram && hoverBucket !== null && this.hover
        ? this.tooltipFor(shown, histogram, hoverBucket, this.hover)
        : null;
    const next: TimelineSnapshot = {
      legend,
      tooltip,
      isLoading: this.fetcher.inFlightKey !== null,
      error: this.lastError,
      isZoomed: !!this.view && !!this.limits && !isSameViewport(this.view, this.limits),
    };
    const signature = JSON.stringify(next);
    if (signature === this.snapshotSignature) return;
    this.snapshotSignature = signature;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private tooltipFor(
    shown: CachedHistogram,
    histogram: FrameHistogram,
    bucket: number,
    hover: { x: number; y: number },
  ): TooltipInfo {
    const { window } = shown;
    const field = this.inputs?.splitBy ?? 'reason';
    const origin = this.inputs?.firstNs ?? 0;
    const startNs = window.startNs + bucket * window.bucketNs;
    const chartHeight = this.layout.chartBottom - this.layout.chartTop;
    const countAtPointer =
      chartHeight > 0 ? ((this.layout.chartBottom - hover.y) / chartHeight) * this.yMax : -1;
    const hoveredKey = seriesAt(histogram.stacked, bucket, countAtPointer);
    const rows: TooltipRow[] = [];
    let total = 0;
    for (const series of shown.result.series) {
      if (this.hidden.has(series.key)) continue;
      const count = series.counts[bucket] ?? 0;
      if (count === 0) continue;
      total += count;
      rows.push({
        key: series.key,
        label: seriesLabel(field, series.key),
        colour: this.colours.colourOf(series.key),
        count,
        isHovered: series.key === hoveredKey,
      });
    }
    return {
      x: hover.x,
      y: hover.y,
      title: `${formatRelativeSeconds(startNs - origin, window.bucketNs)} – ${formatRelativeSeconds(startNs + window.bucketNs - origin, window.bucketNs)}`,
      duration: formatDuration(window.bucketNs),
      rows,
      total,
    };
  }
}
