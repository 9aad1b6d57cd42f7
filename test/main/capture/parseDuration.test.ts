import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../main/capture';

describe('parseDuration', () => {
  it('reads seconds, milliseconds, minutes and hours', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });

  it('refuses zero, negatives, other units and more than a day', () => {
    for (const text of ['0', '0s', '-1s', '5d', '1e3', '', 's', '25h'])
      expect(parseDuration(text), text).toBeNull();
  });

  it('prints durations that read back exactly', () => {
    for (const ms of [500, 1500, 30_000, 86_400_000])
      expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
