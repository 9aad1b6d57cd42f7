/**
 * Builders of tiny perf.data files for the unit tests: perf_event_attr, records (SAMPLE, COMM,
 * FORK, LOST, FINISHED_ROUND) with their sample_id_all trailers, feature sections, and whole
 * files in regular or pipe mode, in either byte order.
 */
import { ByteWriter, tracingData, type TracingDataParts } from '../traceDat/traceDatBuilder';

export const SAMPLE = {
  IP: 1 << 0,
  TID: 1 << 1,
  TIME: 1 << 2,
  ID: 1 << 6,
  CPU: 1 << 7,
  PERIOD: 1 << 8,
  CALLCHAIN: 1 << 5,
  RAW: 1 << 10,
  IDENTIFIER: 1 << 16,
} as const;

/** The sample_type perf record uses for `-e skb:kfree_skb -a`. */
export const KFREE_SAMPLE_TYPE =
  SAMPLE.IP |
  SAMPLE.TID |
  SAMPLE.TIME |
  SAMPLE.CPU |
  SAMPLE.PERIOD |
  SAMPLE.RAW |
  SAMPLE.IDENTIFIER;
export const DUMMY_SAMPLE_TYPE =
  SAMPLE.IP | SAMPLE.TID | SAMPLE.TIME | SAMPLE.CPU | SAMPLE.IDENTIFIER;

export interface AttrSpec {
  type: number;
  config: number;
  sampleType: number;
  samplePeriod?: number;
  freq?: boolean;
  ids: number[];
  name: string;
}

const ATTR_BYTES = 128;

/** A perf_event_attr of 128 bytes; the flags bitfield is laid out as the writer's ABI does. */
export function perfAttr(le: boolean, spec: AttrSpec): Uint8Array {
  const bits = [spec.freq ? 10 : -1, 18 /* sample_id_all */].filter((bit) => bit >= 0);
  let flags = 0n;
  for (const bit of bits) flags |= 1n << BigInt(le ? bit : 63 - bit);
  const writer = new ByteWriter(le)
    .u32(spec.type)
    .u32(ATTR_BYTES)
    .u64(spec.config)
    .u64(spec.samplePeriod ?? 1)
    .u64(spec.sampleType)
    .u64(0x14) // read_format ID|LOST
    .u64(flags);
  while (writer.length < ATTR_BYTES) writer.u8(0);
  return writer.done();
}

/** A record: perf_event_header + body. */
export function record(le: boolean, type: number, body: Uint8Array, misc = 0): Uint8Array {
  return new ByteWriter(le)
    .u32(type)
    .u16(misc)
    .u16(8 + body.length)
    .bytes(body)
    .done();
}

export interface SampleFields {
  id: number;
  pid: number;
  tid: number;
  time: number;
  cpu: number;
  period?: number;
  callchain?: bigint[];
  raw: Uint8Array;
}

/** A PERF_RECORD_SAMPLE with the fields of `sampleType`. */
export function sample(le: boolean, sampleType: number, f: SampleFields): Uint8Array {
  const w = new ByteWriter(le);
  if (sampleType & SAMPLE.IDENTIFIER) w.u64(f.id);
  if (sampleType & SAMPLE.IP) w.u64(0xffffffff81e42650n);
  if (sampleType & SAMPLE.TID) w.u32(f.pid).u32(f.tid);
  if (sampleType & SAMPLE.TIME) w.u64(f.time);
  if (sampleType & SAMPLE.ID) w.u64(f.id);
  if (sampleType & SAMPLE.CPU) w.u32(f.cpu).u32(0);
  if (sampleType & SAMPLE.PERIOD) w.u64(f.period ?? 1);
  if (sampleType & SAMPLE.CALLCHAIN) {
    const chain = f.callchain ?? [];
    w.u64(chain.length);
    for (const ip of chain) w.u64(ip);
  }
  if (sampleType & SAMPLE.RAW) {
    let size = f.raw.length;
    while ((size + 4) % 8 !== 0) size++;
    w.u32(size).bytes(f.raw);
    for (let i = f.raw.length; i < size; i++) w.u8(0);
  }
  return record(le, 9, w.done());
}

/** The sample_id_all trailer of the sample types above (TID, TIME, CPU, IDENTIFIER). */
function trailer(
  w: ByteWriter,
  t: { pid: number; tid: number; time: number; cpu: number; id: number },
): void {
  w.u32(t.pid).u32(t.tid).u64(t.time).u32(t.cpu).u32(0).u64(t.id);
}

export function comm(
  le: boolean,
  pid: number,
  tid: number,
  name: string,
  time: number,
  id: number,
): Uint8Array {
  const w = new ByteWriter(le).u32(pid).u32(tid).cstring(name).align(8);
  trailer(w, { pid, tid, time, cpu: 0, id });
  return record(le, 3, w.done(), 1 << 13);
}

export function fork(
  le: boolean,
  tid: number,
  parentTid: number,
  time: number,
  id: number,
): Uint8Array {
  const w = new ByteWriter(le).u32(tid).u32(parentTid).u32(tid).u32(parentTid).u64(time);
  trailer(w, { pid: tid, tid, time, cpu: 0, id });
  return record(le, 7, w.done());
}

export function lost(le: boolean, id: number, count: number, time: number): Uint8Array {
  const w = new ByteWriter(le).u64(id).u64(count);
  trailer(w, { pid: -1, tid: -1, time, cpu: 0, id });
  return record(le, 2, w.done());
}

export function finishedRound(le: boolean): Uint8Array {
  return record(le, 68, new Uint8Array(0));
}

/** `struct perf_header_string`: u32 length, the string NUL-padded to 64 bytes. */
export function headerString(w: ByteWriter, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const length = Math.ceil((bytes.length + 1) / 64) * 64;
  w.u32(length).bytes(bytes);
  for (let i = bytes.length; i < length; i++) w.u8(0);
}

/** Feature payloads of a file recorded on `release`. */
export function standardFeatures(
  le: boolean,
  attrs: AttrSpec[],
  release: string,
  tracing: TracingDataParts,
): Map<number, Uint8Array> {
  const text = (value: string): Uint8Array => {
    const w = new ByteWriter(le);
    headerString(w, value);
    return w.done();
  };
  const features = new Map<number, Uint8Array>();
  features.set(1, tracingData(le, tracing).done());
  const build = new ByteWriter(le)
    .u32(0)
    .u16(1 | (1 << 15))
    .u16(0);
  build
    .i32(-1)
    .bytes(Buffer.from('e4f18d9dc1d0e6fc2b17e93e885a647b3c0a6fc1', 'hex'))
    .u8(20)
    .u8(0)
    .u16(0);
  build.cstring('[kernel.kallsyms]').align(8);
  const buildBytes = build.done();
  new DataView(buildBytes.buffer).setUint16(6, buildBytes.length, le);
  features.set(2, buildBytes);
  features.set(3, text('testhost'));
  features.set(4, text(release));
  features.set(5, text('6.1.192'));
  features.set(6, text('x86_64'));
  features.set(7, new ByteWriter(le).u32(4).u32(2).done());
  const cmdline = new ByteWriter(le).u32(3);
  for (const part of ['/usr/bin/perf', 'record', '-a']) headerString(cmdline, part);
  features.set(11, cmdline.done());
  const desc = new ByteWriter(le).u32(attrs.length).u32(ATTR_BYTES);
  for (const attr of attrs) {
    desc.bytes(perfAttr(le, attr)).u32(attr.ids.length);
    headerString(desc, attr.name);
    for (const id of attr.ids) desc.u64(id);
  }
  features.set(12, desc.done());
  return features;
}

/** A regular perf.data: header, attrs, ids, data section, feature index and payloads. */
export function perfFile(
  le: boolean,
  attrs: AttrSpec[],
  records: Uint8Array[],
  features: Map<number, Uint8Array>,
): Uint8Array {
  const w = new ByteWriter(le);
  w.bytes(Buffer.from(le ? 'PERFILE2' : '2ELIFREP', 'latin1'))
    .u64(104)
    .u64(ATTR_BYTES + 16);
  const sections = w.length;
  for (let i = 0; i < 3; i++) w.u64(0).u64(0);
  let bitmap = 0n;
  for (const bit of features.keys()) bitmap |= 1n << BigInt(bit);
  w.u64(bitmap).u64(0).u64(0).u64(0);
  const idsAt: number[] = [];
  for (const attr of attrs) {
    idsAt.push(w.length);
    for (const id of attr.ids) w.u64(id);
  }
  const attrsAt = w.length;
  attrs.forEach((attr, i) =>
    w
      .bytes(perfAttr(le, attr))
      .u64(idsAt[i] ?? 0)
      .u64(attr.ids.length * 8),
  );
  const dataAt = w.length;
  for (const r of records) w.bytes(r);
  const dataEnd = w.length;
  w.patchU64(sections, attrsAt).patchU64(sections + 8, dataAt - attrsAt);
  w.patchU64(sections + 16, dataAt).patchU64(sections + 24, dataEnd - dataAt);
  const bits = [...features.keys()].sort((a, b) => a - b);
  const index = w.length;
  for (let i = 0; i < bits.length; i++) w.u64(0).u64(0);
  bits.forEach((bit, i) => {
    const payload = features.get(bit) ?? new Uint8Array(0);
    w.patchU64(index + i * 16, w.length).patchU64(index + i * 16 + 8, payload.length);
    w.bytes(payload);
  });
  return w.done();
}

/** A pipe-mode perf.data: 16-byte header, then HEADER_ATTR, features and tracing data as records. */
export function perfPipe(
  le: boolean,
  attrs: AttrSpec[],
  records: Uint8Array[],
  features: Map<number, Uint8Array>,
): Uint8Array {
  const w = new ByteWriter(le);
  w.bytes(Buffer.from(le ? 'PERFILE2' : '2ELIFREP', 'latin1')).u64(16);
  for (const attr of attrs) {
    const body = new ByteWriter(le).bytes(perfAttr(le, attr));
    for (const id of attr.ids) body.u64(id);
    w.bytes(record(le, 64, body.done()));
  }
  for (const [bit, payload] of features) {
    if (bit === 1) continue;
    const body = new ByteWriter(le).u64(bit).bytes(payload).align(8);
    w.bytes(record(le, 80, body.done()));
  }
  const tracing = features.get(1);
  if (tracing) {
    let size = tracing.length;
    while (size % 8 !== 0) size++;
    w.bytes(record(le, 66, new ByteWriter(le).u32(size).u32(0).done()));
    w.bytes(tracing);
    for (let i = tracing.length; i < size; i++) w.u8(0);
  }
  for (const r of records) w.bytes(r);
  return w.done();
}
