import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTrace, type LoadedTrace } from '../../../../main/ingest';
import {
  ADDRESS,
  KALLSYMS,
  KFREE_SKB_FORMAT,
  SCHED_SWITCH_FORMAT,
  kfreeSkbRecord,
  ringBufferPage,
  traceDatV6,
  traceDatV7,
  type TraceDatParts,
} from './traceDatBuilder';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-tracedat-'));

async function load(name: string, bytes: Uint8Array): Promise<LoadedTrace> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const result = await readTrace(path);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function parts(le: boolean): TraceDatParts {
  const drop = (pid: number, reason: number, location: bigint = ADDRESS.ip6PktDiscard) =>
    kfreeSkbRecord(le, { pid, skbaddr: 0xffff888105352b00n, location, protocol: 0x86dd, reason });
  const other = new Uint8Array(24);
  other[le ? 0 : 1] = 316 & 0xff;
  other[le ? 1 : 0] = 316 >> 8;
  return {
    formats: [
      { system: 'skb', text: KFREE_SKB_FORMAT },
      { system: 'sched', text: SCHED_SWITCH_FORMAT },
    ],
    kallsyms: KALLSYMS,
    cmdlines: '32 kworker/u8:1\n27196 python3\n',
    cpus: [
      [
        ringBufferPage(le, 1_000_000, [
          { kind: 'event', delta: 0, data: drop(32, 88) },
          { kind: 'event', delta: 300, data: other },
          { kind: 'extend', delta: 2 ** 28 },
          { kind: 'event', delta: 5, data: drop(27196, 30, ADDRESS.tcpV4Rcv), long: true },
        ]),
        ringBufferPage(le, 2 ** 28 + 2_000_000, [{ kind: 'event', delta: 0, data: drop(0, 2) }], {
          lost: 7,
        }),
      ],
      [
        ringBufferPage(le, 1_000_100, [
          { kind: 'padding', delta: 10, bytes: 16 },
          { kind: 'event', delta: 40, data: drop(4242, 3) },
        ]),
      ],
    ],
  };
}

const EXPECTED = [
  {
    timestampNs: 1_000_000,
    cpu: 0,
    pid: 32,
    comm: 'kworker/u8:1',
    location: 'ip6_pkt_discard+0x11',
    reason: 'IP_INNOROUTES',
  },
  {
    timestampNs: 1_000_150,
    cpu: 1,
    pid: 4242,
    comm: null,
    location: 'ip6_pkt_discard+0x11',
    reason: 'NO_SOCKET',
  },
  {
    timestampNs: 1_000_305 + 2 ** 28,
    cpu: 0,
    pid: 27196,
    comm: 'python3',
    location: 'tcp_v4_rcv+0x91',
    reason: 'TCP_FLAGS',
  },
  {
    timestampNs: 2 ** 28 + 2_000_000,
    cpu: 0,
    pid: 0,
    comm: '<idle>',
    location: 'ip6_pkt_discard+0x11',
    reason: 'NOT_SPECIFIED',
  },
];

function rows(trace: LoadedTrace) {
  return Array.from({ length: trace.store.length }, (_, i) => {
    const row = trace.store.row(i);
    return {
      timestampNs: row.timestampNs,
      cpu: row.cpu,
      pid: row.pid,
      comm: row.comm,
      location: row.location,
      reason: row.reason,
    };
  });
}

describe('readTraceDat', () => {
  for (const le of [true, false]) {
    const order = le ? 'little-endian' : 'big-endian';

    it(`reads a ${order} version 6 file, merging CPUs in time order`, async () => {
      const trace = await load(`v6-${order}.dat`, traceDatV6(le, parts(le)));
      expect(trace.format).toBe('trace-dat');
      expect(trace.formatLabel).toBe('trace-cmd trace.dat');
      expect(rows(trace)).toEqual(EXPECTED);
      expect(trace.store.row(0).skbaddr).toBe('0xffff888105352b00');
      expect(trace.store.row(0).protocol).toBe(0x86dd);
      expect(trace.kernel.source).toBe('embedded-format');
      expect(trace.meta.traceDatVersion).toBe(6);
      expect(trace.meta.lost).toBe(7);
      expect(trace.meta.otherEvents).toBe(1);
      expect(trace.warnings.join('\n')).toMatch(/ring buffer lost 7 events/);
      expect(trace.skipped.lines).toBe(0);
    });

    it(`reads a ${order} version 7 file with zlib-compressed sections and CPU data`, async () => {
      const trace = await load(`v7-${order}.dat`, traceDatV7(le, parts(le), true));
      expect(rows(trace)).toEqual(EXPECTED);
      expect(trace.meta).toMatchObject({
        traceDatVersion: 7,
        hostname: 'box',
        osRelease: '6.18.44-test',
        arch: 'x86_64',
        nrCpus: 2,
        traceCmdVersion: '3.1.6 test',
        traceClock: 'local',
        traceDatCompression: 'zlib 1.2.13',
        capturedOnSource: 'file modification time',
      });
    });
  }

  it('reads an uncompressed version 7 file', async () => {
    const trace = await load('v7-plain.dat', traceDatV7(true, parts(true), false));
    expect(rows(trace)).toEqual(EXPECTED);
  });

  it('reads a gzipped trace.dat through a temporary copy', async () => {
    const trace = await load('v6.dat.gz', gzipSync(traceDatV6(true, parts(true))));
    expect(trace.compression).toBe('gzip');
    expect(trace.store.length).toBe(4);
  });

  it('prefers the --kallsyms symbolizer over the saved kallsyms', async () => {
    const path = join(dir, 'v6-user.dat');
    writeFileSync(path, traceDatV6(true, parts(true)));
    const result = await readTrace(path, { symbolize: () => 'user_symbol+0x1' });
    expect(result.ok && result.value.store.row(0).location).toBe('user_symbol+0x1');
  });

  it('keeps raw addresses, with one warning, when nothing can symbolize them', async () => {
    const trace = await load('v6-nosyms.dat', traceDatV6(true, { ...parts(true), kallsyms: '' }));
    expect(trace.store.row(0).location).toBe('0xffffffff820e9091');
    expect(trace.warnings.filter((w) => /shown as addresses/.test(w))).toHaveLength(1);
  });

  it('loads the events before the cut of a truncated version 6 file and says where it broke', async () => {
    const whole = traceDatV6(true, parts(true));
    // Cut inside the one event of CPU 1's page: CPU 0's pages are complete.
    const trace = await load('v6-cut.dat', whole.subarray(0, whole.length - 4096 + 40));
    expect(trace.store.length).toBe(3);
    expect(trace.warnings.join('\n')).toMatch(/file ends at byte \d+, inside the data of CPU 1/);
  });

  it('recovers the CPU data of a version 7 file cut before its last options section', async () => {
    const whole = traceDatV7(true, parts(true), true);
    const trace = await load('v7-cut.dat', whole.subarray(0, whole.length - 20));
    expect(trace.store.length).toBe(4);
    expect(trace.warnings.join('\n')).toMatch(/located by walking its compressed chunks/);
  });

  it('fails with a message naming the file when the header is corrupt', async () => {
    const bytes = traceDatV6(true, parts(true));
    const path = join(dir, 'corrupt.dat');
    writeFileSync(path, bytes.subarray(0, 40));
    const result = await readTrace(path);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/corrupt\.dat: .*header/);
  });

  it('refuses an unknown trace.dat version clearly', async () => {
    const bytes = traceDatV6(true, parts(true));
    bytes[10] = '9'.charCodeAt(0);
    const path = join(dir, 'v9.dat');
    writeFileSync(path, bytes);
    const result = await readTrace(path);
    expect(!result.ok && result.error).toMatch(/v9\.dat: .*version "9" is not supported/);
  });
});
