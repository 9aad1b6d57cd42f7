import { describe, expect, it } from 'vitest';
import {
  formatFilterText,
  formatNsAsSeconds,
  formatProtocolValue,
  isBareWord,
  parseFilterNumber,
  parseSecondsAsNs,
} from '../../../shared/filter/filterLiterals';

describe('filterLiterals', () => {
  it('reads decimal and hexadecimal numbers and rejects anything else', () => {
    expect(parseFilterNumber('42')).toBe(42);
    expect(parseFilterNumber('-0x10')).toBe(-16);
    expect(parseFilterNumber('2.5')).toBe(2.5);
    expect(parseFilterNumber('.5')).toBe(0.5);
    expect(parseFilterNumber('1e3')).toBe(1000);
    expect(parseFilterNumber('-0')).toBe(0);
    expect(Object.is(parseFilterNumber('-0'), 0)).toBe(true);
    for (const text of [
      '',
      '0x',
      '1e',
      'abc',
      '1.2.3',
      '1e999',
      'Infinity',
      'NaN',
      '0b1',
      '1_000',
    ]) {
      expect(parseFilterNumber(text)).toBeNull();
    }
  });

  it('reads seconds into nanoseconds digit by digit', () => {
    expect(parseSecondsAsNs('1.1')).toBe(1_100_000_000);
    expect(parseSecondsAsNs('0.000000001')).toBe(1);
    expect(parseSecondsAsNs('-2.5')).toBe(-2_500_000_000);
    expect(parseSecondsAsNs('3.')).toBe(3_000_000_000);
    expect(parseSecondsAsNs('0.00000150025')).toBe(1500.25);
    expect(parseSecondsAsNs('0x2')).toBe(2_000_000_000);
    expect(parseSecondsAsNs('.')).toBeNull();
    expect(parseSecondsAsNs('soon')).toBeNull();
  });

  it('writes nanoseconds as seconds that read back to the same number', () => {
    const random = (() => {
      let state = 7;
      return () => (state = (state * 48271) % 2147483647) / 2147483647;
    })();
    for (let round = 0; round < 500; round++) {
      const ns = Math.round((random() - 0.5) * 2 ** 50) + (round % 5 === 0 ? random() : 0);
      expect(parseSecondsAsNs(formatNsAsSeconds(ns))).toBe(ns);
    }
  });

  it('writes protocols by name unless the name is missing or all digits', () => {
    expect(formatProtocolValue(0x0800)).toBe('IPv4');
    expect(formatProtocolValue(0x8100)).toBe('802.1Q');
    expect(formatProtocolValue(0x88f7)).toBe('0x88f7');
    expect(formatProtocolValue(0x8917)).toBe('0x8917');
    expect(formatProtocolValue(0x1234)).toBe('0x1234');
    expect(formatProtocolValue(-1)).toBe('-1');
  });

  it('leaves bare words unquoted and quotes keywords, spaces and quotes', () => {
    expect(isBareWord('kworker/0:1')).toBe(true);
    expect(isBareWord('AND')).toBe(false);
    expect(formatFilterText('a "b"')).toBe('"a \\"b\\""');
    expect(formatFilterText('C:\\x')).toBe('"C:\\\\x"');
  });
});
