/**
 * Everything of a trace.dat before its ring-buffer pages: the initial header, then
 *
 *   version 6: tracing data laid out in sequence (TracingData.ts), u32 CPU count, an optional
 *   `options  ` block, then `flyrecord` and one {offset, size} per CPU;
 *   version 7: a compression header (`zstd\0 1.5.4\0`), the offset of the first OPTIONS
 *   section, and sections (16-byte header: u16 id, u16 flags, u32 description, u64 size;
 *   flag 1 = compressed as u32 compressed size, u32 size, data) that the options point at.
 *
 * The result says where each CPU's data lies and whether it is compressed (version 7 stores it
 * as chunks of compressed pages).
 */
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { BinaryFile } from './BinaryFile';
import { FileCursor } from './BinaryFile';
import { ByteReader, TruncatedError } from './ByteReader';
import {
  emptyOptions,
  OPTION,
  readOptions,
  type BufferInstance,
  type CpuDataRange,
  type TraceDatOptions,
} from './traceDatOptions';
import {
  MemorySource,
  emptyTracingData,
  hasCmdlines,
  readCmdlines,
  readEventSystems,
  readFtraceFormats,
  readHeaderFiles,
  readKallsyms,
  readPrintk,
  readTracingHeader,
  type FieldSource,
  type TracingData,
} from './TracingData';

/** The parts of a trace.dat needed to read its events. */
export interface TraceDatLayout {
  version: number;
  littleEndian: boolean;
  pageSize: number;
  /** `zstd 1.5.4`, `zlib 1.3`; null when uncompressed. */
  compression: string | null;
  tracing: TracingData;
  options: TraceDatOptions;
  /** The top instance's CPU data. */
  cpus: CpuDataRange[];
  /** Whether `cpus` point at chunks of compressed pages. */
  cpuDataCompressed: boolean;
  /** Clock of the top instance. */
  clock: string | null;
  /** Named instances that hold data (not read). */
  otherInstances: string[];
  /** A latency trace: text, not ring-buffer pages. */
  latency: boolean;
  /** Parts that could not be read (the rest still loads). */
  problems: string[];
}

/** Decompresses one block with the file's algorithm. */
export type Inflate = (data: Uint8Array, size: number) => Uint8Array;

/** The decompressor of a compression name, or null when it is not supported. */
export function inflaterFor(name: string): Inflate | null {
  if (name === 'zstd') return (data) => zstdDecompress(data);
  if (name === 'zlib')
    return (data, size) =>
      new Uint8Array(inflateSync(data, { maxOutputLength: Math.max(size, 1) }));
  return null;
}

/** Largest section accepted, compressed or not (a corrupt size would allocate gigabytes). */
const MAX_SECTION_BYTES = 512 << 20;

/** Reads a version 7 section (decompressing it when flagged); returns its id and content. */
async function readSection(
  file: BinaryFile,
  offset: number,
  littleEndian: boolean,
  inflate: Inflate | null,
): Promise<{ id: number; content: Uint8Array; end: number }> {
  const head = await file.read(offset, 16);
  if (head.length < 16) throw new TruncatedError(`the section header at byte ${offset}`, offset);
  const reader = new ByteReader(head, littleEndian);
  const id = reader.u16();
  const flags = reader.u16();
  reader.u32();
  const size = reader.u64();
  if (size > MAX_SECTION_BYTES)
    throw new Error(`section ${id} at byte ${offset} claims ${size} bytes`);
  const body = await file.read(offset + 16, size);
  if (body.length < size) throw new TruncatedError(`section ${id} at byte ${offset}`, offset);
  const end = offset + 16 + size;
  if ((flags & 1) === 0) return { id, content: body, end };
  if (!inflate) throw new Error(`section ${id} is compressed with an unsupported algorithm`);
  const sizes = new ByteReader(body, littleEndian);
  const compressed = sizes.u32();
  const plain = sizes.u32();
  return { id, content: inflate(body.subarray(8, 8 + compressed), plain), end };
}

async function readV6(cursor: FileCursor, layout: TraceDatLayout): Promise<void> {
  const source: FieldSource = cursor;
  const { tracing } = layout;
  await readHeaderFiles(source, tracing);
  await readFtraceFormats(source, tracing);
  await readEventSystems(source, tracing);
  await readKallsyms(source, tracing);
  await readPrintk(source);
  if (hasCmdlines(tracing.version)) await readCmdlines(source, tracing);
  const cpuCount = await cursor.u32('the CPU count');
  let label = await cursor.cstring('the data kind label', 16);
  if (label.startsWith('options')) {
    // The options block has no overall size: parse what a generous window holds.
    const start = cursor.pos;
    const consumed = readOptions(
      await cursor.peek(1 << 20),
      layout.littleEndian,
      6,
      layout.options,
    );
    cursor.pos = start + consumed;
    label = await cursor.cstring('the data kind label', 16);
  }
  if (label.startsWith('latency')) {
    layout.latency = true;
    return;
  }
  if (!label.startsWith('flyrecord')) throw new Error(`unknown data kind "${label.slice(0, 12)}"`);
  for (let cpu = 0; cpu < cpuCount; cpu++) {
    layout.cpus.push({
      cpu,
      offset: await cursor.u64(`the data offset of CPU ${cpu}`),
      size: await cursor.u64(`the data size of CPU ${cpu}`),
    });
  }
  layout.options.cpuCount ??= cpuCount;
}

async function readV7(file: BinaryFile, cursor: FileCursor, layout: TraceDatLayout): Promise<void> {
  const name = await cursor.cstring('the compression name', 64);
  const version = await cursor.cstring('the compression version', 64);
  layout.compression = name === 'none' ? null : `${name} ${version}`;
  const inflate = name === 'none' ? null : inflaterFor(name);
  if (name !== 'none' && !inflate)
    throw new Error(`compression "${name}" is not supported (zstd and zlib are)`);
  let next = await cursor.u64('the options offset');
  const seen = new Set<number>();
  let optionsEnd = -1;
  while (next > 0 && !seen.has(next)) {
    seen.add(next);
    let section;
    try {
      section = await readSection(file, next, layout.littleEndian, inflate);
    } catch (error) {
      // Nothing without the first OPTIONS section; later ones are recovered below.
      if (optionsEnd < 0 || !(error instanceof TruncatedError)) throw error;
      layout.problems.push(
        `the file ends at byte ${file.size}, before its last options section (byte ${next})`,
      );
      break;
    }
    if (section.id !== OPTION.done) {
      throw new Error(`expected an OPTIONS section at byte ${next}, found section ${section.id}`);
    }
    readOptions(section.content, layout.littleEndian, 7, layout.options);
    optionsEnd = Math.max(optionsEnd, section.end);
    next = layout.options.nextOptions;
  }
  if (!layout.options.buffers.some((buffer) => buffer.name === '') && optionsEnd > 0) {
    const recovered = await recoverTopBuffer(file, optionsEnd, layout);
    if (recovered) layout.options.buffers.push(recovered);
  }
  const parts: [number, string, (source: FieldSource) => Promise<void>][] = [
    [OPTION.headerInfo, 'header info', (s) => readHeaderFiles(s, layout.tracing)],
    [OPTION.ftraceEvents, 'ftrace event formats', (s) => readFtraceFormats(s, layout.tracing)],
    [OPTION.eventFormats, 'event formats', (s) => readEventSystems(s, layout.tracing)],
    [OPTION.kallsyms, 'kallsyms', (s) => readKallsyms(s, layout.tracing)],
    [OPTION.cmdlines, 'saved cmdlines', (s) => readCmdlines(s, layout.tracing)],
  ];
  for (const [option, what, read] of parts) {
    const offset = layout.options.sections.get(option);
    if (offset === undefined) continue;
    try {
      const { content } = await readSection(file, offset, layout.littleEndian, inflate);
      await read(new MemorySource(content, layout.littleEndian));
    } catch (error) {
      layout.problems.push(
        `the ${what} section at byte ${offset} cannot be read: ${(error as Error).message}`,
      );
    }
  }
  const top = layout.options.buffers.find((buffer) => buffer.name === '');
  if (!top) return;
  layout.clock = top.clock;
  if (top.pageSize) layout.pageSize = top.pageSize;
  if (top.latency) {
    layout.latency = true;
    return;
  }
  layout.cpus = top.cpus;
  const head = await file.read(top.sectionOffset, 16);
  layout.cpuDataCompressed =
    head.length >= 4 && (new ByteReader(head, layout.littleEndian, 2).u16() & 1) === 1;
}

const alignUp = (value: number, to: number): number => Math.ceil(value / to) * to;

/**
 * Finds the top instance's CPU data of a version 7 file whose closing BUFFER option was cut
 * off: trace-cmd writes the BUFFER section right after the first OPTIONS section, then each
 * CPU's chunk list (u32 count, then u32 compressed size, u32 size, data per chunk) from the next
 * page boundary on, CPU after CPU. Only compressed data can be walked like this (plain pages do
 * not say where one CPU ends); CPU numbers are assumed to follow file order.
 */
async function recoverTopBuffer(
  file: BinaryFile,
  sectionOffset: number,
  layout: TraceDatLayout,
): Promise<BufferInstance | null> {
  const head = await file.read(sectionOffset, 16);
  if (head.length < 16) return null;
  const header = new ByteReader(head, layout.littleEndian);
  const id = header.u16();
  const flags = header.u16();
  if (id !== OPTION.buffer) return null;
  if ((flags & 1) === 0) {
    layout.problems.push(
      'the CPU data cannot be located without the BUFFER option (it is not compressed)',
    );
    return null;
  }
  const cpus: CpuDataRange[] = [];
  let pos = alignUp(sectionOffset + 16, layout.pageSize);
  while (pos + 4 <= file.size && cpus.length < 4096) {
    const start = pos;
    const countBytes = await file.read(pos, 4);
    const count = new ByteReader(countBytes, layout.littleEndian).u32();
    if (count > 1_000_000) break;
    pos += 4;
    for (let chunk = 0; chunk < count && pos < file.size; chunk++) {
      const sizes = await file.read(pos, 8);
      if (sizes.length < 8) {
        pos = file.size;
        break;
      }
      pos += 8 + new ByteReader(sizes, layout.littleEndian).u32();
    }
    cpus.push({ cpu: cpus.length, offset: start, size: Math.min(pos, file.size) - start });
    pos = alignUp(pos, layout.pageSize);
  }
  if (cpus.length === 0) return null;
  layout.problems.push(
    `the CPU data was located by walking its compressed chunks from byte ${sectionOffset} ` +
      `(${cpus.length} CPUs, numbered in file order)`,
  );
  return { name: '', sectionOffset, clock: null, pageSize: null, cpus, latency: false };
}

/**
 * Reads the layout of a trace.dat. Throws (with a message) when the initial header is not
 * valid or names an unknown version; damage further on is collected in `problems` or thrown as
 * `TruncatedError` for the caller to report.
 */
export async function readTraceDatLayout(file: BinaryFile): Promise<TraceDatLayout> {
  const probe = new FileCursor(file, 0, true);
  const header = await readTracingHeader(probe);
  const version = Number.parseInt(header.version, 10);
  if (!(version >= 6 && version <= 7))
    throw new Error(`trace.dat version "${header.version}" is not supported (6 and 7 are)`);
  const layout: TraceDatLayout = {
    version,
    littleEndian: header.littleEndian,
    pageSize: header.pageSize,
    compression: null,
    tracing: { ...emptyTracingData(header.littleEndian), ...header },
    options: emptyOptions(),
    cpus: [],
    cpuDataCompressed: false,
    clock: null,
    otherInstances: [],
    latency: false,
    problems: [],
  };
  const cursor = new FileCursor(file, probe.pos, header.littleEndian);
  if (version === 6) await readV6(cursor, layout);
  else await readV7(file, cursor, layout);
  layout.clock ??= layout.options.traceClock;
  // Version 6 BUFFER options name the instance only; version 7 ones list its CPU data.
  layout.otherInstances = layout.options.buffers
    .filter(
      (buffer) => buffer.name !== '' && (version < 7 || buffer.cpus.some((cpu) => cpu.size > 0)),
    )
    .map((buffer) => buffer.name);
  return layout;
}
