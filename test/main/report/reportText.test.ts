import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatCount,
  formatDuration,
  formatPercent,
  niceStep,
} from '../../../main/report/reportText';

describe('report text helpers', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('gives percentages one decimal and marks tiny shares', () => {
    expect(formatPercent(8.638)).toBe('8.6%');
    expect(formatPercent(0.01)).toBe('<0.1%');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('writes durations in the largest fitting unit without trailing zeros', () => {
    expect(formatDuration(4_816_000_000)).toBe('4.816 s');
    expect(formatDuration(50_000_000)).toBe('50 ms');
    expect(formatDuration(200_500_000_000)).toBe('3 min 20.5 s');
    expect(formatDuration(2_000)).toBe('2 µs');
  });

  it('rounds steps up to 1, 2 or 5 × 10^n', () => {
    expect(niceStep(40_130_000)).toBe(50_000_000);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(2)).toBe(2);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(0)).toBe(1);
  });
});
