/**
 * Reads a tracing instance's binary ring-buffer pages from `per_cpu/cpuN/trace_pipe_raw` and
 * decodes its skb:kfree_skb records, without the kernel formatting any text.
 *
 * How the parts fit:
 * - Reading: each CPU's `trace_pipe_raw` is open O_NONBLOCK; one `read` of a page-sized buffer
 *   returns one page (the kernel also hands over a partly filled page, with tracing on or off),
 *   EAGAIN when the CPU's buffer is empty. A turn reads up to `PAGES_PER_TURN` pages per CPU.
 * - Decoding: `RingBufferPages` (main/ingest, the trace.dat page decoder) steps through each
 *   page's events (time deltas, extended and absolute timestamps, padding, lost-events flags);
 *   each record is read with the field offsets of the instance's own kfree_skb `format`
 *   (`KfreeSkbLayout`). The reason stays a number (the sink names it with the running kernel's
 *   numbering); `location` is symbolized once per distinct address (`KernelLocations`), comm
 *   comes from the pid (`TaskComms`); skbaddr and rx_sk are the raw pointers, `0xffff…` as perf
 *   prints them (the text path showed tracefs's hashed `%p` values).
 * - Order: pages give each CPU's events in time order; the CPUs are merged by timestamp (the
 *   lowest first, the lower CPU on ties). An event is handed over only once no CPU can still
 *   produce an earlier one: a CPU read until EAGAIN is complete up to the moment before that
 *   read (CLOCK_MONOTONIC, which `trace_clock` mono is, less `ORDER_SLACK_NS` for events being
 *   committed); a CPU left with pages unread is complete up to its last page read. Later events
 *   wait for the next turn (at most a poll period). With another trace clock a CPU read dry
 *   holds nothing back, so events are ordered within a turn only. `end()` hands over the rest.
 *
 * Motivation: with `trace_pipe` the kernel prints every event as text inside the reader's read()
 * and the ftrace parser reads it back: 2.6 µs of the capture's CPU an event, 1.6 µs of it in
 * readSync; here reading and decoding take 0.2 µs an event (readSync 0.07 µs), so the capture
 * keeps up at 100,000 drops/s on 2 vCPUs with room to spare (node --cpu-prof of `dropscope
 * capture --backend tracefs --duration 5s -o x.jsonl` during 100,000 UDP drops/s, Node 20;
 * 443,733 events: 84 ms reading and decoding, 1.9 s writing the JSON lines downstream).
 */
import { closeSync, constants, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { emptyEventInput } from '../../shared/model';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import {
  AddressCache,
  hexAddress,
  kfreeSkbLayout,
  pageLayoutFromHeaderPage,
  readHigh,
  readSmall,
  RingBufferPages,
  type KfreeSkbLayout,
  type PageLayout,
} from '../ingest';
import type { CaptureSink } from './CaptureSink';
import type { KernelLocations } from './KernelLocations';
import type { TaskComms } from './TaskComms';
import type { TracefsReader } from './TracefsReader';
import { KFREE_SKB_EVENT_DIR } from './tracefsFiles';

/** Pages read per CPU in one turn (92 kfree_skb events a 4 KiB page). */
export const PAGES_PER_TURN = 64;
/** A CPU with this many pages read but not handed over is not read until they are. */
const MAX_QUEUED_PAGES = 512;
/** Page buffers kept for reuse. */
const MAX_POOLED_PAGES = 1024;
/** How far before a dry read an event may still be committing (ns). */
export const ORDER_SLACK_NS = 1_000_000;
/** Distinct pointer strings kept before the cache starts over (bounds memory on long runs). */
const MAX_POINTER_STRINGS = 1 << 20;

/** Trace clocks whose values are nanoseconds (the others are raw counters). */
const NANOSECOND_CLOCKS = new Set([
  'local',
  'global',
  'uptime',
  'perf',
  'mono',
  'mono_raw',
  'boot',
  'tai',
]);

/** How to decode the records; `readRawDecoding` reads it from the instance. */
export interface RawDecoding {
  layout: KfreeSkbLayout;
  page: PageLayout;
  littleEndian: boolean;
  locations: KernelLocations;
  comms: TaskComms;
  /** False for counter clocks (`counter`, `x86-tsc`): times are then left unknown. */
  nanoseconds: boolean;
  /** The clock is `mono` (CLOCK_MONOTONIC): a dry CPU is complete up to now. */
  monotonic: boolean;
  /** CLOCK_MONOTONIC now in ns, and the wall clock in ms (tests pass fakes). */
  monotonicNowNs?: () => number;
  nowMs?: () => number;
}

/** What `readRawDecoding` needs besides the instance's files. */
export interface RawDecodingInputs {
  /** The instance's `trace_clock`. */
  clock: string;
  /** `uname -r`: numbers symbolic reason entries a kernel left unrewritten in its print fmt. */
  release: string | null;
  locations: KernelLocations;
  comms: TaskComms;
}

/**
 * How to decode an instance's pages, from its own `events/header_page`, `buffer_subbuf_size_kb`
 * (sub-buffers may be larger than a page since Linux 6.8; one read returns one sub-buffer) and
 * kfree_skb `format` (field offsets, `ID`, reason names of the print fmt). An error says what is
 * missing or unusable; the backend then reads the text `trace_pipe`.
 */
export function readRawDecoding(
  instanceDir: string,
  inputs: RawDecodingInputs,
): Result<RawDecoding> {
  const read = (path: string): Result<string> => {
    try {
      return ok(readFileSync(path, 'utf8'));
    } catch (error) {
      return err(`cannot read ${path}: ${(error as Error).message}`);
    }
  };
  const headerPath = join(instanceDir, 'events', 'header_page');
  const header = read(headerPath);
  if (!header.ok) return header;
  const subbuf = read(join(instanceDir, 'buffer_subbuf_size_kb'));
  const subbufKb = subbuf.ok ? Number(subbuf.value.trim()) : Number.NaN;
  const page = pageLayoutFromHeaderPage(
    header.value,
    Number.isInteger(subbufKb) && subbufKb > 0 ? subbufKb * 1024 : null,
  );
  if (!page.ok) return err(`${headerPath}: ${page.error}`);
  const formatPath = join(instanceDir, KFREE_SKB_EVENT_DIR, 'format');
  const format = read(formatPath);
  if (!format.ok) return format;
  const layout = kfreeSkbLayout(format.value, `format file ${formatPath}`, inputs.release);
  if (!layout.ok) return err(`${formatPath}: ${layout.error}`);
  if (layout.value.id === null || layout.value.commonType === null) {
    return err(`${formatPath} has no event ID or no common_type field`);
  }
  return ok({
    layout: layout.value,
    page: page.value,
    littleEndian: endianness() === 'LE',
    locations: inputs.locations,
    comms: inputs.comms,
    nanoseconds: NANOSECOND_CLOCKS.has(inputs.clock),
    monotonic: inputs.clock === 'mono',
  });
}

/** One CPU's file, the pages read from it, and the decoder's place in them. */
class CpuPipe {
  readonly cursor: RingBufferPages;
  /** The cursor is on an event not yet handed over. */
  onEvent = false;
  /** Every event of this CPU stamped before this time (raw clock) has been read. */
  completeUntil = 0;
  private readonly pages: Buffer[] = [];
  private readonly lengths: number[] = [];
  private current: Buffer | null = null;

  constructor(
    readonly cpu: number,
    readonly path: string,
    public fd: number,
    page: PageLayout,
    littleEndian: boolean,
  ) {
    this.cursor = new RingBufferPages(page, littleEndian);
  }

  get queuedPages(): number {
    return this.pages.length;
  }

  push(page: Buffer, length: number): void {
    this.pages.push(page);
    this.lengths.push(length);
  }

  /** Moves to the next event, opening queued pages as needed; false when none is left. */
  advance(release: (page: Buffer) => void): boolean {
    for (;;) {
      if (this.cursor.next()) {
        this.onEvent = true;
        return true;
      }
      if (this.current !== null) release(this.current);
      this.current = null;
      const page = this.pages.shift();
      const length = this.lengths.shift() ?? 0;
      if (page === undefined) return false;
      this.current = page;
      this.cursor.load(length === page.length ? page : page.subarray(0, length));
    }
  }
}

/** The binary reader; see the file overview. */
export class TracePipeRawReader implements TracefsReader {
  readonly kind = 'trace_pipe_raw';
  readonly path: string;
  /** Records decoded (kfree_skb or not), pages read. */
  records = 0;
  pagesRead = 0;
  private readonly pool: Buffer[] = [];
  private readonly event = emptyEventInput();
  private pointers = new AddressCache(hexAddress);
  private readonly monotonicNowNs: () => number;
  private readonly nowMs: () => number;
  private now = 0;
  private unknownLossWarned = 0;
  private readonly release = (page: Buffer): void => {
    if (this.pool.length < MAX_POOLED_PAGES) this.pool.push(page);
  };

  private constructor(
    instanceDir: string,
    private readonly cpus: CpuPipe[],
    private readonly decoding: RawDecoding,
    private readonly sink: CaptureSink,
  ) {
    this.path = join(instanceDir, 'per_cpu', 'cpu*', 'trace_pipe_raw');
    this.monotonicNowNs = decoding.monotonicNowNs ?? (() => Number(process.hrtime.bigint()));
    this.nowMs = decoding.nowMs ?? Date.now;
  }

  /**
   * Opens `per_cpu/cpuN/trace_pipe_raw` of every CPU of `instanceDir` O_NONBLOCK. Throws (having
   * closed what it opened) when there is no CPU directory or a file cannot be opened.
   */
  static open(instanceDir: string, decoding: RawDecoding, sink: CaptureSink): TracePipeRawReader {
    const perCpu = join(instanceDir, 'per_cpu');
    const numbers = readdirSync(perCpu)
      .map((name) => /^cpu(\d+)$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (numbers.length === 0) throw new Error(`${perCpu} has no cpuN directories`);
    const cpus: CpuPipe[] = [];
    try {
      for (const cpu of numbers) {
        const path = join(perCpu, `cpu${cpu}`, 'trace_pipe_raw');
        const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
        cpus.push(new CpuPipe(cpu, path, fd, decoding.page, decoding.littleEndian));
      }
    } catch (error) {
      for (const cpu of cpus) closeSync(cpu.fd);
      throw error;
    }
    return new TracePipeRawReader(instanceDir, cpus, decoding, sink);
  }

  read(): boolean {
    let dry = true;
    let watermark = Number.POSITIVE_INFINITY;
    for (const cpu of this.cpus) {
      if (!this.readCpu(cpu)) dry = false;
      if (cpu.completeUntil < watermark) watermark = cpu.completeUntil;
    }
    this.now = this.nowMs();
    this.handOver(watermark);
    return dry;
  }

  /** Reads up to a turn's pages of one CPU; true when it ran dry. */
  private readCpu(cpu: CpuPipe): boolean {
    if (cpu.queuedPages >= MAX_QUEUED_PAGES) return false;
    const complete = this.decoding.monotonic
      ? this.monotonicNowNs() - ORDER_SLACK_NS
      : Number.POSITIVE_INFINITY;
    const { pageSize } = this.decoding.page;
    for (let i = 0; i < PAGES_PER_TURN; i++) {
      const page = this.pool.pop() ?? Buffer.allocUnsafe(pageSize);
      let n: number;
      try {
        n = readSync(cpu.fd, page, 0, pageSize, null);
      } catch (error) {
        this.pool.push(page);
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          cpu.completeUntil = complete;
          return true;
        }
        throw new Error(`${cpu.path}: ${(error as Error).message}`, { cause: error });
      }
      if (n === 0) {
        this.pool.push(page);
        cpu.completeUntil = complete;
        return true;
      }
      this.pagesRead++;
      cpu.push(page, n);
      cpu.completeUntil = this.pageTimestamp(page);
    }
    return false;
  }

  /** The time in a page's header: no event of the page is earlier. */
  private pageTimestamp(page: Buffer): number {
    const at = this.decoding.page.timestampOffset;
    return this.decoding.littleEndian
      ? page.readUInt32LE(at + 4) * 2 ** 32 + page.readUInt32LE(at)
      : page.readUInt32BE(at) * 2 ** 32 + page.readUInt32BE(at + 4);
  }

  /** Hands over, in time order, every event read that is no later than `watermark`. */
  private handOver(watermark: number): void {
    const cpus = this.cpus;
    for (;;) {
      let best: CpuPipe | null = null;
      // Linear: a handful of CPUs; each step compares the head event of each.
      for (const cpu of cpus) {
        if (!cpu.onEvent && !cpu.advance(this.release)) continue;
        if (best === null || cpu.cursor.timestamp < best.cursor.timestamp) best = cpu;
      }
      if (best === null || best.cursor.timestamp > watermark) return;
      best.onEvent = false;
      this.decode(best);
    }
  }

  /** Decodes the current record of `cpu` into the sink. */
  private decode(cpu: CpuPipe): void {
    const { layout: f, littleEndian: le, locations, comms } = this.decoding;
    const cursor = cpu.cursor;
    const view = cursor.view;
    const at = cursor.dataStart;
    this.records++;
    if (f.commonType !== null) {
      const type = readSmall(view, at + f.commonType.offset, f.commonType.size, le);
      if (type !== f.id) {
        this.sink.skip(this.records, `record of CPU ${cpu.cpu}`, `other event: type ${type}`);
        return;
      }
    }
    if (cursor.dataLength < f.minBytes) {
      this.sink.skip(
        this.records,
        `kfree_skb record of CPU ${cpu.cpu}`,
        `record of ${cursor.dataLength} bytes is shorter than the ${f.minBytes}-byte format`,
      );
      return;
    }
    const e = this.event;
    const pid = f.commonPid ? view.getInt32(at + f.commonPid.offset, le) : -1;
    e.timestampNs = this.decoding.nanoseconds ? cursor.timestamp : Number.NaN;
    e.cpu = cpu.cpu;
    e.pid = pid;
    e.comm = comms.get(pid, this.now);
    if (this.pointers.strings.length > MAX_POINTER_STRINGS) {
      this.pointers = new AddressCache(hexAddress);
    }
    e.skbaddr = this.pointers.get(
      readHigh(view, at + f.skbaddr.offset, f.skbaddr.size, le),
      readSmall(view, at + f.skbaddr.offset, f.skbaddr.size, le),
    );
    const location = locations.id(
      readHigh(view, at + f.location.offset, f.location.size, le),
      readSmall(view, at + f.location.offset, f.location.size, le),
    );
    e.location = locations.name(location);
    const module = locations.module(location);
    e.extra = module === null ? null : { module };
    const rx = f.rxSk;
    if (rx === null) e.rxSk = null;
    else {
      const high = readHigh(view, at + rx.offset, rx.size, le);
      const low = readSmall(view, at + rx.offset, rx.size, le);
      e.rxSk = high === 0 && low === 0 ? null : this.pointers.get(high, low);
    }
    e.protocol = readSmall(view, at + f.protocol.offset, f.protocol.size, le);
    e.reason = null;
    e.reasonValue = f.reason ? readSmall(view, at + f.reason.offset, f.reason.size, le) : -1;
    e.callchain = null;
    e.line = this.records;
    this.sink.event(e);
  }

  end(): void {
    this.now = this.nowMs();
    this.handOver(Number.POSITIVE_INFINITY);
    const unknown = this.cpus.reduce((sum, cpu) => sum + cpu.cursor.unknownLoss, 0);
    if (unknown > this.unknownLossWarned) {
      this.unknownLossWarned = unknown;
      this.sink.addWarning(
        `${unknown} ring-buffer pages said events were lost before them without a count (the per-CPU stats count them)`,
      );
    }
  }

  lostNotices(): number {
    return this.cpus.reduce((sum, cpu) => sum + cpu.cursor.lost, 0);
  }

  close(): void {
    for (const cpu of this.cpus) {
      if (cpu.fd < 0) continue;
      try {
        closeSync(cpu.fd);
      } catch {
        // Already closed: nothing left to release.
      }
      cpu.fd = -1;
    }
  }
}
