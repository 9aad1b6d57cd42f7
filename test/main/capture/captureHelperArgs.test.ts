import { describe, expect, it } from 'vitest';
import {
  captureHelperArgs,
  parseCaptureHelperArgs,
  type CaptureHelperRequest,
} from '../../../main/capture';
import { filterVocabulary } from '../../../main/engine';

const vocabulary = filterVocabulary();

function errorOf(args: string[]): string {
  const result = parseCaptureHelperArgs(args, vocabulary);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(args)}`);
  return result.error;
}

describe('captureHelperArgs and parseCaptureHelperArgs', () => {
  it('round-trips every field of a request', () => {
    const request: CaptureHelperRequest = {
      backend: 'tracefs',
      durationMs: 30_000,
      count: 1000,
      filter: 'reason != NOT_SPECIFIED and location contains "udp"',
      bufferKb: 4096,
    };
    const args = captureHelperArgs(request);
    expect(args).toEqual([
      '--helper',
      '--backend=tracefs',
      '--duration=30s',
      '--count=1000',
      '--filter=reason != NOT_SPECIFIED and location contains "udp"',
      '--buffer-kb=4096',
    ]);
    const parsed = parseCaptureHelperArgs(args, vocabulary);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value).toMatchObject(request);
    expect(parsed.value.filterExpr?.kind).toBe('and');
  });

  it('accepts the bare helper flag (first available backend, until stdin closes)', () => {
    const parsed = parseCaptureHelperArgs(['--helper'], vocabulary);
    expect(parsed).toEqual({
      ok: true,
      value: {
        backend: null,
        durationMs: null,
        count: null,
        filter: null,
        bufferKb: null,
        filterExpr: null,
      },
    });
  });

  it('refuses anything captureHelperArgs would not produce', () => {
    expect(errorOf([])).toMatch(/first argument must be --helper/);
    expect(errorOf(['--backend=tracefs'])).toMatch(/first argument/);
    expect(errorOf(['--helper', '--backend', 'tracefs'])).toMatch(/unexpected helper argument/);
    expect(errorOf(['--helper', 'somefile'])).toMatch(/unexpected helper argument/);
    expect(errorOf(['--helper', '--output=/etc/passwd'])).toMatch(/unexpected helper argument/);
    expect(errorOf(['--helper', '-o', '/tmp/x'])).toMatch(/unexpected helper argument/);
    expect(errorOf(['--helper', '--backend=tracefs', '--backend=perf'])).toMatch(/given twice/);
  });

  it('checks the backend name against the enum', () => {
    expect(errorOf(['--helper', '--backend=trace-cmd'])).toMatch(
      /--backend must be tracefs, perf or bpftrace/,
    );
    expect(errorOf(['--helper', '--backend=tracefs;rm'])).toMatch(/--backend must be/);
  });

  it('checks durations, counts and buffer sizes by type and range', () => {
    expect(errorOf(['--helper', '--duration=forever'])).toMatch(/--duration takes a time/);
    expect(errorOf(['--helper', '--duration=0s'])).toMatch(/--duration/);
    expect(errorOf(['--helper', '--duration=25h'])).toMatch(/at most 24h/);
    expect(errorOf(['--helper', '--count=0'])).toMatch(/--count takes a whole number/);
    expect(errorOf(['--helper', '--count=-5'])).toMatch(/--count/);
    expect(errorOf(['--helper', '--count=1e9'])).toMatch(/--count/);
    expect(errorOf(['--helper', '--count=99999999999'])).toMatch(/--count/);
    expect(errorOf(['--helper', '--buffer-kb=1'])).toMatch(
      /--buffer-kb takes a whole number from 64/,
    );
    expect(errorOf(['--helper', '--buffer-kb=4096.5'])).toMatch(/--buffer-kb/);
  });

  it('parses the filter again and refuses a bad or oversized one', () => {
    expect(errorOf(['--helper', '--filter=reason == NO_SUCH_REASON'])).toMatch(
      /bad --filter expression[\s\S]*\^/,
    );
    expect(errorOf(['--helper', `--filter=${'cpu == 1 and '.repeat(400)}cpu == 1`])).toMatch(
      /longer than/,
    );
  });

  it('refuses control characters in any argument', () => {
    expect(errorOf(['--helper', '--filter=cpu == 1\ncpu == 2'])).toMatch(/control characters/);
    expect(errorOf(['--helper', '--backend=tracefs\u0000'])).toMatch(/control characters/);
  });
});
