import { describe, expect, it } from 'vitest';
import {
  chooseReasonDecoder,
  describeReasonAmbiguity,
  listReasonTables,
} from '../../../main/kernel';

const fromFormat = (entries: [number, string][], source = 'perf.data tracepoint format') => ({
  names: new Map(entries),
  source,
});

describe('chooseReasonDecoder', () => {
  it('decodes with the trace-embedded mapping first', () => {
    const choice = chooseReasonDecoder({
      embedded: fromFormat([
        [2, 'NOT_SPECIFIED'],
        [3, 'NO_SOCKET'],
      ]),
      kernelFormat: { ...fromFormat([[3, 'OTHER']], 'format file f'), kind: 'kernel-format-file' },
      cliRelease: '6.14',
      observedValues: [3],
    });
    expect(choice.kernel.source).toBe('embedded-format');
    expect(choice.kernel.table).toBe('perf.data tracepoint format');
    expect(choice.decode(3)).toBe('NO_SOCKET');
  });

  it('uses a --kernel-format mapping before any release, with its kind as the source', () => {
    const choice = chooseReasonDecoder({
      kernelFormat: { ...fromFormat([[3, 'NO_SOCKET']], 'BTF vmlinux'), kind: 'btf' },
      headerRelease: '6.18.44-fc-v595',
      observedValues: [3],
    });
    expect(choice.kernel.source).toBe('btf');
    expect(choice.kernel.release).toBe('6.18.44-fc-v595');
    expect(choice.decode(3)).toBe('NO_SOCKET');
  });

  it('falls back to subsystem decoding with the release table when a mapping lacks a value', () => {
    const choice = chooseReasonDecoder({
      embedded: fromFormat([[2, 'NOT_SPECIFIED']]),
      headerRelease: '6.18.44',
      observedValues: [0x20001],
    });
    expect(choice.decode(0x20001)).toBe('OPENVSWITCH:OVS_DROP_LAST_ACTION');
    expect(choice.decode(500)).toBe('UNKNOWN(500)');
  });

  it('keeps UNKNOWN(n) for values a mapping lacks when no release is known', () => {
    const choice = chooseReasonDecoder({
      embedded: fromFormat([[2, 'NOT_SPECIFIED']]),
      observedValues: [0x20001],
    });
    expect(choice.decode(0x20001)).toBe('UNKNOWN(131073)');
    expect(choice.warnings.join(' ')).toMatch(/131073 has no name/);
  });

  it('names 0 and 1 from the layout of a tracepoint list that omits them', () => {
    const choice = chooseReasonDecoder({
      embedded: fromFormat([
        [2, 'NOT_SPECIFIED'],
        [3, 'NO_SOCKET'],
      ]),
      observedValues: [1],
    });
    expect(choice.decode(0)).toBe('NOT_DROPPED_YET');
    expect(choice.decode(1)).toBe('CONSUMED');
    expect(choice.warnings.join(' ')).toMatch(/not real drops.*CONSUMED/);
  });

  it('warns when the embedded mapping disagrees with the stated release', () => {
    const choice = chooseReasonDecoder({
      embedded: fromFormat([[45, 'TCP_RESET']]),
      cliRelease: '6.14',
      observedValues: [45],
    });
    expect(choice.decode(45)).toBe('TCP_RESET');
    expect(choice.warnings.join(' ')).toMatch(/disagree on 1 of the trace's reason values/);
  });

  it('decodes 3 as NO_SOCKET with the 6.18.44 table from the trace header', () => {
    const choice = chooseReasonDecoder({
      headerRelease: '6.18.44-fc-v595',
      observedValues: [3, 45],
    });
    expect(choice.kernel).toMatchObject({
      release: '6.18.44-fc-v595',
      table: '6.18.44',
      source: 'trace-header',
    });
    expect(choice.decode(3)).toBe('NO_SOCKET');
    expect(choice.decode(45)).toBe('TCP_RESET');
    expect(choice.warnings).toEqual([]);
  });

  it('lets --kernel win over the header and warns when their major.minor differ', () => {
    const choice = chooseReasonDecoder({
      cliRelease: '6.14.2',
      headerRelease: '6.18.44-fc-v595',
      observedValues: [],
    });
    expect(choice.kernel.source).toBe('cli-release');
    expect(choice.kernel.table).toBe('6.14');
    expect(choice.warnings.join(' ')).toMatch(/--kernel 6\.14\.2 and the trace header's release/);
  });

  it('does not warn when --kernel and the header name the same series', () => {
    const choice = chooseReasonDecoder({
      cliRelease: '6.18.44',
      headerRelease: '6.18.44-fc-v595',
      observedValues: [3],
    });
    expect(choice.warnings).toEqual([]);
  });

  it('reports ambiguity for value 45 when only 6.12 is known', () => {
    const choice = chooseReasonDecoder({ cliRelease: '6.12', observedValues: [3, 45] });
    const ambiguity = choice.warnings.filter((warning) => warning.startsWith('reason '));
    expect(ambiguity).toEqual([
      'reason 45 is TCP_OFO_DROP on 6.12, 6.12.95; TCP_ACK_UNSENT_DATA on 6.12.107, 6.12.118',
    ]);
  });

  it('adds no ambiguity warnings when no values were observed', () => {
    const choice = chooseReasonDecoder({ cliRelease: '6.12', observedValues: [] });
    expect(choice.warnings.some((warning) => warning.startsWith('reason '))).toBe(false);
  });

  it('guesses the newest mainline table, says so, and compares all tables', () => {
    const choice = chooseReasonDecoder({ observedValues: [45] });
    expect(choice.kernel).toMatchObject({ release: null, table: '7.3', source: 'best-guess' });
    expect(choice.warnings[0]).toMatch(/as a guess/);
    const ambiguity = choice.warnings.find((warning) => warning.startsWith('reason 45 '));
    expect(ambiguity).toMatch(/^reason 45 is TCP_RESET on 6\.17–7\.3; /);
    expect(ambiguity).toMatch(/TCP_OLD_ACK on 6\.14/);
    expect(ambiguity).toMatch(/undefined on 5\.17$/);
  });

  it('falls through an unreadable --kernel to the header with a warning', () => {
    const choice = chooseReasonDecoder({
      cliRelease: 'banana',
      headerRelease: '6.18.44-fc-v595',
      observedValues: [],
    });
    expect(choice.kernel.source).toBe('trace-header');
    expect(choice.warnings.join(' ')).toMatch(/--kernel banana is not a kernel release/);
  });

  it('warns about RHEL renumbering when decoding by a RHEL release', () => {
    const choice = chooseReasonDecoder({
      headerRelease: '5.14.0-284.11.1.el9_2.x86_64',
      observedValues: [],
    });
    expect(choice.kernel.table).toBe('5.17');
    expect(choice.warnings.join(' ')).toMatch(/backports may insert or renumber/);
  });

  it('warns once about every MAX or UNKNOWN value it meets', () => {
    const choice = chooseReasonDecoder({ cliRelease: '6.18.44', observedValues: [128, 300, 301] });
    expect(choice.warnings).toContain(
      'reasons 300, 301 have no name in table 6.18.44 (shown as UNKNOWN(n))',
    );
    expect(choice.warnings.join(' ')).toMatch(/128 \(MAX, an end-of-list sentinel\)/);
  });
});

describe('describeReasonAmbiguity', () => {
  it('returns null when every table agrees on the value', () => {
    const tables = listReasonTables().filter((table) => table.kernel.startsWith('6.18'));
    expect(describeReasonAmbiguity(3, tables)).toBeNull();
  });
});
