/**
 * Decodes the PERF_RECORD_SAMPLE records of the skb:kfree_skb event: walks the sample fields
 * its `sample_type` selects (see PerfEventAttr.ts), then reads skbaddr, location, rx_sk,
 * protocol and reason out of the RAW tracepoint record at the offsets of the embedded format.
 * The result goes straight into an `OrderedQueue` slot: one sample at a time (`decode`), or a
 * whole run of samples in the usual layout at once (`decodeRun`).
 *
 * This is the hot loop of perf.data loading: DataView reads only, address strings from caches
 * (one string per distinct address for the whole load), no object per sample except a
 * callchain's frame array.
 *
 * Motivation: on the 835,599-sample bench capture (.bench/perf-big.data, tsx on Node 20, a
 * 2-vCPU VM shared with other jobs, CPU profile) walking and decoding cost about 0.12 µs a
 * sample; the whole reader 0.35–0.5 s and the store's appends another 0.2–0.35 s, against
 * 2.3–3.0 s of CPU for `perf script`. The first version (a comparator sort per round, strings
 * in the queue, `Kallsyms.parse`) loaded the file in 1.4 s; merging runs, queueing string ids
 * and indexing kallsyms lazily brought that to about 0.7 s. On the 1,009,220-sample capture
 * that replaced it, `decodeRun`, `AddressIds`, reading ahead and filling the store in batches
 * (`StoreFiller`) bring the reader into a store, symbols and reason names aside, from 0.35 s to
 * 0.18 s (best of 8; `perf script` takes 1.9 s).
 */
import { readU64 } from '../traceDat/ByteReader';
import type { AddressIds } from './AddressIds';
import { readHigh, readSmall, type KfreeSkbLayout } from '../traceDat/KfreeSkbLayout';
import { ITEM_SAMPLE, type OrderedQueue } from './OrderedQueue';
import {
  SAMPLE_ADDR,
  SAMPLE_CALLCHAIN,
  SAMPLE_CPU,
  SAMPLE_ID,
  SAMPLE_IDENTIFIER,
  SAMPLE_IP,
  SAMPLE_PERIOD,
  SAMPLE_RAW,
  SAMPLE_READ,
  SAMPLE_STREAM_ID,
  SAMPLE_TID,
  SAMPLE_TIME,
  type SampleLayout,
} from './PerfEventAttr';

/** PERF_RECORD_SAMPLE. */
const PERF_RECORD_SAMPLE = 9;
const TWO_32 = 4294967296;
/** Callchain entries at or above this are context markers (PERF_CONTEXT_MAX = -4095). */
const CONTEXT_MARKER_LOW = 0xfffff001;
const ALL_ONES = 0xffffffff;

/** Decodes kfree_skb samples of one attr; see the file overview. */
export class KfreeSkbSampleDecoder {
  /** Why the last `decode` failed. */
  why = '';
  private readonly hasIdentifier: boolean;
  private readonly hasIp: boolean;
  private readonly hasTid: boolean;
  private readonly hasTime: boolean;
  private readonly skipAfterTime: number;
  private readonly hasCpu: boolean;
  private readonly hasPeriod: boolean;
  private readonly hasRead: boolean;
  private readonly hasCallchain: boolean;
  private readonly hasRaw: boolean;
  /** The common layout (see `decode`), with its field offsets. */
  private readonly fast: boolean;
  private readonly skbOffset: number;
  private readonly locationOffset: number;
  private readonly rxOffset: number;
  private readonly protocolOffset: number;
  private readonly reasonOffset: number;
  /**
   * Offsets from the record start when no variable-length field comes before RAW (`rawSizeAt`
   * -1 otherwise); -1 for an absent field. They let `decodeRun` read a sample in a few loads.
   */
  private readonly tidAt: number;
  private readonly timeAt: number;
  private readonly cpuAt: number;
  private readonly periodAt: number;
  private readonly rawSizeAt: number;
  /** Samples decoded by the last `decodeRun`. */
  ran = 0;
  // State of the last walk (fields before RAW).
  private tid = -1;
  private time = Number.NaN;
  private cpu = -1;
  private period = 1;
  private chain = 0;
  private chainCount = -1;
  private raw = 0;
  private rawBytes = 0;

  constructor(
    private readonly sample: SampleLayout,
    /** Null for a decoder that only measures RAW sizes (`rawBytesOf`). */
    private readonly fields: KfreeSkbLayout | null,
    private readonly littleEndian: boolean,
    /** `0x…` strings of data pointers (skbaddr, rx_sk). */
    private readonly pointers: AddressIds,
    /** Strings of code addresses (location, frames): `sym+0xoff` when symbolized. */
    private readonly code: AddressIds,
    /** Keep each sample's period in `extra` (when the attr's period is not a fixed 1). */
    private readonly keepPeriod: boolean,
  ) {
    const t = sample.sampleType;
    this.hasIdentifier = (t & SAMPLE_IDENTIFIER) !== 0;
    this.hasIp = (t & SAMPLE_IP) !== 0;
    this.hasTid = (t & SAMPLE_TID) !== 0;
    this.hasTime = (t & SAMPLE_TIME) !== 0;
    this.skipAfterTime =
      ((t & SAMPLE_ADDR) !== 0 ? 8 : 0) +
      ((t & SAMPLE_ID) !== 0 ? 8 : 0) +
      ((t & SAMPLE_STREAM_ID) !== 0 ? 8 : 0);
    this.hasCpu = (t & SAMPLE_CPU) !== 0;
    this.hasPeriod = (t & SAMPLE_PERIOD) !== 0;
    this.hasRead = (t & SAMPLE_READ) !== 0;
    this.hasCallchain = (t & SAMPLE_CALLCHAIN) !== 0;
    this.hasRaw = (t & SAMPLE_RAW) !== 0;
    const f = fields;
    this.fast =
      f !== null &&
      littleEndian &&
      f.skbaddr.size === 8 &&
      f.location.size === 8 &&
      (f.rxSk === null || f.rxSk.size === 8) &&
      f.protocol.size === 2 &&
      (f.reason === null || f.reason.size === 4);
    this.skbOffset = f?.skbaddr.offset ?? 0;
    this.locationOffset = f?.location.offset ?? 0;
    this.rxOffset = f?.rxSk?.offset ?? -1;
    this.protocolOffset = f?.protocol.offset ?? 0;
    this.reasonOffset = f?.reason?.offset ?? -1;
    let p = 8 + (this.hasIdentifier ? 8 : 0) + (this.hasIp ? 8 : 0);
    this.tidAt = this.hasTid ? p + 4 : -1;
    p += this.hasTid ? 8 : 0;
    this.timeAt = this.hasTime ? p : -1;
    p += (this.hasTime ? 8 : 0) + this.skipAfterTime;
    this.cpuAt = this.hasCpu ? p : -1;
    p += this.hasCpu ? 8 : 0;
    this.periodAt = this.hasPeriod ? p : -1;
    p += this.hasPeriod ? 8 : 0;
    if (this.hasRead) p = sample.readBytes >= 0 ? p + sample.readBytes : -1;
    this.rawSizeAt = p < 0 || this.hasCallchain || !this.hasRaw ? -1 : p;
  }

  /** Whether `decodeRun` can read this attr's samples (the usual layout, timed, no callchain). */
  get canRun(): boolean {
    return this.fast && this.hasTime && this.rawSizeAt >= 0;
  }

  /**
   * Decodes the run of consecutive samples of this attr that starts at `view[start]`, into
   * `queue`, numbering them from `firstLine + 1`; stops before `limit`, and before the first
   * record that is anything else: another type or event (its id, at `idAt` from the record
   * start, not marked in `ids`; `idAt` -1 when every sample is this attr's), incomplete, or
   * one `decode` would reject — the caller handles that one. Returns where it stopped and sets
   * `ran`. Only when `canRun`.
   *
   * Motivation: the fields sit at fixed offsets, so a sample is a dozen DataView reads with no
   * call per record: on the 1,009,220-sample bench capture, walking and decoding into the queue
   * takes 0.12 s this way and 0.19 s dispatching each record through `record` → `route` →
   * `decode` (best of 8; 0.035 s of it is reading the file).
   */
  decodeRun(
    view: DataView,
    start: number,
    limit: number,
    queue: OrderedQueue,
    firstLine: number,
    idAt: number,
    ids: Uint8Array | null,
  ): number {
    const rawSizeAt = this.rawSizeAt;
    const minRecord = rawSizeAt + 4 + (this.fields?.minBytes ?? 0);
    queue.reserve(Math.floor((limit - start) / minRecord) + 1);
    const { kind, time, tid, cpu, protocol, reason, line, skbaddr, location, rxSk } = queue;
    const { tidAt, timeAt, cpuAt, periodAt, skbOffset, locationOffset, rxOffset } = this;
    const { protocolOffset, reasonOffset, pointers, code, keepPeriod } = this;
    const minBytes = minRecord - rawSizeAt - 4;
    let p = start;
    let count = 0;
    let slot = queue.length;
    // Pointer halves are read signed (small integers for V8, see AddressIds).
    while (p + 8 <= limit) {
      if (view.getUint32(p, true) !== PERF_RECORD_SAMPLE) break;
      const size = view.getUint16(p + 6, true);
      const end = p + size;
      if (size < minRecord || end > limit) break;
      if (idAt >= 0) {
        if (view.getUint32(p + idAt + 4, true) !== 0) break;
        const id = view.getUint32(p + idAt, true);
        if (ids === null || id >= ids.length || ids[id] !== 1) break;
      }
      const rawBytes = view.getUint32(p + rawSizeAt, true);
      const raw = p + rawSizeAt + 4;
      if (rawBytes < minBytes || raw + rawBytes > end) break;
      kind[slot] = ITEM_SAMPLE;
      time[slot] = view.getUint32(p + timeAt + 4, true) * TWO_32 + view.getUint32(p + timeAt, true);
      tid[slot] = tidAt >= 0 ? view.getInt32(p + tidAt, true) : -1;
      cpu[slot] = cpuAt >= 0 ? view.getUint32(p + cpuAt, true) : -1;
      line[slot] = firstLine + ++count;
      skbaddr[slot] = pointers.id(
        view.getInt32(raw + skbOffset + 4, true),
        view.getInt32(raw + skbOffset, true),
      );
      location[slot] = code.id(
        view.getInt32(raw + locationOffset + 4, true),
        view.getInt32(raw + locationOffset, true),
      );
      let rxId = -1;
      if (rxOffset >= 0) {
        const high = view.getInt32(raw + rxOffset + 4, true);
        const low = view.getInt32(raw + rxOffset, true);
        if (high !== 0 || low !== 0) rxId = pointers.id(high, low);
      }
      rxSk[slot] = rxId;
      protocol[slot] = view.getUint16(raw + protocolOffset, true);
      reason[slot] = reasonOffset >= 0 ? view.getUint32(raw + reasonOffset, true) : -1;
      queue.setPeriod(
        slot,
        !keepPeriod
          ? Number.NaN
          : periodAt >= 0
            ? view.getUint32(p + periodAt + 4, true) * TWO_32 + view.getUint32(p + periodAt, true)
            : 1,
      );
      queue.setChain(slot, -1);
      slot++;
      p = end;
    }
    queue.pushed(count);
    this.ran = count;
    return p;
  }

  /** Whether samples of this attr carry a time (else they cannot be ordered). */
  get timed(): boolean {
    return this.hasTime;
  }

  /**
   * The RAW size of the sample at `view[pos, pos + size)`, walking the fields before it; -1 when
   * the record is too short. Used to guess the layout of a trace whose format was lost.
   */
  rawBytesOf(view: DataView, pos: number, size: number): number {
    return this.walk(view, pos, size) ? this.rawBytes : -1;
  }

  /**
   * Decodes the sample at `view[pos, pos + size)` into a new slot of `queue`, with `line` as its
   * record number. Returns false (and sets `why`) when the record is too short for its fields.
   */
  decode(view: DataView, pos: number, size: number, queue: OrderedQueue, line: number): boolean {
    if (!this.walk(view, pos, size)) return false;
    const f = this.fields;
    if (f === null) return this.fail('no kfree_skb layout');
    const rawBytes = this.rawBytes;
    if (rawBytes < f.minBytes) {
      return this.fail(
        `RAW data of ${rawBytes} bytes is shorter than the ${f.minBytes}-byte kfree_skb record`,
      );
    }
    const le = this.littleEndian;
    const raw = this.raw;
    const slot = queue.push(ITEM_SAMPLE, this.time);
    queue.tid[slot] = this.tid;
    queue.cpu[slot] = this.cpu;
    queue.line[slot] = line;
    if (this.fast) {
      // Little-endian 64-bit pointers, u16 protocol, u32 reason: the usual x86-64/arm64 layout.
      queue.skbaddr[slot] = this.pointers.id(
        view.getUint32(raw + this.skbOffset + 4, true),
        view.getUint32(raw + this.skbOffset, true),
      );
      queue.location[slot] = this.code.id(
        view.getUint32(raw + this.locationOffset + 4, true),
        view.getUint32(raw + this.locationOffset, true),
      );
      let rxId = -1;
      if (this.rxOffset >= 0) {
        const high = view.getUint32(raw + this.rxOffset + 4, true);
        const low = view.getUint32(raw + this.rxOffset, true);
        if (high !== 0 || low !== 0) rxId = this.pointers.id(high, low);
      }
      queue.rxSk[slot] = rxId;
      queue.protocol[slot] = view.getUint16(raw + this.protocolOffset, true);
      queue.reason[slot] =
        this.reasonOffset >= 0 ? view.getUint32(raw + this.reasonOffset, true) : -1;
      queue.setPeriod(slot, this.keepPeriod ? this.period : Number.NaN);
      queue.setChain(slot, this.chainCount >= 0 ? queue.addChain(this.frames(view)) : -1);
      return true;
    }
    queue.skbaddr[slot] = this.pointers.id(
      readHigh(view, raw + f.skbaddr.offset, f.skbaddr.size, le),
      readSmall(view, raw + f.skbaddr.offset, f.skbaddr.size, le),
    );
    queue.location[slot] = this.code.id(
      readHigh(view, raw + f.location.offset, f.location.size, le),
      readSmall(view, raw + f.location.offset, f.location.size, le),
    );
    const rx = f.rxSk;
    let rxId = -1;
    if (rx !== null) {
      const high = readHigh(view, raw + rx.offset, rx.size, le);
      const low = readSmall(view, raw + rx.offset, rx.size, le);
      if (high !== 0 || low !== 0) rxId = this.pointers.id(high, low);
    }
    queue.rxSk[slot] = rxId;
    queue.protocol[slot] = readSmall(view, raw + f.protocol.offset, f.protocol.size, le);
    queue.reason[slot] =
      f.reason === null ? -1 : readSmall(view, raw + f.reason.offset, f.reason.size, le);
    queue.setPeriod(slot, this.keepPeriod ? this.period : Number.NaN);
    queue.setChain(slot, this.chainCount >= 0 ? queue.addChain(this.frames(view)) : -1);
    return true;
  }

  /** The callchain of the last walk, context markers left out. */
  private frames(view: DataView): string[] {
    const le = this.littleEndian;
    const frames: string[] = [];
    for (let i = 0, p = this.chain; i < this.chainCount; i++, p += 8) {
      const first = view.getUint32(p, le);
      const second = view.getUint32(p + 4, le);
      const high = le ? second : first;
      const low = le ? first : second;
      if (high === ALL_ONES && low >= CONTEXT_MARKER_LOW) continue;
      frames.push(this.code.get(high, low));
    }
    return frames;
  }

  /** Reads the fields before RAW into the walk state; false (with `why`) when out of bounds. */
  private walk(view: DataView, pos: number, size: number): boolean {
    const le = this.littleEndian;
    const end = pos + size;
    let p = pos + 8;
    if (this.hasIdentifier) p += 8;
    if (this.hasIp) p += 8;
    this.tid = -1;
    if (this.hasTid) {
      this.tid = view.getInt32(p + 4, le);
      p += 8;
    }
    this.time = Number.NaN;
    if (this.hasTime) {
      this.time = readU64(view, p, le);
      p += 8;
    }
    p += this.skipAfterTime;
    this.cpu = -1;
    if (this.hasCpu) {
      this.cpu = view.getUint32(p, le);
      p += 8;
    }
    this.period = 1;
    if (this.hasPeriod) {
      this.period = readU64(view, p, le);
      p += 8;
    }
    if (this.hasRead) {
      if (this.sample.readBytes >= 0) p += this.sample.readBytes;
      else {
        if (p + 8 > end) return this.fail('the READ values run past the record');
        p += this.sample.groupHeadBytes + readU64(view, p, le) * this.sample.groupEntryBytes;
      }
    }
    this.chainCount = -1;
    if (this.hasCallchain) {
      if (p + 8 > end) return this.fail('the callchain runs past the record');
      const count = readU64(view, p, le);
      p += 8;
      if (p + count * 8 > end)
        return this.fail(`the callchain of ${count} entries runs past the record`);
      this.chain = p;
      this.chainCount = count;
      p += count * 8;
    }
    if (!this.hasRaw) return this.fail('the sample has no RAW tracepoint data');
    if (p + 4 > end) return this.fail('the RAW data runs past the record');
    this.rawBytes = view.getUint32(p, le);
    this.raw = p + 4;
    if (this.raw + this.rawBytes > end)
      return this.fail(`the RAW data of ${this.rawBytes} bytes runs past the record`);
    return true;
  }

  private fail(why: string): false {
    this.why = why;
    return false;
  }
}
