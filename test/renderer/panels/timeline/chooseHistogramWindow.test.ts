import { describe, expect, it } from 'vitest';
import {
  BAR_PX,
  chooseHistogramWindow,
  dataPartOf,
  MAX_BUCKETS,
  powerOfTwoAtLeast,
  windowCovers,
  windowEndNs,
} from '../../../../renderer/panels/timeline/chooseHistogramWindow';

const limits = { startNs: 7_000_000_000_000, endNs: 7_060_000_000_000 }; // one minute of uptime

describe('powerOfTwoAtLeast', () => {
  it('returns the smallest power of two not below the value, and 1 below 1', () => {
    expect(powerOfTwoAtLeast(0)).toBe(1);
    expect(powerOfTwoAtLeast(0.3)).toBe(1);
    expect(powerOfTwoAtLeast(1)).toBe(1);
    expect(powerOfTwoAtLeast(3)).toBe(4);
    expect(powerOfTwoAtLeast(1024)).toBe(1024);
    expect(powerOfTwoAtLeast(1025)).toBe(2048);
    expect(powerOfTwoAtLeast(2 ** 40 + 1)).toBe(2 ** 41);
  });
});

describe('chooseHistogramWindow', () => {
  it('picks a power-of-two bucket giving bars at least BAR_PX wide', () => {
    const view = { startNs: 7_010_000_000_000, endNs: 7_020_000_000_000 };
    const window = chooseHistogramWindow(view, 1200, limits);
    expect(Math.log2(window.bucketNs) % 1).toBe(0);
    const barPx = (window.bucketNs / (view.endNs - view.startNs)) * 1200;
    expect(barPx).toBeGreaterThanOrEqual(BAR_PX);
    expect(barPx).toBeLessThan(2 * BAR_PX);
  });

  it('aligns the start to the bucket width and pads one screen on each side', () => {
    const view = { startNs: 7_010_000_000_123, endNs: 7_020_000_000_456 };
    const window = chooseHistogramWindow(view, 1000, limits);
    expect(window.startNs % window.bucketNs).toBe(0);
    const span = view.endNs - view.startNs;
    expect(windowCovers(window, { startNs: view.startNs - span, endNs: view.endNs + span })).toBe(
      true,
    );
    expect(window.buckets).toBeLessThanOrEqual(Math.ceil((3 * 1000) / BAR_PX) + 2);
  });

  it('cuts the padding at the trace limits', () => {
    const window = chooseHistogramWindow(limits, 1000, limits);
    expect(window.startNs).toBeLessThanOrEqual(limits.startNs);
    expect(window.startNs).toBeGreaterThan(limits.startNs - window.bucketNs);
    expect(windowEndNs(window)).toBeGreaterThanOrEqual(limits.endNs);
    expect(windowEndNs(window)).toBeLessThan(limits.endNs + window.bucketNs);
  });

  it('keeps the resolution while the zoom changes by less than a factor of two', () => {
    const view = { startNs: 7_010_000_000_000, endNs: 7_020_000_000_000 };
    const base = chooseHistogramWindow(view, 1000, limits).bucketNs;
    const slightlyIn = { startNs: 7_010_500_000_000, endNs: 7_019_500_000_000 };
    const bucketIn = chooseHistogramWindow(slightlyIn, 1000, limits).bucketNs;
    expect([base, base / 2]).toContain(bucketIn);
  });

  it('serves a pan of less than one screen from the same window', () => {
    const view = { startNs: 7_010_000_000_000, endNs: 7_020_000_000_000 };
    const window = chooseHistogramWindow(view, 1000, limits);
    const panned = { startNs: view.startNs + 9_000_000_000, endNs: view.endNs + 9_000_000_000 };
    expect(windowCovers(window, panned)).toBe(true);
  });

  it('never asks for more buckets than the contract allows', () => {
    const window = chooseHistogramWindow(limits, 1_000_000, limits, 1);
    expect(window.buckets).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});

describe('dataPartOf', () => {
  it('intersects the viewport with the limits, or null when they do not overlap', () => {
    expect(dataPartOf({ startNs: 0, endNs: 7_000_000_000_010 }, limits)).toEqual({
      startNs: limits.startNs,
      endNs: 7_000_000_000_010,
    });
    expect(dataPartOf({ startNs: 0, endNs: 10 }, limits)).toBeNull();
  });
});
