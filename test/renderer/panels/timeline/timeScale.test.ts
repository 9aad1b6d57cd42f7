import { describe, expect, it } from 'vitest';
import {
  clampViewport,
  fullViewport,
  MIN_SPAN_NS,
  nsToPx,
  panViewport,
  pxToNs,
  spanOf,
  zoomViewport,
} from '../../../../renderer/panels/timeline/timeScale';

const limits = { startNs: 1_000_000_000, endNs: 11_000_000_000 };

describe('fullViewport', () => {
  it('starts at the first event and ends just after the last one', () => {
    const view = fullViewport(1_000, 101_000);
    expect(view.startNs).toBe(1_000);
    expect(view.endNs).toBeGreaterThan(101_000);
    expect(view.endNs).toBeLessThanOrEqual(102_000);
  });

  it('gives a minimal window when every event has the same timestamp', () => {
    expect(fullViewport(5_000, 5_000)).toEqual({ startNs: 5_000, endNs: 5_000 + MIN_SPAN_NS });
  });
});

describe('nsToPx and pxToNs', () => {
  it('are inverse mappings of the viewport onto the width', () => {
    expect(nsToPx(limits, 1000, 6_000_000_000)).toBe(500);
    expect(pxToNs(limits, 1000, 250)).toBe(3_500_000_000);
    expect(pxToNs(limits, 1000, nsToPx(limits, 1000, 7_123_456_789))).toBeCloseTo(7_123_456_789, 0);
  });
});

describe('zoomViewport', () => {
  it('keeps the anchor under the same pixel when zooming in', () => {
    const anchor = 3_000_000_000;
    const before = nsToPx(limits, 800, anchor);
    const zoomed = zoomViewport(limits, anchor, 0.5, limits);
    expect(spanOf(zoomed)).toBe(spanOf(limits) / 2);
    expect(nsToPx(zoomed, 800, anchor)).toBeCloseTo(before, 6);
  });

  it('never zooms out past the whole trace nor in below the minimum span', () => {
    const inner = { startNs: 5_000_000_000, endNs: 6_000_000_000 };
    expect(zoomViewport(inner, 5_500_000_000, 100, limits)).toEqual(limits);
    expect(spanOf(zoomViewport(inner, 5_500_000_000, 1e-12, limits))).toBe(MIN_SPAN_NS);
  });
});

describe('panViewport', () => {
  it('slides the window and stops at the edges without changing its span', () => {
    const view = { startNs: 2_000_000_000, endNs: 4_000_000_000 };
    expect(panViewport(view, 1_000_000_000, limits)).toEqual({
      startNs: 3_000_000_000,
      endNs: 5_000_000_000,
    });
    expect(panViewport(view, -5_000_000_000, limits)).toEqual({
      startNs: limits.startNs,
      endNs: limits.startNs + 2_000_000_000,
    });
    expect(panViewport(view, 50_000_000_000, limits)).toEqual({
      startNs: limits.endNs - 2_000_000_000,
      endNs: limits.endNs,
    });
  });
});

describe('clampViewport', () => {
  it('shrinks a window wider than the limits to the limits', () => {
    expect(clampViewport({ startNs: 0, endNs: 50_000_000_000 }, limits)).toEqual(limits);
  });
});
