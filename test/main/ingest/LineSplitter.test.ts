import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../main/ingest/LineSplitter';

function split(chunks: string[], max = 1 << 20) {
  const lines: [string, number, boolean][] = [];
  const overlong: [number, string, number][] = [];
  const splitter = new LineSplitter(
    (text, line, unterminated) => lines.push([text, line, unterminated]),
    (line, start, length) => overlong.push([line, start, length]),
    max,
  );
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.end();
  return { lines, overlong };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and numbers them from 1', () => {
    expect(split(['ab', 'c\nde', 'f\n']).lines).toEqual([
      ['abc', 1, false],
      ['def', 2, false],
    ]);
  });

  it('strips a carriage return before the newline', () => {
    expect(split(['a\r\nb\r\n']).lines.map(([text]) => text)).toEqual(['a', 'b']);
  });

  it('delivers a last line without newline flagged as unterminated', () => {
    expect(split(['a\nb']).lines).toEqual([
      ['a', 1, false],
      ['b', 2, true],
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('caf\u00e9\n');
    const splitter: string[] = [];
    const s = new LineSplitter(
      (text) => splitter.push(text),
      () => undefined,
    );
    s.push(bytes.subarray(0, 4));
    s.push(bytes.subarray(4));
    s.end();
    expect(splitter).toEqual(['caf\u00e9']);
  });

  it('reports an over-long line by its length without keeping it, and goes on', () => {
    const long = 'x'.repeat(5000);
    const { lines, overlong } = split(
      ['ok\n', long.slice(0, 2500), long.slice(2500), '\nnext\n'],
      1000,
    );
    expect(lines.map(([text, line]) => [text, line])).toEqual([
      ['ok', 1],
      ['next', 3],
    ]);
    expect(overlong).toHaveLength(1);
    expect(overlong[0]?.[0]).toBe(2);
    expect(overlong[0]?.[2]).toBe(5000);
    expect(overlong[0]?.[1].length).toBeLessThanOrEqual(200);
  });

  it('reports an over-long last line without newline', () => {
    const { overlong } = split(['y'.repeat(3000)], 1000);
    expect(overlong.map(([line, , length]) => [line, length])).toEqual([[1, 3000]]);
  });
});
