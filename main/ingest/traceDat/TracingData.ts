/**
 * The "tracing data" layout shared by trace.dat and perf.data (trace-cmd's format, also written
 * by `perf record` into its HEADER_TRACING_DATA feature):
 *
 *   magic `\x17\x08\x44tracing`, version string, endian byte, long size byte, page size (u32),
 *   `header_page\0` u64 size + text, `header_event\0` u64 size + text,
 *   u32 count × (u64 size + ftrace event format),
 *   u32 systems × (system name, u32 count × (u64 size + event format)),
 *   u32 size + /proc/kallsyms, u32 size + printk formats, [version ≥ 6] u64 size + saved_cmdlines.
 *
 * trace.dat version 7 stores the same parts in separate sections; the part readers below are
 * used for both. Only what Dropscope needs is kept: the skb:kfree_skb format text, an id → name
 * map of every event format, the header_page text, kallsyms and cmdlines.
 */
import { ByteReader, TruncatedError, decodeText, readU64 } from './ByteReader';

/** A source of fields read one after another (a file cursor or bytes in memory). */
export interface FieldSource {
  readonly littleEndian: boolean;
  u32(what: string): Promise<number>;
  u64(what: string): Promise<number>;
  bytes(length: number, what: string): Promise<Uint8Array>;
  cstring(what: string): Promise<string>;
}

/** A `FieldSource` over bytes already in memory. */
export class MemorySource implements FieldSource {
  private readonly reader: ByteReader;

  constructor(
    bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.reader = new ByteReader(bytes, littleEndian);
  }

  /** Bytes consumed so far. */
  get pos(): number {
    return this.reader.pos;
  }

  u32(what: string): Promise<number> {
    return Promise.resolve(this.reader.u32(what));
  }

  u64(what: string): Promise<number> {
    this.reader.need(8, what);
    const value = readU64(this.reader.view, this.reader.pos, this.littleEndian);
    this.reader.pos += 8;
    return Promise.resolve(value);
  }

  bytes(length: number, what: string): Promise<Uint8Array> {
    return Promise.resolve(this.reader.bytesOf(length, what));
  }

  cstring(what: string): Promise<string> {
    return Promise.resolve(this.reader.cstring(what));
  }
}

/** What the tracing data parts hold that Dropscope uses. */
export interface TracingData {
  /** Version string of the tracing data (`0.6` in perf.data, `6` in trace.dat). */
  version: string;
  littleEndian: boolean;
  /** Size of a user-space long on the traced machine (4 or 8). */
  longSize: number;
  pageSize: number;
  /** Text of events/header_page (ring buffer page layout); empty when absent. */
  headerPage: string;
  /** Text of events/skb/kfree_skb/format; null when the trace has no such event. */
  kfreeSkbFormat: string | null;
  /** `system:name` of every event format by its id (names the events that are not drops). */
  eventNames: Map<number, string>;
  /** /proc/kallsyms text saved with the trace; null when empty (perf saves none). */
  kallsyms: string | null;
  /** saved_cmdlines text (`pid comm` lines); null when absent. */
  cmdlines: string | null;
}

/** An empty `TracingData` to fill part by part. */
export function emptyTracingData(littleEndian: boolean): TracingData {
  return {
    version: '',
    littleEndian,
    longSize: 8,
    pageSize: 4096,
    headerPage: '',
    kfreeSkbFormat: null,
    eventNames: new Map(),
    kallsyms: null,
    cmdlines: null,
  };
}

/** The tracing data magic: 0x17 0x08 0x44 then `tracing`. */
export const TRACING_MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67] as const;

/** Largest text part accepted (a corrupt size would otherwise allocate gigabytes). */
const MAX_PART_BYTES = 256 << 20;

async function sizedText(source: FieldSource, size: number, what: string): Promise<string> {
  if (size > MAX_PART_BYTES) throw new TruncatedError(`${what} (implausible size ${size})`, 0);
  return decodeText(await source.bytes(size, what));
}

/** Reads `header_page` and `header_event` (the labels, sizes and texts) into `out`. */
export async function readHeaderFiles(source: FieldSource, out: TracingData): Promise<void> {
  const pageLabel = await source.cstring('the header_page label');
  if (pageLabel !== 'header_page')
    throw new Error(`expected "header_page", found "${pageLabel.slice(0, 20)}"`);
  out.headerPage = await sizedText(source, await source.u64('the header_page size'), 'header_page');
  const eventLabel = await source.cstring('the header_event label');
  if (eventLabel !== 'header_event')
    throw new Error(`expected "header_event", found "${eventLabel.slice(0, 20)}"`);
  await sizedText(source, await source.u64('the header_event size'), 'header_event');
}

const NAME_LINE = /^name:\s*(\S+)/m;
const ID_LINE = /^ID:\s*(\d+)/m;

function noteFormat(out: TracingData, system: string, text: string): void {
  const name = NAME_LINE.exec(text)?.[1];
  const id = ID_LINE.exec(text)?.[1];
  if (name === undefined) return;
  if (id !== undefined) out.eventNames.set(Number(id), `${system}:${name}`);
  if (system === 'skb' && name === 'kfree_skb') out.kfreeSkbFormat = text;
}

/** Reads the ftrace event formats (u32 count × sized text). */
export async function readFtraceFormats(source: FieldSource, out: TracingData): Promise<void> {
  const count = await source.u32('the ftrace format count');
  for (let i = 0; i < count; i++) {
    const text = await sizedText(
      source,
      await source.u64('an ftrace format size'),
      `ftrace format ${i + 1}`,
    );
    noteFormat(out, 'ftrace', text);
  }
}

/** Reads the event formats per system. */
export async function readEventSystems(source: FieldSource, out: TracingData): Promise<void> {
  const systems = await source.u32('the event system count');
  for (let s = 0; s < systems; s++) {
    const system = await source.cstring(`the name of event system ${s + 1}`);
    const count = await source.u32(`the event count of system ${system}`);
    for (let i = 0; i < count; i++) {
      const what = `event format ${i + 1} of system ${system}`;
      noteFormat(out, system, await sizedText(source, await source.u64(what), what));
    }
  }
}

/** Reads the kallsyms part (u32 size + text). */
export async function readKallsyms(source: FieldSource, out: TracingData): Promise<void> {
  const size = await source.u32('the kallsyms size');
  const text = await sizedText(source, size, 'kallsyms');
  out.kallsyms = text.trim() === '' ? null : text;
}

/** Reads (and drops) the printk formats part (u32 size + text). */
export async function readPrintk(source: FieldSource): Promise<void> {
  const size = await source.u32('the printk formats size');
  await sizedText(source, size, 'printk formats');
}

/** Reads the saved cmdlines part (u64 size + text). */
export async function readCmdlines(source: FieldSource, out: TracingData): Promise<void> {
  const size = await source.u64('the saved cmdlines size');
  const text = await sizedText(source, size, 'saved cmdlines');
  out.cmdlines = text.trim() === '' ? null : text;
}

/**
 * Reads the initial header: magic, version string, endian byte, long size, page size. The
 * endianness of the source is a guess until the endian byte is read; the page size is read in
 * the byte order that byte announces. Throws on a bad magic.
 */
export async function readTracingHeader(
  source: FieldSource,
): Promise<{ version: string; littleEndian: boolean; longSize: number; pageSize: number }> {
  const magic = await source.bytes(TRACING_MAGIC.length, 'the tracing magic');
  if (!TRACING_MAGIC.every((byte, i) => magic[i] === byte)) {
    throw new Error('not tracing data (bad magic)');
  }
  const version = await source.cstring('the tracing data version');
  const flags = await source.bytes(2, 'the endian and long size bytes');
  const littleEndian = flags[0] === 0;
  const longSize = flags[1] ?? 8;
  const raw = await source.bytes(4, 'the page size');
  const pageSize = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, littleEndian);
  return { version, littleEndian, longSize, pageSize };
}

/** Whether a tracing data version string means saved cmdlines follow printk (`0.6`, `6`, `7`). */
export function hasCmdlines(version: string): boolean {
  const number = Number.parseFloat(version);
  return version.startsWith('0.') ? number >= 0.6 : number >= 6;
}

/**
 * Reads a complete tracing data blob (perf.data's HEADER_TRACING_DATA, or the head of a
 * version 6 trace.dat) from `bytes`. Parts missing at the end (a truncated blob) leave their
 * fields empty and are reported through the returned `problem`.
 */
export async function parseTracingData(
  bytes: Uint8Array,
): Promise<{ data: TracingData; problem: string | null; consumedBytes: number }> {
  const probe = new MemorySource(bytes, true);
  const header = await readTracingHeader(probe);
  const source = new MemorySource(bytes, header.littleEndian);
  const data = emptyTracingData(header.littleEndian);
  Object.assign(data, header);
  let problem: string | null = null;
  try {
    await readTracingHeader(source);
    await readHeaderFiles(source, data);
    await readFtraceFormats(source, data);
    await readEventSystems(source, data);
    await readKallsyms(source, data);
    await readPrintk(source);
    if (hasCmdlines(header.version)) await readCmdlines(source, data);
  } catch (error) {
    problem = (error as Error).message;
  }
  return { data, problem, consumedBytes: source.pos };
}
