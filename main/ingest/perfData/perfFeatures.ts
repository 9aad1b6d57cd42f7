/**
 * The perf.data feature sections Dropscope reads (tools/perf/util/header.c): tracing data (the
 * event format files), build ids, hostname, os release, perf version, arch, CPU counts, command
 * line, event descriptions (attr ids → event names) and the clock reference (capture date).
 *
 * The same payloads arrive as PERF_RECORD_HEADER_FEATURE records in pipe mode, so each parser
 * takes the payload bytes only.
 */
import type { TraceMeta } from '../../../shared/model';
import { ByteReader, decodeCString } from '../traceDat/ByteReader';
import { readPerfEventAttr } from './PerfEventAttr';

/** Feature bits (enum of HEADER_* in header.h). */
export const FEATURE = {
  tracingData: 1,
  buildId: 2,
  hostname: 3,
  osRelease: 4,
  version: 5,
  arch: 6,
  nrCpus: 7,
  cmdline: 11,
  eventDesc: 12,
  sampleTime: 21,
  clockData: 29,
} as const;

/** What the features said, gathered over the file. */
export interface PerfFeatures {
  meta: Partial<TraceMeta>;
  /** Event name by attr id (EVENT_DESC). */
  eventNames: Map<number, string>;
  /** Build id of `[kernel.kallsyms]`, lower-case hex; null when not recorded. */
  kernelBuildId: string | null;
  /** Raw tracing data (parsed by the caller); null when absent. */
  tracingData: Uint8Array | null;
}

/** Empty features to fill. */
export function emptyPerfFeatures(): PerfFeatures {
  return { meta: {}, eventNames: new Map(), kernelBuildId: null, tracingData: null };
}

/** `struct perf_header_string`: u32 length, then that many bytes holding a NUL-padded string. */
function headerString(reader: ByteReader): string {
  const length = reader.u32('a header string length');
  return decodeCString(reader.bytesOf(length, 'a header string'));
}

/** PERF_RECORD_MISC_BUILD_ID_SIZE: the build id's size is stored after its 20 bytes. */
const MISC_BUILD_ID_SIZE = 1 << 15;

function readBuildIds(reader: ByteReader, out: PerfFeatures): void {
  while (reader.remaining >= 8) {
    const start = reader.pos;
    reader.u32();
    const misc = reader.u16();
    const size = reader.u16();
    if (size < 8 + 4 + 24 || start + size > reader.bytes.length) return;
    reader.pos = start + 12;
    const id = reader.bytesOf(24);
    const idLength = (misc & MISC_BUILD_ID_SIZE) !== 0 ? Math.min(id[20] ?? 20, 20) : 20;
    const name = decodeCString(reader.bytes.subarray(start + 36, start + size));
    if (name === '[kernel.kallsyms]' && out.kernelBuildId === null) {
      out.kernelBuildId = Buffer.from(id.subarray(0, idLength)).toString('hex');
    }
    reader.pos = start + size;
  }
}

function readEventDesc(reader: ByteReader, out: PerfFeatures): void {
  const count = reader.u32('the event count');
  const attrBytes = reader.u32('the attr size');
  for (let i = 0; i < count; i++) {
    readPerfEventAttr(reader, attrBytes);
    const ids = reader.u32('the id count');
    const name = headerString(reader);
    for (let j = 0; j < ids; j++) out.eventNames.set(reader.u64('an event id'), name);
  }
}

/**
 * Reads one feature payload into `out`. Unknown features are ignored; a malformed payload
 * throws (the caller reports it and keeps the rest).
 */
export function readPerfFeature(
  bit: number,
  payload: Uint8Array,
  littleEndian: boolean,
  out: PerfFeatures,
): void {
  const reader = new ByteReader(payload, littleEndian);
  switch (bit) {
    case FEATURE.tracingData:
      out.tracingData = payload;
      return;
    case FEATURE.buildId:
      readBuildIds(reader, out);
      return;
    case FEATURE.hostname:
      out.meta.hostname = headerString(reader);
      return;
    case FEATURE.osRelease:
      out.meta.osRelease = headerString(reader);
      return;
    case FEATURE.version:
      out.meta.perfVersion = headerString(reader);
      return;
    case FEATURE.arch:
      out.meta.arch = headerString(reader);
      return;
    case FEATURE.nrCpus: {
      const available = reader.u32();
      out.meta.nrCpus = reader.u32();
      out.meta.nrCpusAvailable = available;
      return;
    }
    case FEATURE.cmdline: {
      const count = reader.u32('the cmdline argument count');
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(headerString(reader));
      out.meta.cmdline = parts.join(' ');
      return;
    }
    case FEATURE.eventDesc:
      readEventDesc(reader, out);
      return;
    case FEATURE.clockData: {
      reader.u32('the clock data version');
      reader.u32('the clock id');
      const wallClockNs = reader.u64('the wall clock reference');
      if (wallClockNs > 0) {
        out.meta.capturedOn = new Date(wallClockNs / 1e6).toISOString();
        out.meta.capturedOnSource = 'perf.data clock data (perf record -k)';
      }
      return;
    }
    default:
      return;
  }
}
