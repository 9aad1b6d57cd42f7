/**
 * `struct perf_event_attr` (include/uapi/linux/perf_event.h) as far as reading samples needs it,
 * and the positions of the fields a sample carries for a given `sample_type`.
 *
 * A PERF_RECORD_SAMPLE holds, in this order and each only when its bit is set:
 * IDENTIFIER, IP, TID (pid, tid), TIME, ADDR, ID, STREAM_ID, CPU (cpu, res), PERIOD, READ,
 * CALLCHAIN (nr, ips[nr]), RAW (u32 size, data) … Other records carry, with `sample_id_all`, a
 * trailer: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER.
 */
import type { ByteReader } from '../traceDat/ByteReader';

/** `sample_type` bits (all below 2^32). */
export const SAMPLE_IP = 1 << 0;
export const SAMPLE_TID = 1 << 1;
export const SAMPLE_TIME = 1 << 2;
export const SAMPLE_ADDR = 1 << 3;
export const SAMPLE_READ = 1 << 4;
export const SAMPLE_CALLCHAIN = 1 << 5;
export const SAMPLE_ID = 1 << 6;
export const SAMPLE_CPU = 1 << 7;
export const SAMPLE_PERIOD = 1 << 8;
export const SAMPLE_STREAM_ID = 1 << 9;
export const SAMPLE_RAW = 1 << 10;
export const SAMPLE_IDENTIFIER = 1 << 16;

/** `read_format` bits. */
const FORMAT_TOTAL_TIME_ENABLED = 1 << 0;
const FORMAT_TOTAL_TIME_RUNNING = 1 << 1;
const FORMAT_ID = 1 << 2;
const FORMAT_GROUP = 1 << 3;
const FORMAT_LOST = 1 << 4;

/** `perf_event_attr.type` of a tracepoint event. */
export const PERF_TYPE_TRACEPOINT = 2;

/** The attr fields Dropscope uses. */
export interface PerfEventAttr {
  type: number;
  /** Tracepoint id for tracepoint events (low 32 bits of `config`). */
  config: number;
  /** `sample_period`, or the frequency when `freq` is set. */
  samplePeriod: number;
  sampleType: number;
  readFormat: number;
  freq: boolean;
  sampleIdAll: boolean;
}

/** Byte offset of the flags bitfield word in perf_event_attr. */
const FLAGS_OFFSET = 40;
const FLAG_FREQ = 10;
const FLAG_SAMPLE_ID_ALL = 18;

/**
 * Reads a perf_event_attr at the reader's position (which advances by `attr.size`, or by
 * `sizeOverride` when the container states the size). The flags word is a C bitfield: in a
 * big-endian file bit n of the little-endian layout is bit 63-n.
 */
export function readPerfEventAttr(
  reader: ByteReader,
  sizeOverride: number | null = null,
): PerfEventAttr {
  const start = reader.pos;
  reader.need(FLAGS_OFFSET + 8, 'a perf_event_attr');
  const type = reader.u32();
  const declared = reader.u32();
  const size = sizeOverride ?? declared;
  if (size < FLAGS_OFFSET + 8) throw new Error(`perf_event_attr of ${size} bytes is too small`);
  const configLow = reader.view.getUint32(
    start + (reader.littleEndian ? 8 : 12),
    reader.littleEndian,
  );
  reader.pos = start + 16;
  const samplePeriod = reader.u64();
  const sampleType = reader.u64();
  const readFormat = reader.u64();
  // Little-endian: bit n of the low word. Big-endian: the first word is the high one, and
  // the bitfield is allocated from its top, so bit n is bit 31-n of that word.
  const word = reader.view.getUint32(start + FLAGS_OFFSET, reader.littleEndian);
  const flagBit = (n: number): boolean =>
    ((reader.littleEndian ? word >>> n : word >>> (31 - n)) & 1) === 1;
  const attr: PerfEventAttr = {
    type,
    config: configLow,
    samplePeriod,
    sampleType,
    readFormat,
    freq: flagBit(FLAG_FREQ),
    sampleIdAll: flagBit(FLAG_SAMPLE_ID_ALL),
  };
  reader.pos = start;
  reader.skip(size, 'a perf_event_attr');
  return attr;
}

const has = (value: number, bit: number): boolean => (value & bit) !== 0;

/** Precomputed positions of sample fields for one `sample_type` / `read_format`. */
export interface SampleLayout {
  readonly sampleType: number;
  /** Bytes of READ values when fixed (no PERF_FORMAT_GROUP); -1 when grouped. */
  readonly readBytes: number;
  /** With PERF_FORMAT_GROUP: bytes before the entries, and per entry. */
  readonly groupHeadBytes: number;
  readonly groupEntryBytes: number;
  /** Index (in u64 words after the record header) of the sample's id; -1 when it has none. */
  readonly idWord: number;
  /** Index, counted from the record end in u64 words, of a non-sample record's id; -1 when none. */
  readonly trailerIdWordFromEnd: number;
  /** Same for the trailer's time; -1 when the trailer has no time. */
  readonly trailerTimeWordFromEnd: number;
}

/** Computes the `SampleLayout` of an attr. */
export function sampleLayout(attr: PerfEventAttr): SampleLayout {
  const t = attr.sampleType;
  const r = attr.readFormat;
  const timesBytes =
    (has(r, FORMAT_TOTAL_TIME_ENABLED) ? 8 : 0) + (has(r, FORMAT_TOTAL_TIME_RUNNING) ? 8 : 0);
  const perValue = 8 + (has(r, FORMAT_ID) ? 8 : 0) + (has(r, FORMAT_LOST) ? 8 : 0);
  let idWord = -1;
  if (has(t, SAMPLE_IDENTIFIER)) idWord = 0;
  else if (has(t, SAMPLE_ID)) {
    idWord = [SAMPLE_IP, SAMPLE_TID, SAMPLE_TIME, SAMPLE_ADDR].filter((bit) => has(t, bit)).length;
  }
  let trailerIdWordFromEnd = -1;
  if (has(t, SAMPLE_IDENTIFIER)) trailerIdWordFromEnd = 1;
  else if (has(t, SAMPLE_ID))
    trailerIdWordFromEnd = 1 + (has(t, SAMPLE_CPU) ? 1 : 0) + (has(t, SAMPLE_STREAM_ID) ? 1 : 0);
  let trailerTimeWordFromEnd = -1;
  if (has(t, SAMPLE_TIME)) {
    trailerTimeWordFromEnd =
      1 +
      [SAMPLE_ID, SAMPLE_STREAM_ID, SAMPLE_CPU, SAMPLE_IDENTIFIER].filter((bit) => has(t, bit))
        .length;
  }
  return {
    sampleType: t,
    readBytes: has(r, FORMAT_GROUP) ? -1 : timesBytes + perValue,
    groupHeadBytes: 8 + timesBytes,
    groupEntryBytes: perValue,
    idWord,
    trailerIdWordFromEnd,
    trailerTimeWordFromEnd,
  };
}

/** Bytes of the `sample_id_all` trailer a non-sample record carries. */
export function trailerBytes(attr: PerfEventAttr): number {
  if (!attr.sampleIdAll) return 0;
  const t = attr.sampleType;
  return (
    [SAMPLE_TID, SAMPLE_TIME, SAMPLE_ID, SAMPLE_STREAM_ID, SAMPLE_CPU, SAMPLE_IDENTIFIER].filter(
      (bit) => has(t, bit),
    ).length * 8
  );
}
