/**
 * Builders of tiny binary traces for the unit tests: a byte writer in either byte order, the
 * tracing data blob (also embedded in perf.data), skb:kfree_skb records, ftrace ring-buffer
 * pages and whole trace.dat files of versions 6 and 7.
 */
import { deflateSync } from 'node:zlib';

/** Appends numbers and strings in one byte order. */
export class ByteWriter {
  private chunks: number[] = [];

  constructor(readonly littleEndian: boolean) {}

  get length(): number {
    return this.chunks.length;
  }

  private int(value: bigint, bytes: number): this {
    const out: number[] = [];
    let v = BigInt.asUintN(bytes * 8, value);
    for (let i = 0; i < bytes; i++) {
      out.push(Number(v & 0xffn));
      v >>= 8n;
    }
    this.chunks.push(...(this.littleEndian ? out : out.reverse()));
    return this;
  }

  u8(value: number): this {
    this.chunks.push(value & 0xff);
    return this;
  }

  u16(value: number): this {
    return this.int(BigInt(value), 2);
  }

  u32(value: number): this {
    return this.int(BigInt(value), 4);
  }

  i32(value: number): this {
    return this.int(BigInt(value), 4);
  }

  u64(value: number | bigint): this {
    return this.int(BigInt(value), 8);
  }

  bytes(data: Uint8Array | readonly number[]): this {
    for (const byte of data) this.chunks.push(byte);
    return this;
  }

  /** A NUL-terminated string. */
  cstring(text: string): this {
    return this.bytes(Buffer.from(`${text}\0`, 'utf8'));
  }

  /** Zero bytes up to a multiple of `to`. */
  align(to: number): this {
    while (this.chunks.length % to !== 0) this.chunks.push(0);
    return this;
  }

  /** Overwrites a u64 at `at` (for offsets known later). */
  patchU64(at: number, value: number): this {
    const patch = new ByteWriter(this.littleEndian).u64(value).done();
    patch.forEach((byte, i) => (this.chunks[at + i] = byte));
    return this;
  }

  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** The skb:kfree_skb format of a 6.18 kernel, with a shortened reason list. */
export const KFREE_SKB_FORMAT = `name: kfree_skb
ID: 2310
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;
\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;
\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;
\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;
\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;

print fmt: "skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s", REC->skbaddr, REC->rx_sk, REC->protocol, REC->location, __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, { 30, "TCP_FLAGS" }, { 88, "IP_INNOROUTES" }, { 128, "MAX" })
`;

/** Another event's format (not a drop). */
export const SCHED_SWITCH_FORMAT = `name: sched_switch
ID: 316
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;
\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;

print fmt: "prev_comm=%s", REC->prev_comm
`;

export const HEADER_PAGE = `\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;
`;

/** A kallsyms text for the addresses the tests use. */
export const KALLSYMS = [
  'ffffffff81000000 T _text',
  'ffffffff81e42500 T sk_skb_reason_drop',
  'ffffffff81e42500 t __pfx_sk_skb_reason_drop',
  'ffffffff820e9080 t ip6_pkt_discard',
  'ffffffff820f0000 T tcp_v4_rcv',
  '0000000000000000 A fixed_percpu_data',
].join('\n');

export const ADDRESS = {
  ip6PktDiscard: 0xffffffff820e9091n, // ip6_pkt_discard+0x11
  tcpV4Rcv: 0xffffffff820f0091n, // tcp_v4_rcv+0x91
  skbReasonDrop: 0xffffffff81e42590n, // sk_skb_reason_drop+0x90
} as const;

/** Fields of one kfree_skb record. */
export interface KfreeSkb {
  pid: number;
  skbaddr: bigint;
  location: bigint;
  rxSk?: bigint;
  protocol: number;
  reason: number;
  type?: number;
}

/** A 40-byte skb:kfree_skb record in the layout of `KFREE_SKB_FORMAT`. */
export function kfreeSkbRecord(littleEndian: boolean, event: KfreeSkb): Uint8Array {
  return new ByteWriter(littleEndian)
    .u16(event.type ?? 2310)
    .u8(0)
    .u8(0)
    .i32(event.pid)
    .u64(event.skbaddr)
    .u64(event.location)
    .u64(event.rxSk ?? 0n)
    .u16(event.protocol)
    .u16(0)
    .u32(event.reason)
    .done();
}

/** Parts of a tracing data blob. */
export interface TracingDataParts {
  version: string;
  formats: { system: string; text: string }[];
  kallsyms?: string;
  cmdlines?: string;
  pageSize?: number;
}

function sized64(writer: ByteWriter, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  writer.u64(bytes.length).bytes(bytes);
}

function sized32(writer: ByteWriter, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  writer.u32(bytes.length).bytes(bytes);
}

/** Writes the initial tracing header: magic, version, endian byte, long size, page size. */
export function writeTracingHeader(writer: ByteWriter, version: string, pageSize: number): void {
  writer.bytes([0x17, 0x08, 0x44]).bytes(Buffer.from('tracing')).cstring(version);
  writer
    .u8(writer.littleEndian ? 0 : 1)
    .u8(8)
    .u32(pageSize);
}

export function writeHeaderInfo(writer: ByteWriter): void {
  writer.cstring('header_page');
  sized64(writer, HEADER_PAGE);
  writer.cstring('header_event');
  sized64(writer, '# compressed entry header\n\ttype_len    :    5 bits\n');
}

export function writeEventFormats(writer: ByteWriter, formats: TracingDataParts['formats']): void {
  const systems = [...new Set(formats.map((f) => f.system))];
  writer.u32(systems.length);
  for (const system of systems) {
    const texts = formats.filter((f) => f.system === system);
    writer.cstring(system).u32(texts.length);
    for (const format of texts) sized64(writer, format.text);
  }
}

/** A complete tracing data blob (perf HEADER_TRACING_DATA, or a version 6 trace.dat head). */
export function tracingData(littleEndian: boolean, parts: TracingDataParts): ByteWriter {
  const writer = new ByteWriter(littleEndian);
  writeTracingHeader(writer, parts.version, parts.pageSize ?? 4096);
  writeHeaderInfo(writer);
  writer.u32(0); // no ftrace formats
  writeEventFormats(writer, parts.formats);
  sized32(writer, parts.kallsyms ?? '');
  sized32(writer, '');
  sized64(writer, parts.cmdlines ?? '');
  return writer;
}

/** One entry of a ring-buffer page. */
export type PageEntry =
  | { kind: 'event'; delta: number; data: Uint8Array; long?: boolean }
  | { kind: 'extend'; delta: number }
  | { kind: 'padding'; delta: number; bytes: number };

function eventHeader(writer: ByteWriter, typeLen: number, delta: number): void {
  const word = writer.littleEndian
    ? ((delta << 5) | typeLen) >>> 0
    : ((typeLen << 27) | delta) >>> 0;
  writer.u32(word);
}

/** A ring-buffer page of `pageSize` bytes; `lost` sets the missing-events flags and count. */
export function ringBufferPage(
  littleEndian: boolean,
  timestamp: number,
  entries: PageEntry[],
  options: { pageSize?: number; lost?: number } = {},
): Uint8Array {
  const body = new ByteWriter(littleEndian);
  for (const entry of entries) {
    if (entry.kind === 'extend') {
      eventHeader(body, 30, entry.delta % 2 ** 27);
      body.u32(Math.floor(entry.delta / 2 ** 27));
    } else if (entry.kind === 'padding') {
      eventHeader(body, 29, entry.delta);
      body.u32(entry.bytes - 4);
      for (let i = 8; i < entry.bytes; i++) body.u8(0);
    } else if (entry.long || entry.data.length > 112) {
      eventHeader(body, 0, entry.delta);
      body.u32(entry.data.length + 4).bytes(entry.data);
    } else {
      eventHeader(body, entry.data.length / 4, entry.delta);
      body.bytes(entry.data);
    }
  }
  const data = body.done();
  const pageSize = options.pageSize ?? 4096;
  let commit = data.length;
  if (options.lost !== undefined) commit = (commit | 0x80000000 | 0x40000000) >>> 0;
  const page = new ByteWriter(littleEndian).u64(timestamp).u64(commit).bytes(data);
  if (options.lost !== undefined) page.u64(options.lost);
  while (page.length < pageSize) page.u8(0);
  return page.done();
}

/** Inputs of a whole trace.dat. */
export interface TraceDatParts {
  formats: TracingDataParts['formats'];
  kallsyms?: string;
  cmdlines?: string;
  /** Pages per CPU (CPU number = index). */
  cpus: Uint8Array[][];
  uname?: string;
}

/** A version 6 trace.dat: tracing data, CPU count, `flyrecord`, per-CPU {offset, size}, pages. */
export function traceDatV6(littleEndian: boolean, parts: TraceDatParts): Uint8Array {
  const writer = tracingData(littleEndian, {
    version: '6',
    formats: parts.formats,
    kallsyms: parts.kallsyms,
    cmdlines: parts.cmdlines,
  });
  writer.u32(parts.cpus.length).cstring('flyrecord');
  const table = writer.length;
  for (let i = 0; i < parts.cpus.length; i++) writer.u64(0).u64(0);
  writer.align(4096);
  parts.cpus.forEach((pages, cpu) => {
    const offset = writer.length;
    for (const page of pages) writer.bytes(page);
    writer
      .patchU64(table + cpu * 16, offset)
      .patchU64(table + cpu * 16 + 8, writer.length - offset);
  });
  return writer.done();
}

function section(
  littleEndian: boolean,
  id: number,
  content: Uint8Array,
  compress: boolean,
): Uint8Array {
  const writer = new ByteWriter(littleEndian)
    .u16(id)
    .u16(compress ? 1 : 0)
    .u32(0);
  if (!compress) return writer.u64(content.length).bytes(content).done();
  const packed = deflateSync(content);
  return writer
    .u64(packed.length + 8)
    .u32(packed.length)
    .u32(content.length)
    .bytes(packed)
    .done();
}

function option(writer: ByteWriter, id: number, data: Uint8Array): void {
  writer.u16(id).u32(data.length).bytes(data);
}

/**
 * A version 7 trace.dat compressed with zlib (or not): sections for header info, event
 * formats, kallsyms and cmdlines, one OPTIONS section pointing at them, a BUFFER section and
 * per-CPU chunks, then a last OPTIONS section with the BUFFER option.
 */
export function traceDatV7(
  littleEndian: boolean,
  parts: TraceDatParts,
  compress: boolean,
): Uint8Array {
  const le = littleEndian;
  const out = new ByteWriter(le);
  writeTracingHeader(out, '7', 4096);
  out.cstring(compress ? 'zlib' : 'none').cstring(compress ? '1.2.13' : '');
  const firstOptionsAt = out.length;
  out.u64(0);
  const offsets = new Map<number, number>();
  const put = (id: number, fill: (writer: ByteWriter) => void): void => {
    const content = new ByteWriter(le);
    fill(content);
    offsets.set(id, out.length);
    out.bytes(section(le, id, content.done(), compress));
  };
  put(16, (w) => writeHeaderInfo(w));
  put(18, (w) => writeEventFormats(w, parts.formats));
  put(19, (w) => sized32(w, parts.kallsyms ?? ''));
  put(21, (w) => sized64(w, parts.cmdlines ?? ''));
  const options = new ByteWriter(le);
  for (const id of [16, 18, 19, 21])
    option(options, id, new ByteWriter(le).u64(offsets.get(id) ?? 0).done());
  option(options, 5, Buffer.from(`${parts.uname ?? 'Linux box 6.18.44-test x86_64'}\0`));
  option(options, 9, Buffer.from('3.1.6 test\0'));
  option(options, 8, new ByteWriter(le).u32(parts.cpus.length).done());
  const lastOptionsPatch = options.length + 6;
  option(options, 0, new ByteWriter(le).u64(0).done());
  out.patchU64(firstOptionsAt, out.length);
  const optionsStart = out.length;
  const optionsBytes = options.done();
  out.bytes(section(le, 0, optionsBytes, false));
  const bufferAt = out.length;
  out.bytes(
    new ByteWriter(le)
      .u16(3)
      .u16(compress ? 1 : 0)
      .u32(0)
      .u64(0)
      .done(),
  );
  const cpus: { offset: number; size: number }[] = [];
  for (const pages of parts.cpus) {
    out.align(4096);
    const offset = out.length;
    if (compress) {
      out.u32(pages.length);
      for (const page of pages) {
        const packed = deflateSync(page);
        out.u32(packed.length).u32(page.length).bytes(packed);
      }
    } else for (const page of pages) out.bytes(page);
    cpus.push({ offset, size: out.length - offset });
  }
  const buffer = new ByteWriter(le)
    .u64(bufferAt)
    .cstring('')
    .cstring('local')
    .u32(4096)
    .u32(cpus.length);
  cpus.forEach((cpu, i) => buffer.u32(i).u64(cpu.offset).u64(cpu.size));
  const last = new ByteWriter(le);
  option(last, 3, buffer.done());
  option(last, 0, new ByteWriter(le).u64(0).done());
  const lastAt = out.length;
  out.bytes(section(le, 0, last.done(), false));
  // Chain the first OPTIONS section to the last one (its DONE option's data).
  out.patchU64(optionsStart + 16 + lastOptionsPatch, lastAt);
  return out.done();
}
