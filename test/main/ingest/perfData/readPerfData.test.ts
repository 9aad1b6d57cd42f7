import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace, type LoadedTrace, type ReadTraceOptions } from '../../../../main/ingest';
import { IngestSink } from '../../../../main/ingest/IngestSink';
import { openTraceStream } from '../../../../main/ingest/openTraceStream';
import { readPerfData } from '../../../../main/ingest/perfData/readPerfData';
import { BinaryFile } from '../../../../main/ingest/traceDat/BinaryFile';
import type { MachineKernel } from '../../../../main/ingest/traceDat/KernelSymbols';
import { Kallsyms } from '../../../../main/kernel';
import { EventStore, type StoreColumns, type StringDictionary } from '../../../../main/store';
import { hasSamples, samplePath } from '../../../helpers/samples';
import { seededRandom } from '../../../helpers/seededRandom';
import { ADDRESS, KALLSYMS, KFREE_SKB_FORMAT, kfreeSkbRecord } from '../traceDat/traceDatBuilder';
import {
  DUMMY_SAMPLE_TYPE,
  record,
  KFREE_SAMPLE_TYPE,
  SAMPLE,
  comm,
  finishedRound,
  fork,
  lost,
  perfFile,
  perfPipe,
  sample,
  standardFeatures,
  type AttrSpec,
} from './perfDataBuilder';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-perfdata-'));
const RELEASE = '6.18.44-dropscope-test';

function attrs(sampleType = KFREE_SAMPLE_TYPE, period: Partial<AttrSpec> = {}): AttrSpec[] {
  return [
    { type: 2, config: 2310, sampleType, ids: [144, 145], name: 'skb:kfree_skb', ...period },
    { type: 1, config: 9, sampleType: DUMMY_SAMPLE_TYPE, ids: [146, 147], name: 'dummy:HG' },
  ];
}

function drop(
  le: boolean,
  id: number,
  tid: number,
  time: number,
  cpu: number,
  reason: number,
  location: bigint = ADDRESS.ip6PktDiscard,
) {
  const raw = kfreeSkbRecord(le, {
    pid: tid,
    skbaddr: 0xffff88810adc8100n,
    location,
    protocol: 0x86dd,
    reason,
  });
  return sample(le, KFREE_SAMPLE_TYPE, { id, pid: tid, tid, time, cpu, raw });
}

/** Records in file order: two rounds whose CPU buffers are not in time order, see the test. */
function records(le: boolean): Uint8Array[] {
  return [
    comm(le, 100, 100, 'oldname', 50, 146),
    finishedRound(le),
    drop(le, 145, 100, 100, 1, 88),
    drop(le, 145, 100, 300, 1, 3),
    comm(le, 100, 100, 'newname', 200, 146),
    fork(le, 101, 100, 250, 146),
    drop(le, 144, 101, 260, 0, 30, ADDRESS.tcpV4Rcv),
    sample(le, DUMMY_SAMPLE_TYPE, {
      id: 146,
      pid: 1,
      tid: 1,
      time: 270,
      cpu: 0,
      raw: new Uint8Array(0),
    }),
    finishedRound(le),
    drop(le, 144, 555, 400, 0, 2),
    drop(le, 145, 0, 350, 1, 2),
    lost(le, 144, 5, 410),
    finishedRound(le),
    sample(le, KFREE_SAMPLE_TYPE, {
      id: 144,
      pid: 7,
      tid: 7,
      time: 500,
      cpu: 0,
      raw: new Uint8Array(8),
    }),
  ];
}

const EXPECTED = [
  { timestampNs: 100, cpu: 1, pid: 100, comm: 'oldname', reason: 'IP_INNOROUTES' },
  { timestampNs: 260, cpu: 0, pid: 101, comm: 'newname', reason: 'TCP_FLAGS' },
  { timestampNs: 300, cpu: 1, pid: 100, comm: 'newname', reason: 'NO_SOCKET' },
  { timestampNs: 350, cpu: 1, pid: 0, comm: 'swapper', reason: 'NOT_SPECIFIED' },
  { timestampNs: 400, cpu: 0, pid: 555, comm: ':555', reason: 'NOT_SPECIFIED' },
];

function features(le: boolean, sampleAttrs = attrs()) {
  return standardFeatures(le, sampleAttrs, RELEASE, {
    version: '0.6',
    formats: [{ system: 'skb', text: KFREE_SKB_FORMAT }],
  });
}

async function load(
  name: string,
  bytes: Uint8Array,
  options: ReadTraceOptions = {},
): Promise<LoadedTrace> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const result = await readTrace(path, options);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function rows(trace: LoadedTrace) {
  return Array.from({ length: trace.store.length }, (_, i) => {
    const { timestampNs, cpu, pid, comm: name, reason } = trace.store.row(i);
    return { timestampNs, cpu, pid, comm: name, reason };
  });
}

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `perf record -z`: the records as one zstd stream cut into PERF_RECORD_COMPRESSED pieces at
 * arbitrary bytes (perf flushes the compressor per write, so pieces are not whole frames).
 * COMPRESSED records are not padded; every other piece is a COMPRESSED2 (u64 data size, padding).
 */
function compressedRecords(inner: Uint8Array[]): Uint8Array[] {
  const plain = Buffer.concat(inner.map((r) => Buffer.from(r)));
  const packed = execFileSync('zstd', ['-q', '-c'], { input: plain });
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < packed.length; at += 37) {
    const piece = packed.subarray(at, Math.min(at + 37, packed.length));
    if (pieces.length % 2 === 0) pieces.push(record(true, 81, piece));
    else {
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(piece.length));
      const padding = Buffer.alloc((8 - (piece.length % 8)) % 8);
      pieces.push(record(true, 83, Buffer.concat([size, piece, padding])));
    }
  }
  return pieces;
}

const kallsyms = Kallsyms.parse(KALLSYMS);
const symbolize = (address: string): string | null => kallsyms.symbolize(address);

describe('readPerfData', () => {
  for (const le of [true, false]) {
    const order = le ? 'little-endian' : 'big-endian';

    it(`reads a ${order} perf.data in time order, with the comm of the sample's time`, async () => {
      const trace = await load(`${order}.data`, perfFile(le, attrs(), records(le), features(le)));
      expect(trace.format).toBe('perf-data');
      expect(trace.formatLabel).toBe('perf.data (binary)');
      expect(rows(trace)).toEqual(EXPECTED);
      expect(trace.store.isTimeSorted).toBe(true);
      const first = trace.store.row(0);
      expect(first.skbaddr).toBe('0xffff88810adc8100');
      expect(first.rxSk).toBeNull();
      expect(first.protocol).toBe(0x86dd);
      expect(first.location).toBe('0xffffffff820e9091');
      expect(trace.kernel.source).toBe('embedded-format');
      expect(trace.kernel.table).toBe('perf.data tracing data (events/skb/kfree_skb/format)');
    });

    it(`reports the ${order} file's meta, lost events and the short sample`, async () => {
      const trace = await load(
        `${order}-meta.data`,
        perfFile(le, attrs(), records(le), features(le)),
      );
      expect(trace.meta).toMatchObject({
        hostname: 'testhost',
        osRelease: RELEASE,
        perfVersion: '6.1.192',
        arch: 'x86_64',
        nrCpus: 2,
        nrCpusAvailable: 4,
        cmdline: '/usr/bin/perf record -a',
        perfEvents: 'skb:kfree_skb, dummy:HG',
        kernelBuildId: 'e4f18d9dc1d0e6fc2b17e93e885a647b3c0a6fc1',
        samplePeriod: 1,
        otherEventSamples: 1,
        lost: 5,
        capturedOnSource: 'file modification time',
        endian: le ? 'little' : 'big',
      });
      expect(trace.warnings.join('\n')).toMatch(/perf lost 5 events \(1 LOST record\)/);
      expect(trace.warnings.filter((w) => /shown as addresses/.test(w))).toEqual([
        expect.stringMatching(
          new RegExp(
            `no --kallsyms given and the trace's kernel ${RELEASE} differs from this machine's`,
          ),
        ),
      ]);
      expect(trace.skipped.lines).toBe(1);
      expect(trace.skipped.examples[0]?.why).toMatch(
        /RAW data of 12 bytes is shorter than the 40-byte kfree_skb record/,
      );
    });
  }

  it('symbolizes locations with --kallsyms, without a warning', async () => {
    const trace = await load(
      'kallsyms.data',
      perfFile(true, attrs(), records(true), features(true)),
      { symbolize },
    );
    expect(trace.store.row(0).location).toBe('ip6_pkt_discard+0x11');
    expect(trace.store.row(1).location).toBe('tcp_v4_rcv+0x91');
    expect(trace.warnings.some((w) => /shown as addresses/.test(w))).toBe(false);
  });

  it('reads callchains innermost first, without context markers, symbolizing kernel frames', async () => {
    const type = KFREE_SAMPLE_TYPE | SAMPLE.CALLCHAIN;
    const raw = kfreeSkbRecord(true, {
      pid: 9,
      skbaddr: 0xffff888100000000n,
      location: ADDRESS.ip6PktDiscard,
      protocol: 0x800,
      reason: 2,
    });
    const chain = [
      0xffffffffffffff80n,
      ADDRESS.skbReasonDrop,
      ADDRESS.ip6PktDiscard,
      0xfffffffffffffe00n,
      0x7f585ccd8c6cn,
    ];
    const bytes = perfFile(
      true,
      attrs(type),
      [sample(true, type, { id: 144, pid: 9, tid: 9, time: 5, cpu: 0, raw, callchain: chain })],
      features(true, attrs(type)),
    );
    const trace = await load('chain.data', bytes, { symbolize });
    expect(trace.store.row(0).callchain).toEqual([
      'sk_skb_reason_drop+0x90',
      'ip6_pkt_discard+0x11',
      '0x7f585ccd8c6c',
    ]);
  });

  it('keeps the period in extra when the attr samples more than every event', async () => {
    const bytes = perfFile(
      true,
      attrs(KFREE_SAMPLE_TYPE, { samplePeriod: 10 }),
      records(true),
      features(true),
    );
    const trace = await load('period.data', bytes);
    expect(trace.store.row(0).extra).toEqual({ period: 1 });
    expect(trace.meta.samplePeriod).toBeUndefined();
  });

  it('reads pipe mode (attrs, features and tracing data as records)', async () => {
    const trace = await load('pipe.data', perfPipe(true, attrs(), records(true), features(true)));
    expect(rows(trace)).toEqual(EXPECTED);
    expect(trace.meta).toMatchObject({
      perfDataMode: 'pipe',
      osRelease: RELEASE,
      hostname: 'testhost',
    });
    expect(trace.kernel.source).toBe('embedded-format');
  });

  it.skipIf(!hasTool('zstd'))(
    'reads zstd-compressed records (perf record -z; made with the zstd tool)',
    async () => {
      const all = records(true);
      const bytes = perfFile(
        true,
        attrs(),
        [...all.slice(0, 2), ...compressedRecords(all.slice(2))],
        features(true),
      );
      const trace = await load('compressed.data', bytes);
      expect(rows(trace)).toEqual(EXPECTED);
      expect(trace.skipped.lines).toBe(1);
    },
  );

  it('loads the records before the cut of a truncated file, guessing the lost format', async () => {
    const whole = perfFile(true, attrs(), records(true), features(true));
    const dataEnd =
      104 +
      4 * 8 +
      2 * 144 +
      records(true)
        .slice(0, 11)
        .reduce((sum, r) => sum + r.length, 0);
    const trace = await load('cut.data', whole.subarray(0, dataEnd + 20), {
      kernelRelease: '6.18.44',
    });
    expect(trace.store.length).toBe(5);
    const warnings = trace.warnings.join('\n');
    expect(warnings).toMatch(/ends before its feature sections .*lost: tracing data/);
    expect(warnings).toMatch(/format is lost .* usual 6\.x 64-bit layout/);
    expect(warnings).toMatch(/the file ends at byte \d+, inside the data section/);
    expect(trace.kernel.source).toBe('cli-release');
  });

  it('fails with a message naming the file when the header is corrupt', async () => {
    const bytes = perfFile(true, attrs(), records(true), features(true));
    new DataView(bytes.buffer).setUint32(16, 8, true); // attr entry size 8
    const path = join(dir, 'corrupt.data');
    writeFileSync(path, bytes);
    const result = await readTrace(path);
    expect(!result.ok && result.error).toMatch(/corrupt\.data: corrupt perf\.data header/);
  });

  it('fails clearly when the file ends inside its header', async () => {
    const path = join(dir, 'stub.data');
    writeFileSync(path, perfFile(true, attrs(), records(true), features(true)).subarray(0, 200));
    const result = await readTrace(path);
    expect(!result.ok && result.error).toMatch(
      /stub\.data: the file ends at byte 200, before its data section/,
    );
  });
});

/** A machine running another kernel than every test file's (no /proc/kallsyms is read). */
const OTHER_MACHINE: MachineKernel = {
  release: () => '0.0.0-not-the-trace-kernel',
  buildId: () => Promise.resolve(null),
  kallsyms: () => Promise.reject(new Error('not read')),
};

/**
 * A capture of about 1.5 MB (more than the reader's 1 MiB chunks) in 12 rounds whose two CPU
 * buffers are in time order one after the other, overlap a little, or alternate event by event;
 * with COMM and FORK records, samples of another event, rx_sk on some drops and unknown reasons.
 */
function bigCapture(le: boolean, sampleType = KFREE_SAMPLE_TYPE): Uint8Array[] {
  const key = `${le} ${sampleType}`;
  let built = bigCaptures.get(key);
  if (!built) {
    built = buildBigCapture(le, sampleType);
    bigCaptures.set(key, built);
  }
  return built;
}

const bigCaptures = new Map<string, Uint8Array[]>();

function buildBigCapture(le: boolean, sampleType: number): Uint8Array[] {
  const random = seededRandom(7);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const locations = [
    ADDRESS.ip6PktDiscard,
    ADDRESS.tcpV4Rcv,
    ADDRESS.skbReasonDrop,
    0xffffffffc0a01234n,
  ];
  const out: Uint8Array[] = [comm(le, 200, 200, 'first', 1, 146)];
  let time = 1000;
  for (let round = 0; round < 12; round++) {
    const count = 1000 + round * 37;
    const buffers: Uint8Array[][] = [[], []];
    for (let i = 0; i < count; i++) {
      time += 1 + Math.floor(random() * 5);
      const shape = round % 3;
      const cpu =
        shape === 0 ? (i < count / 2 ? 0 : 1) : shape === 1 ? (i % 97 === 0 ? 1 : 0) : i % 2;
      const tid = 200 + Math.floor(random() * 20);
      const raw = kfreeSkbRecord(le, {
        pid: tid,
        skbaddr: 0xffff888100000000n + BigInt(Math.floor(random() * 3000)) * 0x100n,
        location: pick(locations),
        ...(random() < 0.1 ? { rxSk: 0xffff888200000000n + BigInt(i) * 0x40n } : {}),
        protocol: pick([0x800, 0x86dd]),
        reason: pick([2, 3, 30, 88, 200]),
      });
      const buffer = buffers[cpu] as Uint8Array[];
      buffer.push(
        sample(le, sampleType, {
          id: 144 + cpu,
          pid: tid,
          tid,
          time,
          cpu,
          raw,
          callchain: [ADDRESS.skbReasonDrop, 0x7f585ccd8c6cn],
        }),
      );
      if (i % 211 === 5) buffer.push(comm(le, tid, tid, `renamed-${round}-${i}`, time, 146 + cpu));
      if (i % 307 === 9) buffer.push(fork(le, 300 + i, tid, time, 146 + cpu));
      if (i % 401 === 3) {
        buffer.push(
          sample(le, DUMMY_SAMPLE_TYPE, {
            id: 146 + cpu,
            pid: 1,
            tid: 1,
            time,
            cpu,
            raw: new Uint8Array(0),
          }),
        );
      }
    }
    out.push(...(buffers[0] as Uint8Array[]), ...(buffers[1] as Uint8Array[]), finishedRound(le));
  }
  return out;
}

interface Loaded {
  store: EventStore;
  sink: IngestSink;
  records: number;
}

/** Reads `bytes` with `readPerfData` into a new store: in batches (`batch`) or event by event. */
async function readInto(
  name: string,
  bytes: Uint8Array,
  batch: boolean,
  userSymbolize: ((address: string) => string | null) | null = null,
  machine: MachineKernel = OTHER_MACHINE,
): Promise<Loaded> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const store = new EventStore();
  const sink = new IngestSink(store, null);
  const file = await BinaryFile.open(path, await openTraceStream(path));
  try {
    const outcome = await readPerfData(
      { path, file, sink, userSymbolize, modifiedAt: null, machine },
      batch ? store : null,
    );
    if (!outcome.ok) throw new Error(outcome.error);
    return { store, sink, records: outcome.value.records };
  } finally {
    await file.close();
  }
}

/** Everything a load leaves: every column entry, the dictionaries, the sink's bookkeeping. */
function contents({ store, sink, records }: Loaded) {
  return {
    length: store.length,
    columns: Object.fromEntries(
      (Object.entries(store.columns) as [string, StoreColumns[keyof StoreColumns]][]).map(
        ([name, column]) => [name, Array.from({ length: store.length }, (_, i) => column.get(i))],
      ),
    ),
    dictionaries: Object.fromEntries(
      (Object.entries(store.dictionaries) as [string, StringDictionary][]).map(
        ([name, dictionary]) => [name, [...dictionary.all()]],
      ),
    ),
    timeBounds: store.timeBounds,
    isTimeSorted: store.isTimeSorted,
    timedCount: store.timedCount,
    warnings: sink.warnings,
    metadata: sink.metadata,
    skipped: [sink.skippedLines, sink.skippedExamples],
    embedded: sink.embedded,
    records,
  };
}

describe('readPerfData into a store (batch path)', () => {
  const chainType = KFREE_SAMPLE_TYPE | SAMPLE.CALLCHAIN;
  const whole = perfFile(true, attrs(), records(true), features(true));
  const cases: { name: string; bytes: () => Uint8Array; symbolize?: boolean }[] = [
    { name: 'little-endian', bytes: () => whole },
    { name: 'big-endian', bytes: () => perfFile(false, attrs(), records(false), features(false)) },
    { name: 'pipe mode', bytes: () => perfPipe(true, attrs(), records(true), features(true)) },
    {
      name: 'a sampling period',
      bytes: () =>
        perfFile(
          true,
          attrs(KFREE_SAMPLE_TYPE, { samplePeriod: 10 }),
          records(true),
          features(true),
        ),
    },
    { name: 'a truncated file', bytes: () => whole.subarray(0, whole.length - 700) },
    {
      name: 'a large little-endian capture',
      bytes: () => perfFile(true, attrs(), bigCapture(true), features(true)),
      symbolize: true,
    },
    {
      name: 'a large big-endian capture',
      bytes: () => perfFile(false, attrs(), bigCapture(false), features(false)),
    },
    {
      name: 'a large capture with callchains',
      bytes: () =>
        perfFile(
          true,
          attrs(chainType),
          bigCapture(true, chainType),
          features(true, attrs(chainType)),
        ),
      symbolize: true,
    },
  ];

  it.each(cases)('fills the store as one sink.event per event does: $name', async (c) => {
    const bytes = c.bytes();
    const symbols = c.symbolize ? symbolize : null;
    const batched = await readInto(`batch-${c.name}.data`, bytes, true, symbols);
    const perEvent = await readInto(`event-${c.name}.data`, bytes, false, symbols);
    expect(batched.store.length).toBeGreaterThan(0);
    const got = contents(batched);
    const expected = contents(perEvent);
    // The file names differ in the messages.
    expected.warnings = expected.warnings.map((w) => w.replace('event-', 'batch-'));
    expect(got).toEqual(expected);
  });

  /** The machine that recorded the test files, its kallsyms read whole or streamed in pieces. */
  const recordingMachine = (streamed: boolean): MachineKernel => ({
    release: () => RELEASE,
    buildId: () => Promise.resolve('e4f18d9dc1d0e6fc2b17e93e885a647b3c0a6fc1'),
    kallsyms: () => Promise.resolve(KALLSYMS),
    ...(streamed
      ? {
          streamKallsyms: (consume: (bytes: Uint8Array, length: number) => void) => {
            const bytes = new TextEncoder().encode(KALLSYMS);
            for (let at = 0; at < bytes.length; at += 37) {
              const piece = bytes.slice(at, at + 37);
              consume(piece, piece.length);
            }
            return Promise.resolve();
          },
        }
      : {}),
  });

  it.each([
    { name: 'read whole', streamed: false },
    { name: 'streamed', streamed: true },
  ])(
    "symbolizes locations and callchain frames with this machine's kallsyms ($name) as --kallsyms does",
    async ({ streamed }) => {
      const bytes = perfFile(
        true,
        attrs(chainType),
        bigCapture(true, chainType),
        features(true, attrs(chainType)),
      );
      const machine = recordingMachine(streamed);
      const got = contents(await readInto('machine.data', bytes, true, null, machine));
      const expected = contents(await readInto('machine.data', bytes, false, symbolize));
      expect(got.metadata.symbols).toBe(`/proc/kallsyms (same kernel ${RELEASE})`);
      expect(expected.metadata.symbols).toBe('--kallsyms');
      expected.metadata.symbols = got.metadata.symbols;
      expect(got).toEqual(expected);
      expect(got.dictionaries.location).toContain('ip6_pkt_discard+0x11');
    },
  );

  it("keeps addresses and says why when this machine's kallsyms hides them", async () => {
    const machine: MachineKernel = {
      ...recordingMachine(false),
      kallsyms: () => Promise.resolve('0000000000000000 T ip6_pkt_discard\n'),
    };
    const loaded = contents(await readInto('hidden.data', whole, true, null, machine));
    expect(loaded.dictionaries.location).toContain('0xffffffff820e9091');
    expect(loaded.metadata.symbols).toBeUndefined();
    expect(loaded.warnings).toContainEqual(
      expect.stringMatching(/locations are shown as addresses: .*hides the addresses/),
    );
  });

  it('decodes a large capture the same in either byte order (the little-endian fast path and the generic decoder)', async () => {
    const little = contents(
      await readInto(
        'big-le.data',
        perfFile(true, attrs(), bigCapture(true), features(true)),
        true,
      ),
    );
    const big = contents(
      await readInto(
        'big-be.data',
        perfFile(false, attrs(), bigCapture(false), features(false)),
        true,
      ),
    );
    expect(little.metadata.endian).toBe('little');
    big.metadata.endian = 'little';
    big.warnings = big.warnings.map((w) => w.replace('big-be', 'big-le'));
    expect(big).toEqual(little);
  });

  it('reads a large capture whole and in time order, through read chunks and merged rounds', async () => {
    const drops = bigCapture(true).filter((r) => {
      const view = new DataView(r.buffer, r.byteOffset);
      return view.getUint32(0, true) === 9 && view.getUint32(8, true) < 146;
    }).length;
    const loaded = await readInto(
      'big-order.data',
      perfFile(true, attrs(), bigCapture(true), features(true)),
      true,
    );
    expect(loaded.store.length).toBe(drops);
    expect(loaded.store.isFullyTimeSorted).toBe(true);
    expect(loaded.sink.skippedLines).toBe(0);
    expect(loaded.store.dictionaries.rxSk.size).toBeGreaterThan(0);
  });

  it.skipIf(!hasSamples)(
    'fills the store as one sink.event per event does: the real samples',
    async () => {
      for (const name of ['perf.data', 'perf-callchain.data']) {
        const bytes = readFileSync(samplePath(name));
        const batched = contents(await readInto(`batch-${name}`, bytes, true, symbolize));
        const perEvent = contents(await readInto(`event-${name}`, bytes, false, symbolize));
        perEvent.warnings = perEvent.warnings.map((w) => w.replace('event-', 'batch-'));
        expect(batched.length).toBeGreaterThan(0);
        expect(batched).toEqual(perEvent);
      }
    },
  );
});
