/**
 * trace.dat options (trace-cmd Documentation/trace-cmd/trace-cmd.dat.v7.5.txt): `u16 id, u32
 * size, data` entries. Version 6 has one options block in its header (ended by id 0); version 7
 * keeps them in OPTIONS sections chained by the DONE option, and also uses them to point at
 * every other section (header info, event formats, kallsyms, cmdlines) and at the per-CPU data
 * of each buffer instance.
 */
import { ByteReader, decodeCString } from './ByteReader';

/** Option ids. */
export const OPTION = {
  done: 0,
  date: 1,
  cpuStat: 2,
  buffer: 3,
  traceClock: 4,
  uname: 5,
  offset: 7,
  cpuCount: 8,
  version: 9,
  tsc2nsec: 14,
  headerInfo: 16,
  ftraceEvents: 17,
  eventFormats: 18,
  kallsyms: 19,
  printk: 20,
  cmdlines: 21,
  bufferText: 22,
} as const;

/** One CPU's ring-buffer data in the file. */
export interface CpuDataRange {
  cpu: number;
  offset: number;
  size: number;
}

/** A buffer instance (the top one is named ""). */
export interface BufferInstance {
  name: string;
  /** Offset of its BUFFER section (version 7; its header says whether the data is compressed). */
  sectionOffset: number;
  clock: string | null;
  pageSize: number | null;
  cpus: CpuDataRange[];
  /** A latency (text) buffer rather than ring-buffer pages. */
  latency: boolean;
}

/** What the options said. */
export interface TraceDatOptions {
  /** Version 7 section offsets by section id (16 header info … 21 cmdlines). */
  sections: Map<number, number>;
  buffers: BufferInstance[];
  uname: string | null;
  traceCmdVersion: string | null;
  cpuCount: number | null;
  /** Selected clock of the TRACECLOCK option (`[local] global …` → `local`). */
  traceClock: string | null;
  /** Nanoseconds added to every timestamp (DATE and OFFSET options). */
  timeOffsetNs: number;
  tsc2nsec: { mult: number; shift: number; offset: bigint } | null;
  /** Offset of the next OPTIONS section (version 7 DONE option); 0 when none. */
  nextOptions: number;
}

/** Options with nothing set. */
export function emptyOptions(): TraceDatOptions {
  return {
    sections: new Map(),
    buffers: [],
    uname: null,
    traceCmdVersion: null,
    cpuCount: null,
    traceClock: null,
    timeOffsetNs: 0,
    tsc2nsec: null,
    nextOptions: 0,
  };
}

/** `0x1f` / decimal, as trace-cmd's strtoll(…, 0) reads DATE and OFFSET. */
function parseInteger(text: string): number {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1) : trimmed;
  const value = /^0x/i.test(body) ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body, 10);
  if (!Number.isFinite(value)) return 0;
  return negative ? -value : value;
}

function readBuffer(
  data: Uint8Array,
  littleEndian: boolean,
  version: number,
  latency: boolean,
): BufferInstance {
  const reader = new ByteReader(data, littleEndian);
  const sectionOffset = reader.u64('the buffer offset');
  const name = reader.cstring('the buffer name');
  const buffer: BufferInstance = {
    name,
    sectionOffset,
    clock: null,
    pageSize: null,
    cpus: [],
    latency,
  };
  if (version < 7) return buffer;
  buffer.clock = reader.cstring('the buffer clock');
  if (latency) return buffer;
  // trace-cmd 3.x stores the sub-buffer (page) size before the CPU count; older 7-format
  // writers do not. The remaining length tells which.
  const rest = reader.remaining;
  if (rest >= 8) {
    const withPageSize = reader.view.getUint32(reader.pos + 4, littleEndian);
    if (8 + withPageSize * 20 === rest) buffer.pageSize = reader.u32('the buffer page size');
  }
  const count = reader.u32('the buffer CPU count');
  for (let i = 0; i < count; i++) {
    buffer.cpus.push({
      cpu: reader.u32('a CPU id'),
      offset: reader.u64('a CPU data offset'),
      size: reader.u64('a CPU data size'),
    });
  }
  return buffer;
}

/**
 * Reads option entries from `data` into `out`. Version 6 stops at id 0; version 7 reads the
 * DONE option's next-section offset. Unknown options are skipped.
 */
export function readOptions(
  data: Uint8Array,
  littleEndian: boolean,
  version: number,
  out: TraceDatOptions,
): number {
  const reader = new ByteReader(data, littleEndian);
  out.nextOptions = 0;
  while (reader.remaining >= 2) {
    const id = reader.u16('an option id');
    if (id === OPTION.done && version < 7) break;
    const size = reader.u32(`the size of option ${id}`);
    const body = reader.bytesOf(size, `option ${id}`);
    const text = (): string => decodeCString(body);
    const number = (): number => new ByteReader(body, littleEndian).u64(`option ${id}`);
    switch (id) {
      case OPTION.done:
        out.nextOptions = size >= 8 ? number() : 0;
        return reader.pos;
      case OPTION.date:
        // Microseconds between the trace clock and the time of day, as hex text.
        out.timeOffsetNs += parseInteger(text()) * 1000;
        break;
      case OPTION.offset:
        out.timeOffsetNs += parseInteger(text());
        break;
      case OPTION.buffer:
      case OPTION.bufferText:
        out.buffers.push(readBuffer(body, littleEndian, version, id === OPTION.bufferText));
        break;
      case OPTION.traceClock: {
        const selected = /\[([^\]]+)\]/.exec(text());
        out.traceClock = selected?.[1] ?? null;
        break;
      }
      case OPTION.uname:
        out.uname = text();
        break;
      case OPTION.version:
        out.traceCmdVersion = text();
        break;
      case OPTION.cpuCount:
        if (size >= 4) out.cpuCount = new ByteReader(body, littleEndian).u32();
        break;
      case OPTION.tsc2nsec:
        if (size >= 16) {
          const r = new ByteReader(body, littleEndian);
          out.tsc2nsec = { mult: r.u32(), shift: r.u32(), offset: r.u64n() };
        }
        break;
      case OPTION.headerInfo:
      case OPTION.ftraceEvents:
      case OPTION.eventFormats:
      case OPTION.kallsyms:
      case OPTION.printk:
      case OPTION.cmdlines:
        if (size >= 8) out.sections.set(id, number());
        break;
      default:
        break;
    }
  }
  return reader.pos;
}

/** `uname` option text (`Linux vm 6.18.44-fc-v595 x86_64`) → hostname, release, arch. */
export function parseUname(uname: string): {
  hostname?: string;
  osRelease?: string;
  arch?: string;
} {
  const parts = uname.trim().split(/\s+/);
  if (parts.length < 3) return {};
  return {
    ...(parts[1] ? { hostname: parts[1] } : {}),
    ...(parts[2] ? { osRelease: parts[2] } : {}),
    ...(parts.length >= 4 && parts[parts.length - 1] ? { arch: parts[parts.length - 1] } : {}),
  };
}
