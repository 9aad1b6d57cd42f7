/**
 * Decodes the PERF_RECORD_SAMPLE records of the skb:kfree_skb event: walks the sample fields
 * its `sample_type` selects (see PerfEventAttr.ts), then reads skbaddr, location, rx_sk,
 * protocol and reason out of the RAW tracepoint record at the offsets of the embedded format.
 * The result goes straight into an `OrderedQueue` slot.
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
 * and indexing kallsyms lazily brought that to about 0.7 s.
 */
import { readU64 } from '../traceDat/ByteReader';
import type { AddressCache } from '../traceDat/KernelSymbols';
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
    private readonly pointers: AddressCache,
    /** Strings of code addresses (location, frames): `sym+0xoff` when symbolized. */
    private readonly code: AddressCache,
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
      queue.period[slot] = this.keepPeriod ? this.period : Number.NaN;
      queue.chain[slot] = this.chainCount >= 0 ? queue.addChain(this.frames(view)) : -1;
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
    queue.period[slot] = this.keepPeriod ? this.period : Number.NaN;
    queue.chain[slot] = this.chainCount >= 0 ? queue.addChain(this.frames(view)) : -1;
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
