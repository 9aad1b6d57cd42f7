/**
 * TimelinePanel: drops over time as stacked bars split by a field, on a canvas.
 *
 * The component is a thin shell: it hands its props to a `TimelineController` (which owns the
 * viewport, the histogram cache, the gestures and the single requestAnimationFrame loop), wires
 * DOM events to it, and renders the header, legend and tooltip from the controller's snapshot.
 */
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type RefObject,
  type JSX,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type WheelEvent as ReactWheelEvent,
} from 'react';
import { createPortal } from 'react-dom';
import type { ContractClient } from '../../../shared/contract';
import type { EventField, FilterSpec, TimeRange } from '../../../shared/model';
import { TimelineController, type TooltipInfo } from './TimelineController';
import './TimelinePanel.css';

/** Props of the timeline panel. */
export interface TimelinePanelProps {
  client: ContractClient;
  traceId: string;
  /** The active filter without its time range: the brushed range is drawn, not applied here. */
  filter: FilterSpec;
  /** The brushed range (drawn over the bars), or null. */
  timeRange: TimeRange | null;
  /** The user brushed a range (or cleared it with null); the rest of the app filters by it. */
  onBrush: (range: TimeRange | null) => void;
  splitBy: EventField;
  onSplitByChange: (field: EventField) => void;
  /** First and last event times (tracer clock, ns); null when the trace has no timestamps. */
  firstNs: number | null;
  lastNs: number | null;
  /** Live capture: the trace's data version, and whether the view follows the present. */
  dataVersion?: number;
  isLive?: boolean;
  isFollowing?: boolean;
  onFollowChange?: (isFollowing: boolean) => void;
}

/** Fields the header offers to split the bars by. */
export const SPLIT_FIELDS: readonly { field: EventField; label: string }[] = [
  { field: 'reason', label: 'Reason' },
  { field: 'location', label: 'Location' },
  { field: 'protocol', label: 'Protocol' },
  { field: 'comm', label: 'Command' },
  { field: 'cpu', label: 'CPU' },
];

/**
 * The timeline panel (see the file overview).
 *
 * Renders from cache every frame; `trace:histogram` requests go out at most one at a time through
 * `client`. Keyboard (when focused): `+`/`-` zoom, `0` resets, arrows pan, Escape clears the brush.
 * Remount it (change its `key`) when the trace's reasons are re-decoded under the same traceId,
 * so cached histograms of the old decoding are dropped.
 */
export function TimelinePanel(props: TimelinePanelProps): JSX.Element {
  const { client, traceId, filter, timeRange, onBrush, splitBy, onSplitByChange, firstNs, lastNs } =
    props;
  const { dataVersion = 0, isLive = false, isFollowing = false, onFollowChange } = props;
  const [controller] = useState(() => new TimelineController());
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const hasTimestamps = firstNs !== null;

  useLayoutEffect(() => {
    controller.setInputs({
      client,
      traceId,
      filter,
      timeRange,
      splitBy,
      firstNs,
      lastNs,
      onBrush,
      dataVersion,
      isLive,
      isFollowing,
      onFollowChange,
    });
  }, [
    controller,
    client,
    traceId,
    filter,
    timeRange,
    splitBy,
    firstNs,
    lastNs,
    onBrush,
    dataVersion,
    isLive,
    isFollowing,
    onFollowChange,
  ]);

  useEffect(() => {
    controller.activate();
    return () => controller.deactivate();
  }, [controller]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const plot = plotRef.current;
    if (!canvas || !plot) return undefined;
    controller.attachCanvas(canvas);
    const measure = (): void => {
      const rect = plot.getBoundingClientRect();
      controller.resize(rect.width, rect.height);
    };
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(plot);
    // React's onWheel is passive; zooming must prevent the page from scrolling.
    const onWheel = (event: WheelEvent): void => {
      const x = event.clientX - canvas.getBoundingClientRect().left;
      if (controller.wheel(x, event.deltaX, event.deltaY, event.deltaMode)) event.preventDefault();
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    // Canvas colours come from CSS: re-read them when the app switches theme (an attribute on
    // <html>) or the system does.
    const themeObserver =
      typeof MutationObserver === 'undefined'
        ? null
        : new MutationObserver(() => controller.refreshTheme());
    themeObserver?.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme', 'class', 'style'],
    });
    const scheme =
      typeof window.matchMedia === 'function'
        ? window.matchMedia('(prefers-color-scheme: dark)')
        : null;
    const onSchemeChange = (): void => controller.refreshTheme();
    scheme?.addEventListener('change', onSchemeChange);
    return () => {
      themeObserver?.disconnect();
      scheme?.removeEventListener('change', onSchemeChange);
      observer?.disconnect();
      canvas.removeEventListener('wheel', onWheel);
      controller.attachCanvas(null);
    };
  }, [controller, hasTimestamps]);

  const local = (event: { clientX: number; clientY: number }): { x: number; y: number } => {
    const rect = canvasRef.current?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  };
  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    const { x, y } = local(event);
    if (controller.pointerDown(x, y, event.button, event.shiftKey, event.pointerId)) {
      event.currentTarget.setPointerCapture?.(event.pointerId);
    }
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>): void => {
    const { x, y } = local(event);
    controller.pointerMove(x, y, event.pointerId);
  };
  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>): void => {
    controller.pointerUp(local(event).x, event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = event.target as HTMLElement;
    if (target.closest('select, button, input')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (controller.key(event.key)) {
      // Handled here: the app's window-level shortcuts must not act on it again.
      event.preventDefault();
      event.stopPropagation();
    }
  };
  const onLegendWheel = (event: ReactWheelEvent<HTMLUListElement>): void => {
    // The legend is one scrollable row: let a vertical wheel scroll it sideways.
    if (event.deltaX === 0) event.currentTarget.scrollLeft += event.deltaY;
  };
  const onLegendClick = (event: MouseEvent<HTMLButtonElement>, key: string): void => {
    if (event.altKey)
      controller.soloSeries(
        key,
        snapshot.legend.map((item) => item.key),
      );
    else controller.toggleSeries(key);
  };

  const splitOptions = SPLIT_FIELDS.some((option) => option.field === splitBy)
    ? SPLIT_FIELDS
    : [...SPLIT_FIELDS, { field: splitBy, label: splitBy }];

  return (
    <section className="timeline-panel" data-testid="timeline-panel" aria-label="Timeline">
      <header className="timeline-header">
        <h2 className="timeline-title">Drops over time</h2>
        <label className="timeline-split">
          <span>Split by</span>
          <select
            data-testid="timeline-split-select"
            value={splitBy}
            onChange={(event) => onSplitByChange(event.target.value as EventField)}
          >
            {splitOptions.map((option) => (
              <option key={option.field} value={option.field}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <span className="timeline-status" aria-live="polite">
          {snapshot.error ? (
            <span className="timeline-error" title={snapshot.error}>
              Histogram failed
            </span>
          ) : snapshot.isLoading && !isLive ? (
            <span className="timeline-loading">loading…</span>
          ) : null}
        </span>
        {isLive && (
          <button
            type="button"
            className={isFollowing ? 'timeline-follow is-active' : 'timeline-follow'}
            data-testid="timeline-follow"
            aria-pressed={isFollowing}
            onClick={() => onFollowChange?.(!isFollowing)}
            title={
              isFollowing
                ? 'The view follows the newest drops; zooming, panning or brushing pauses it'
                : 'Follow the newest drops again'
            }
          >
            {isFollowing ? 'Following' : 'Follow'}
          </button>
        )}
        {hasTimestamps && (snapshot.isZoomed || timeRange) ? (
          <button
            type="button"
            className="timeline-reset"
            data-testid="timeline-reset"
            onClick={() => controller.reset()}
            title="Show the whole trace and clear the selected range (double-click, or 0)"
          >
            Reset
          </button>
        ) : null}
      </header>
      {hasTimestamps ? (
        <>
          {snapshot.legend.length > 0 ? (
            <ul
              className="timeline-legend"
              data-testid="timeline-legend"
              aria-label="Series"
              onWheel={onLegendWheel}
            >
              {snapshot.legend.map((item) => (
                <li key={item.key}>
                  <button
                    type="button"
                    className={
                      item.hidden ? 'timeline-legend-item is-hidden' : 'timeline-legend-item'
                    }
                    data-testid="timeline-legend-item"
                    data-key={item.key}
                    aria-pressed={!item.hidden}
                    title={`${item.hidden ? 'Show' : 'Hide'} ${item.label} (Alt-click: show only this)`}
                    onClick={(event) => onLegendClick(event, item.key)}
                  >
                    <span className="timeline-swatch" style={{ background: item.colour }} />
                    {item.label}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="timeline-plot" ref={plotRef} onKeyDown={onKeyDown}>
            <canvas
              ref={canvasRef}
              className="timeline-canvas"
              data-testid="timeline-canvas"
              tabIndex={0}
              aria-label="Drops over time. Wheel to zoom, drag to pan, shift-drag or drag the strip below to select a range, double-click to reset."
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerCancel={() => controller.cancelDrag()}
              onPointerLeave={() => controller.pointerLeave()}
              onDoubleClick={() => controller.doubleClick()}
            />
            {snapshot.tooltip ? (
              <TimelineTooltip tooltip={snapshot.tooltip} anchorRef={canvasRef} />
            ) : null}
          </div>
        </>
      ) : (
        <p className="timeline-empty" data-testid="timeline-no-timestamps">
          This trace has no timestamps, so there is no timeline to draw.
        </p>
      )}
    </section>
  );
}

/** Gap between the pointer and the tooltip, and between the tooltip and the window edge. */
const TOOLTIP_GAP_PX = 14;

/**
 * The hover tooltip, in a portal on `document.body` with fixed positioning so that no panel edge
 * clips it; placed beside the pointer on the side where it fits, measured after each render.
 */
function TimelineTooltip({
  tooltip,
  anchorRef,
}: {
  tooltip: TooltipInfo;
  anchorRef: RefObject<HTMLCanvasElement | null>;
}): JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const box = boxRef.current;
    const anchor = anchorRef.current;
    if (!box || !anchor) return;
    const origin = anchor.getBoundingClientRect();
    const pointerX = origin.left + tooltip.x;
    const pointerY = origin.top + tooltip.y;
    const { width, height } = box.getBoundingClientRect();
    let left = pointerX + TOOLTIP_GAP_PX;
    if (left + width > window.innerWidth - 4) left = pointerX - TOOLTIP_GAP_PX - width;
    let top = pointerY + TOOLTIP_GAP_PX;
    if (top + height > window.innerHeight - 4) top = pointerY - TOOLTIP_GAP_PX - height;
    box.style.left = `${Math.max(4, left)}px`;
    box.style.top = `${Math.max(4, top)}px`;
    box.style.visibility = 'visible';
  });
  return createPortal(
    <div className="timeline-tooltip" data-testid="timeline-tooltip" ref={boxRef} role="tooltip">
      <div className="timeline-tooltip-title">{tooltip.title}</div>
      <div className="timeline-tooltip-sub">
        {tooltip.total.toLocaleString('en-US')} drops in {tooltip.duration}
      </div>
      {tooltip.rows.length > 0 ? (
        <table>
          <tbody>
            {tooltip.rows.map((row) => (
              <tr key={row.key} className={row.isHovered ? 'is-hovered' : undefined}>
                <td>
                  <span className="timeline-swatch" style={{ background: row.colour }} />
                </td>
                <td className="timeline-tooltip-label">{row.label}</td>
                <td className="timeline-tooltip-count">{row.count.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>,
    document.body,
  );
}
