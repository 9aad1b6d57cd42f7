import { describe, expect, it } from 'vitest';
import {
  decimalsForStep,
  formatDuration,
  formatRelativeSeconds,
  niceStepNs,
  timeTicks,
} from '../../../../renderer/panels/timeline/timeTicks';

describe('niceStepNs', () => {
  it('picks 1, 2 or 5 times a power of ten leaving room for the labels', () => {
    expect(niceStepNs(10e9, 900)).toBe(1e9);
    expect(niceStepNs(10e9, 450)).toBe(2e9);
    expect(niceStepNs(10e9, 200)).toBe(5e9);
    expect(niceStepNs(3e6, 1000)).toBe(500e3);
    expect(niceStepNs(5, 1000)).toBe(1);
  });
});

describe('formatRelativeSeconds', () => {
  it('shows as many decimals as the step needs', () => {
    expect(decimalsForStep(1e9)).toBe(0);
    expect(decimalsForStep(0.5e9)).toBe(1);
    expect(decimalsForStep(2e6)).toBe(3);
    expect(formatRelativeSeconds(12_500_000_000, 500_000_000)).toBe('12.5 s');
    expect(formatRelativeSeconds(3_000_000, 1_000_000)).toBe('0.003 s');
    expect(formatRelativeSeconds(-1, 1e9)).toBe('0 s');
  });
});

describe('formatDuration', () => {
  it('uses the unit that reads best', () => {
    expect(formatDuration(850)).toBe('850 ns');
    expect(formatDuration(12_000)).toBe('12 µs');
    expect(formatDuration(1_048_576)).toBe('1.05 ms');
    expect(formatDuration(2e9)).toBe('2 s');
    expect(formatDuration(210e9)).toBe('3.5 min');
  });
});

describe('timeTicks', () => {
  it('labels ticks in seconds from the first event, with 0 s at the first event', () => {
    const origin = 6_875_302_268_000;
    const ticks = timeTicks({ startNs: origin, endNs: origin + 10e9 }, 1000, origin);
    expect(ticks[0]).toMatchObject({ ns: origin, px: 0, label: '0 s' });
    expect(ticks.map((t) => t.label)).toContain('5 s');
    expect(ticks.length).toBeLessThanOrEqual(1000 / 90 + 1);
  });

  it('places ticks at multiples of the step from the origin when zoomed in', () => {
    const origin = 1_000_000_000;
    const view = { startNs: origin + 2_345_678, endNs: origin + 2_345_678 + 1_000_000 };
    const ticks = timeTicks(view, 500, origin);
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) {
      expect((tick.ns - origin) % 200_000).toBe(0);
      expect(tick.px).toBeGreaterThanOrEqual(0);
      expect(tick.px).toBeLessThanOrEqual(500);
    }
    expect(ticks[0]!.label).toBe('0.0024 s');
  });
});
