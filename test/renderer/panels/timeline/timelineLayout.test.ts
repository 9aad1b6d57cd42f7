import { describe, expect, it } from 'vitest';
import {
  AXIS_HEIGHT_PX,
  regionAt,
  STRIP_HEIGHT_PX,
  timelineLayout,
} from '../../../../renderer/panels/timeline/timelineLayout';

describe('timelineLayout', () => {
  it('stacks chart, axis and brush strip from top to bottom', () => {
    const layout = timelineLayout(800, 200);
    expect(layout.stripBottom).toBe(200);
    expect(layout.stripTop).toBe(200 - STRIP_HEIGHT_PX);
    expect(layout.chartBottom).toBe(200 - STRIP_HEIGHT_PX - AXIS_HEIGHT_PX);
    expect(layout.chartTop).toBeLessThan(layout.chartBottom);
  });

  it('never gives negative regions on a tiny canvas', () => {
    const layout = timelineLayout(10, 5);
    expect(layout.chartTop).toBeGreaterThanOrEqual(0);
    expect(layout.chartBottom).toBeGreaterThanOrEqual(layout.chartTop);
  });
});

describe('regionAt', () => {
  it('tells the chart, the axis and the strip apart', () => {
    const layout = timelineLayout(800, 200);
    expect(regionAt(layout, 50)).toBe('chart');
    expect(regionAt(layout, layout.chartBottom + 1)).toBe('axis');
    expect(regionAt(layout, 199)).toBe('strip');
    expect(regionAt(layout, 200)).toBeNull();
    expect(regionAt(layout, -1)).toBeNull();
  });
});
