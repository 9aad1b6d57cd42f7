import { describe, expect, it } from 'vitest';
import { formatSeconds, parseSecondsToNs } from '../../../shared/time';

describe('parseSecondsToNs', () => {
  it('reads microsecond and nanosecond timestamps without float error', () => {
    expect(parseSecondsToNs('6875.302268')).toBe(6875302268000);
    expect(parseSecondsToNs('6875.302268123')).toBe(6875302268123);
  });

  it('reads whole seconds and drops digits beyond nanoseconds', () => {
    expect(parseSecondsToNs('12')).toBe(12e9);
    expect(parseSecondsToNs('1.0000000019')).toBe(1e9 + 1);
  });

  it('returns NaN for anything that is not digits[.digits]', () => {
    for (const text of ['', '.5', '1.2.3', 'abc', '-1', '1e3', ' 1'])
      expect(parseSecondsToNs(text)).toBeNaN();
  });
});

describe('formatSeconds', () => {
  it('prints microseconds like perf script, and nothing for unknown times', () => {
    expect(formatSeconds(6875302268000)).toBe('6875.302268');
    expect(formatSeconds(Number.NaN)).toBe('');
  });
});
