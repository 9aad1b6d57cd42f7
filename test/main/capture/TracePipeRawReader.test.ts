import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSink } from '../../../main/capture/CaptureSink';
import { KernelLocations } from '../../../main/capture/KernelLocations';
import { TaskComms } from '../../../main/capture/TaskComms';
import {
  ORDER_SLACK_NS,
  PAGES_PER_TURN,
  readRawDecoding,
  TracePipeRawReader,
  type RawDecoding,
} from '../../../main/capture/TracePipeRawReader';
import { Kallsyms } from '../../../main/kernel';
import type { EventInput } from '../../../shared/model';
import {
  ADDRESS,
  HEADER_PAGE,
  KALLSYMS,
  KFREE_SKB_FORMAT,
  kfreeSkbRecord,
  ringBufferPage,
  type KfreeSkb,
  type PageEntry,
} from '../ingest/traceDat/traceDatBuilder';

const LE = true;

/** A fake tracing instance under a fake tracefs root, with `cpus` CPUs of pages. */
function fakeInstance(
  cpus: Uint8Array[][],
  files: { headerPage?: string; format?: string; subbufKb?: string; savedCmdlines?: string } = {},
): { root: string; dir: string; proc: string } {
  const root = mkdtempSync(join(tmpdir(), 'dropscope-rawpipe-'));
  const dir = join(root, 'instances', 'dropscope-1-00000000');
  mkdirSync(join(dir, 'events', 'skb', 'kfree_skb'), { recursive: true });
  writeFileSync(join(dir, 'events', 'header_page'), files.headerPage ?? HEADER_PAGE);
  writeFileSync(
    join(dir, 'events', 'skb', 'kfree_skb', 'format'),
    files.format ?? KFREE_SKB_FORMAT,
  );
  writeFileSync(join(dir, 'buffer_subbuf_size_kb'), files.subbufKb ?? '4\n');
  writeFileSync(join(root, 'saved_cmdlines'), files.savedCmdlines ?? '4242 udp-sender\n');
  cpus.forEach((pages, cpu) => {
    mkdirSync(join(dir, 'per_cpu', `cpu${cpu}`), { recursive: true });
    writeFileSync(join(dir, 'per_cpu', `cpu${cpu}`, 'trace_pipe_raw'), Buffer.concat(pages));
  });
  const proc = join(root, 'proc');
  mkdirSync(join(proc, '777'), { recursive: true });
  writeFileSync(join(proc, '777', 'comm'), 'ksoftirqd/1\n');
  return { root, dir, proc };
}

function decodingFor(
  instance: { root: string; dir: string; proc: string },
  clock = 'mono',
): RawDecoding {
  const kallsyms = Kallsyms.parse(KALLSYMS);
  const decoding = readRawDecoding(instance.dir, {
    clock,
    release: '6.18.0',
    locations: new KernelLocations((address) => kallsyms.symbolize(address), null),
    comms: new TaskComms({
      savedCmdlines: join(instance.root, 'saved_cmdlines'),
      procRoot: instance.proc,
    }),
  });
  if (!decoding.ok) throw new Error(decoding.error);
  return decoding.value;
}

function drop(patch: Partial<KfreeSkb> = {}): Uint8Array {
  return kfreeSkbRecord(LE, {
    pid: 4242,
    skbaddr: 0xffff888112345600n,
    location: ADDRESS.tcpV4Rcv,
    protocol: 0x0800,
    reason: 3,
    ...patch,
  });
}

const event = (delta: number, record: Uint8Array = drop()): PageEntry => ({
  kind: 'event',
  delta,
  data: record,
});

/** A reader over a fake instance, collecting what the sink hands over. */
function openReader(
  instance: { root: string; dir: string; proc: string },
  patch: Partial<RawDecoding> = {},
): { reader: TracePipeRawReader; events: EventInput[]; sink: CaptureSink } {
  const events: EventInput[] = [];
  const decoding = { ...decodingFor(instance), ...patch };
  const sink = new CaptureSink({
    onBatch: (batch) => events.push(...batch),
    reasonNames: decoding.layout.reasons?.names ?? null,
    now: () => 0,
  });
  return { reader: TracePipeRawReader.open(instance.dir, decoding, sink), events, sink };
}

/** Reads until dry, ends, and hands every event over. */
function drain(reader: TracePipeRawReader, sink: CaptureSink): void {
  while (!reader.read()) {
    // a turn at a time, as the session does
  }
  reader.end();
  sink.close();
  reader.close();
}

describe('readRawDecoding', () => {
  it('reads the page layout, the record layout and the reason names from the instance', () => {
    const decoding = decodingFor(fakeInstance([]));
    expect(decoding.page).toEqual({
      pageSize: 4096,
      timestampOffset: 0,
      commitOffset: 8,
      commitSize: 8,
      dataOffset: 16,
    });
    expect(decoding.layout.id).toBe(2310);
    expect(decoding.layout.reason).toEqual({ offset: 36, size: 4 });
    expect(decoding.layout.reasons?.names.get(3)).toBe('NO_SOCKET');
    expect(decoding.monotonic).toBe(true);
  });

  it('takes the page size from buffer_subbuf_size_kb when the sub-buffers are larger', () => {
    const decoding = decodingFor(fakeInstance([], { subbufKb: '8\n' }));
    expect(decoding.page.pageSize).toBe(8192);
  });

  it('says what is wrong when header_page has no commit field, so the text reader is used', () => {
    const instance = fakeInstance([], {
      headerPage: '\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n',
    });
    const decoding = readRawDecoding(instance.dir, {
      clock: 'mono',
      release: null,
      locations: new KernelLocations(() => null, null),
      comms: new TaskComms({ savedCmdlines: null, procRoot: instance.proc }),
    });
    expect(decoding).toEqual({
      ok: false,
      error: expect.stringMatching(/header_page: header_page has no commit, data field$/) as string,
    });
  });

  it('says what is wrong when the kfree_skb format lacks a field it needs', () => {
    const instance = fakeInstance([], {
      format: KFREE_SKB_FORMAT.replace(/\tfield:void \* skbaddr;[^\n]*\n/, ''),
    });
    const decoding = readRawDecoding(instance.dir, {
      clock: 'mono',
      release: null,
      locations: new KernelLocations(() => null, null),
      comms: new TaskComms({ savedCmdlines: null, procRoot: instance.proc }),
    });
    expect(decoding.ok).toBe(false);
    expect(decoding.ok ? '' : decoding.error).toContain('has no skbaddr field');
  });
});

describe('TracePipeRawReader', () => {
  it('decodes each kfree_skb record of the pages into an event with names, symbols and comm', () => {
    const page = ringBufferPage(LE, 5_000_000_000, [
      event(0),
      { kind: 'extend', delta: 300_000_000 },
      event(
        0,
        drop({
          pid: 0,
          reason: 88,
          rxSk: 0xffff888100aa0000n,
          location: ADDRESS.ip6PktDiscard,
          protocol: 0x86dd,
        }),
      ),
      event(10, drop({ pid: 777, location: 0xffff0000deadbeefn })),
    ]);
    const instance = fakeInstance([[page]]);
    const { reader, events, sink } = openReader(instance);
    drain(reader, sink);
    expect(events).toEqual([
      {
        timestampNs: 5_000_000_000,
        cpu: 0,
        pid: 4242,
        comm: 'udp-sender',
        skbaddr: '0xffff888112345600',
        rxSk: null,
        protocol: 0x0800,
        location: 'tcp_v4_rcv+0x91',
        reason: 'NO_SOCKET',
        reasonValue: 3,
        callchain: null,
        line: 1,
        extra: null,
      },
      expect.objectContaining({
        timestampNs: 5_300_000_000,
        pid: 0,
        comm: '<idle>',
        rxSk: '0xffff888100aa0000',
        protocol: 0x86dd,
        location: 'ip6_pkt_discard+0x11',
        reason: 'IP_INNOROUTES',
        reasonValue: 88,
        line: 2,
      }),
      // A pid missing from saved_cmdlines is named from /proc; an address no symbol covers stays raw.
      expect.objectContaining({
        timestampNs: 5_300_000_010,
        comm: 'ksoftirqd/1',
        location: '0xffff0000deadbeef',
      }),
    ]);
    expect(reader.lostNotices()).toBe(0);
  });

  it('merges the CPUs by timestamp, the lower CPU first on ties', () => {
    const cpu0 = ringBufferPage(LE, 1000, [event(0), event(200), event(300)]);
    const cpu1 = ringBufferPage(LE, 1100, [event(0), event(400)]);
    const { reader, events, sink } = openReader(fakeInstance([[cpu0], [cpu1]]));
    drain(reader, sink);
    expect(events.map((e) => [e.timestampNs, e.cpu])).toEqual([
      [1000, 0],
      [1100, 1],
      [1200, 0],
      [1500, 0],
      [1500, 1],
    ]);
  });

  it('holds back what a CPU read dry may still precede, and hands it over at the end', () => {
    // CPU 1 has more pages than a turn reads: the events of CPU 0 later than CPU 1's last page
    // read must wait, so that the handed-over events stay in time order.
    const busy = Array.from({ length: PAGES_PER_TURN + 3 }, (_, i) =>
      ringBufferPage(LE, 1_000_000 + i * 1000, [event(0)]),
    );
    const late = ringBufferPage(LE, 1_000_000 + (PAGES_PER_TURN + 1) * 1000 + 500, [event(0)]);
    const { reader, events, sink } = openReader(fakeInstance([[late], busy]), {
      monotonic: false,
    });
    expect(reader.read()).toBe(false);
    sink.flush();
    expect(events).toHaveLength(PAGES_PER_TURN);
    expect(events.every((e) => e.cpu === 1)).toBe(true);
    drain(reader, sink);
    const times = events.map((e) => e.timestampNs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events).toHaveLength(PAGES_PER_TURN + 4);
    expect(events[PAGES_PER_TURN + 2]?.cpu).toBe(0);
  });

  it('on the mono clock, keeps events of the last millisecond until a later turn', () => {
    const page = ringBufferPage(LE, 10_000_000, [event(0), event(ORDER_SLACK_NS)]);
    const { reader, events, sink } = openReader(fakeInstance([[page]]), {
      monotonicNowNs: () => 10_000_000 + ORDER_SLACK_NS + 1,
    });
    expect(reader.read()).toBe(true);
    sink.flush();
    expect(events.map((e) => e.timestampNs)).toEqual([10_000_000]);
    reader.end();
    sink.flush();
    expect(events.map((e) => e.timestampNs)).toEqual([10_000_000, 10_000_000 + ORDER_SLACK_NS]);
    reader.close();
  });

  it('counts the events pages say were lost, and skips short or foreign records saying why', () => {
    const pages = [
      ringBufferPage(LE, 1000, [event(0)]),
      ringBufferPage(
        LE,
        2000,
        [event(0), event(5, drop({ type: 316 })), event(5, drop().subarray(0, 24))],
        {
          lost: 37,
        },
      ),
    ];
    const { reader, events, sink } = openReader(fakeInstance([pages]));
    drain(reader, sink);
    expect(events.map((e) => e.timestampNs)).toEqual([1000, 2000]);
    expect(reader.lostNotices()).toBe(37);
    expect(sink.skippedExamples).toEqual([
      { line: 3, text: 'record of CPU 0', why: 'other event: type 316' },
      {
        line: 4,
        text: 'kfree_skb record of CPU 0',
        why: 'record of 24 bytes is shorter than the 40-byte format',
      },
    ]);
  });

  it('reads a partly filled page the kernel hands over as it is (the commit says how much)', () => {
    const partial = ringBufferPage(LE, 7000, [event(0), event(1)]);
    const { reader, events, sink } = openReader(fakeInstance([[partial.subarray(0, 200)]]));
    drain(reader, sink);
    expect(events.map((e) => e.timestampNs)).toEqual([7000, 7001]);
  });

  it('leaves times unknown on a counter clock', () => {
    const instance = fakeInstance([[ringBufferPage(LE, 123456, [event(0)])]]);
    const { reader, events, sink } = openReader(instance, {
      ...decodingFor(instance, 'x86-tsc'),
    });
    drain(reader, sink);
    expect(events[0]?.timestampNs).toBeNaN();
  });

  it('throws naming the file on a read error other than EAGAIN', () => {
    const instance = fakeInstance([[]]);
    // A directory opens read-only but fails every read with EISDIR.
    mkdirSync(join(instance.dir, 'per_cpu', 'cpu1', 'trace_pipe_raw'), { recursive: true });
    const { reader } = openReader(instance);
    expect(() => reader.read()).toThrow(/cpu1\/trace_pipe_raw: EISDIR/);
    reader.close();
  });

  it('refuses an instance without per-CPU files', () => {
    const instance = fakeInstance([]);
    expect(() => openReader(instance)).toThrow(/ENOENT|no cpuN directories/);
  });
});
