import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimeRange } from '../../../../shared/model';
import {
  isLightColour,
  MAX_SERIES,
  TimelineController,
  type TimelineInputs,
} from '../../../../renderer/panels/timeline/TimelineController';
import { timelineLayout } from '../../../../renderer/panels/timeline/timelineLayout';
import { fullViewport } from '../../../../renderer/panels/timeline/timeScale';
import {
  FakeHistogramClient,
  testEnvironment,
  type ManualFrames,
  type ContextCall,
} from './fakeCanvas';

const FIRST_NS = 6_875_000_000_000;
const LAST_NS = FIRST_NS + 10_000_000_000; // ten seconds
const WIDTH = 1000;
const HEIGHT = 200;
const layout = timelineLayout(WIDTH, HEIGHT);

let client: FakeHistogramClient;
let frames: ManualFrames;
let calls: ContextCall[];
let controller: TimelineController;
let onBrush: ReturnType<typeof vi.fn<(range: TimeRange | null) => void>>;

function inputs(overrides: Partial<TimelineInputs> = {}): TimelineInputs {
  return {
    client,
    traceId: 't1',
    filter: {},
    timeRange: null,
    splitBy: 'reason',
    firstNs: FIRST_NS,
    lastNs: LAST_NS,
    onBrush,
    ...overrides,
  };
}

beforeEach(() => {
  client = new FakeHistogramClient();
  const env = testEnvironment();
  frames = env.frames;
  calls = env.calls;
  onBrush = vi.fn<(range: TimeRange | null) => void>();
  controller = new TimelineController(env.environment);
  controller.attachCanvas({ width: 0, height: 0 } as HTMLCanvasElement);
  controller.resize(WIDTH, HEIGHT);
  controller.setInputs(inputs());
});

describe('TimelineController', () => {
  it('asks for a padded, aligned, power-of-two histogram of the filter without its time range', () => {
    const expr = { kind: 'in', field: 'reason', values: ['NO_SOCKET'] } as const;
    controller.setInputs(
      inputs({ filter: { expr }, timeRange: { startNs: FIRST_NS, endNs: FIRST_NS + 5 } }),
    );
    frames.run();
    expect(client.requests).toHaveLength(1);
    const request = client.requests[0]!;
    expect(request).toMatchObject({ traceId: 't1', splitBy: 'reason', maxSeries: MAX_SERIES });
    expect(request.filter).toEqual({ expr });
    expect(Math.log2(request.bucketNs) % 1).toBe(0);
    expect(request.startNs % request.bucketNs).toBe(0);
    expect(request.startNs).toBeLessThanOrEqual(FIRST_NS);
    expect(request.startNs + request.bucketNs * request.buckets).toBeGreaterThan(LAST_NS);
  });

  it('draws the requested histogram once it arrives, without waiting for it before', async () => {
    frames.run();
    const fillTextBefore = calls.filter((c) => c.method === 'fillText').map((c) => c.args[0]);
    expect(fillTextBefore).toContain('Loading…');
    await client.answer();
    expect(frames.pending).toBe(1);
    calls.length = 0;
    frames.run();
    expect(calls.some((c) => c.method === 'rect')).toBe(true);
    expect(calls.filter((c) => c.method === 'fillText').map((c) => c.args[0])).toContain('0 s');
    expect(controller.getSnapshot().legend.map((item) => item.key)).toEqual(['NO_SOCKET']);
  });

  it('keeps one request in flight while zooming and fetches the latest wish afterwards', async () => {
    frames.run();
    for (let i = 0; i < 5; i++) {
      controller.wheel(500, 0, -400, 0);
      frames.run();
    }
    expect(client.inFlight).toBe(1);
    await client.answer();
    frames.run();
    expect(client.requests).toHaveLength(2);
    const latest = client.requests[1]!;
    const view = controller.viewport!;
    expect(latest.startNs).toBeLessThanOrEqual(view.startNs);
    expect(latest.startNs + latest.bucketNs * latest.buckets).toBeGreaterThanOrEqual(view.endNs);
  });

  it('pans within the padding without asking again', async () => {
    controller.wheel(500, 0, -1000, 0); // zoom in well inside the trace
    frames.run();
    await client.answer();
    frames.run();
    const sent = client.requests.length;
    controller.pointerDown(500, 50, 0, false, 1);
    controller.pointerMove(300, 50, 1);
    frames.run();
    controller.pointerUp(300, 1);
    frames.run();
    expect(client.requests).toHaveLength(sent);
    expect(onBrush).not.toHaveBeenCalled();
  });

  it('zooms around the pointer: the time under it stays put', () => {
    frames.run();
    const before = controller.viewport!;
    const anchor = before.startNs + 0.25 * (before.endNs - before.startNs);
    controller.wheel(250, 0, -200, 0);
    const after = controller.viewport!;
    expect(after.endNs - after.startNs).toBeLessThan(before.endNs - before.startNs);
    expect(after.startNs + 0.25 * (after.endNs - after.startNs)).toBeCloseTo(anchor, -1);
  });

  it('reports a range brushed on the strip under the chart', () => {
    const y = layout.stripTop + 5;
    controller.pointerDown(100, y, 0, false, 1);
    controller.pointerMove(300, y, 1);
    controller.pointerUp(300, 1);
    expect(onBrush).toHaveBeenCalledTimes(1);
    const range = onBrush.mock.calls[0]![0]!;
    const span = controller.viewport!.endNs - controller.viewport!.startNs;
    expect(range.startNs).toBeCloseTo(controller.viewport!.startNs + 0.1 * span, -3);
    expect(range.endNs).toBeCloseTo(controller.viewport!.startNs + 0.3 * span, -3);
  });

  it('brushes with shift-drag on the chart, right to left too', () => {
    controller.pointerDown(600, 50, 0, true, 1);
    controller.pointerMove(400, 50, 1);
    controller.pointerUp(400, 1);
    const range = onBrush.mock.calls[0]![0]!;
    expect(range.startNs).toBeLessThan(range.endNs);
  });

  it('clears the brush on a click on the strip', () => {
    controller.setInputs(inputs({ timeRange: { startNs: FIRST_NS, endNs: FIRST_NS + 1e9 } }));
    controller.pointerDown(100, layout.stripTop + 5, 0, false, 1);
    controller.pointerUp(101, 1);
    expect(onBrush).toHaveBeenCalledWith(null);
  });

  it('resets zoom and brush on double-click and on the 0 key', () => {
    controller.setInputs(inputs({ timeRange: { startNs: FIRST_NS, endNs: FIRST_NS + 1e9 } }));
    const full = controller.viewport!;
    controller.key('+');
    expect(controller.viewport).not.toEqual(full);
    controller.doubleClick();
    expect(controller.viewport).toEqual(full);
    expect(onBrush).toHaveBeenLastCalledWith(null);
    controller.key('+');
    controller.key('0');
    expect(controller.viewport).toEqual(full);
  });

  it('zooms with + and - and pans with the arrows', () => {
    const full = controller.viewport!;
    expect(controller.key('+')).toBe(true);
    const zoomed = controller.viewport!;
    expect(zoomed.endNs - zoomed.startNs).toBeCloseTo((full.endNs - full.startNs) / 2, -1);
    expect(controller.key('ArrowRight')).toBe(true);
    expect(controller.viewport!.startNs).toBeGreaterThan(zoomed.startNs);
    expect(controller.key('-')).toBe(true);
    expect(controller.viewport).toEqual(full);
    expect(controller.key('x')).toBe(false);
  });

  it('shows a tooltip with the bucket range and counts per series when hovering', async () => {
    frames.run();
    await client.answer((request) => [
      {
        key: 'NO_SOCKET',
        total: request.buckets * 2,
        counts: new Array<number>(request.buckets).fill(2),
      },
      {
        key: 'TCP_CSUM',
        total: request.buckets,
        counts: new Array<number>(request.buckets).fill(1),
      },
    ]);
    controller.pointerMove(500, layout.chartBottom - 5, 0);
    frames.run();
    const tooltip = controller.getSnapshot().tooltip!;
    expect(tooltip.title).toMatch(/^\d+\.\d+ s – \d+\.\d+ s$/);
    expect(tooltip.total).toBe(3);
    expect(tooltip.rows.map((r) => [r.key, r.count])).toEqual([
      ['NO_SOCKET', 2],
      ['TCP_CSUM', 1],
    ]);
    expect(tooltip.rows[0]!.isHovered).toBe(true);
    controller.pointerLeave();
    frames.run();
    expect(controller.getSnapshot().tooltip).toBeNull();
  });

  it('hides a series toggled off in the legend from bars and tooltip', async () => {
    frames.run();
    await client.answer((request) => [
      {
        key: 'NO_SOCKET',
        total: request.buckets,
        counts: new Array<number>(request.buckets).fill(1),
      },
      {
        key: 'TCP_CSUM',
        total: request.buckets,
        counts: new Array<number>(request.buckets).fill(1),
      },
    ]);
    controller.toggleSeries('NO_SOCKET');
    controller.pointerMove(500, 100, 0);
    frames.run();
    const snapshot = controller.getSnapshot();
    expect(snapshot.legend.find((item) => item.key === 'NO_SOCKET')?.hidden).toBe(true);
    expect(snapshot.tooltip!.rows.map((r) => r.key)).toEqual(['TCP_CSUM']);
  });

  it('refetches when the split field changes and keeps drawing the old bars meanwhile', async () => {
    frames.run();
    await client.answer();
    frames.run();
    controller.setInputs(inputs({ splitBy: 'cpu' }));
    calls.length = 0;
    frames.run();
    expect(client.requests.at(-1)!.splitBy).toBe('cpu');
    expect(calls.some((c) => c.method === 'rect')).toBe(true);
  });

  it('surfaces a failed request instead of retrying it forever', async () => {
    frames.run();
    await client.fail('No trace t1 is open.');
    frames.run();
    frames.run();
    expect(controller.getSnapshot().error).toBe('No trace t1 is open.');
    expect(client.requests).toHaveLength(1);
  });

  it('asks for nothing when the trace has no timestamps', () => {
    controller.setInputs(inputs({ firstNs: null, lastNs: null }));
    frames.run();
    expect(client.requests).toHaveLength(0);
    expect(controller.viewport).toBeNull();
  });

  it('stops the frame loop when deactivated and resumes when activated', () => {
    controller.deactivate();
    controller.invalidate();
    expect(frames.pending).toBe(0);
    controller.activate();
    expect(frames.pending).toBe(1);
  });
});

describe('TimelineController on a live capture', () => {
  const live = (overrides: Partial<TimelineInputs> = {}) =>
    inputs({ isLive: true, isFollowing: true, dataVersion: 1, ...overrides });

  it('asks again for a histogram it has when the trace grew, still drawing the old one', async () => {
    controller.setInputs(live());
    frames.run();
    await client.answer();
    frames.run();
    expect(client.requests).toHaveLength(1);
    controller.setInputs(live({ dataVersion: 2 }));
    calls.length = 0;
    frames.run();
    expect(client.requests).toHaveLength(2);
    // No blank frame: the bars of the previous version are drawn while the new ones load.
    expect(calls.some((c) => c.method === 'rect')).toBe(true);
  });

  it('keeps the zoomed window on the newest drops while following', () => {
    const onFollowChange = vi.fn<(following: boolean) => void>();
    controller.setInputs(live({ onFollowChange }));
    controller.setInputs(live({ onFollowChange, isFollowing: false }));
    controller.wheel(900, 0, -400, 0);
    const span = controller.viewport!.endNs - controller.viewport!.startNs;
    expect(span).toBeLessThan(LAST_NS - FIRST_NS);
    controller.setInputs(live({ onFollowChange, isFollowing: true }));
    expect(controller.viewport!.endNs).toBe(fullViewport(FIRST_NS, LAST_NS).endNs);
    const later = LAST_NS + 3_000_000_000;
    controller.setInputs(live({ onFollowChange, isFollowing: true, lastNs: later }));
    const end = fullViewport(FIRST_NS, later).endNs;
    expect(controller.viewport).toEqual({ startNs: end - span, endNs: end });
  });

  it('pauses following when the user zooms, pans or brushes, and resumes on reset', () => {
    const onFollowChange = vi.fn<(following: boolean) => void>();
    controller.setInputs(live({ onFollowChange }));
    controller.wheel(500, 0, -400, 0);
    expect(onFollowChange).toHaveBeenLastCalledWith(false);
    controller.setInputs(live({ onFollowChange, isFollowing: false }));
    const zoomed = controller.viewport;
    controller.setInputs(live({ onFollowChange, isFollowing: false, lastNs: LAST_NS + 5e9 }));
    expect(controller.viewport).toEqual(zoomed);
    controller.doubleClick();
    expect(onFollowChange).toHaveBeenLastCalledWith(true);
  });

  it('never asks to follow a trace that is not being captured', () => {
    const onFollowChange = vi.fn<(following: boolean) => void>();
    controller.setInputs(inputs({ onFollowChange }));
    controller.wheel(500, 0, -400, 0);
    controller.doubleClick();
    expect(onFollowChange).not.toHaveBeenCalled();
  });
});

describe('isLightColour', () => {
  it('tells light text (dark theme) from dark text', () => {
    expect(isLightColour('rgb(230, 230, 230)')).toBe(true);
    expect(isLightColour('rgb(20, 20, 20)')).toBe(false);
    expect(isLightColour('#f0f0f0')).toBe(true);
    expect(isLightColour('CanvasText')).toBe(false);
  });
});
