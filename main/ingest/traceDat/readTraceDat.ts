/**
 * Reads a trace-cmd trace.dat (versions 6 and 7) into a sink.
 *
 * The layout (traceDatLayout.ts) gives the event formats, saved kallsyms and cmdlines and where
 * each CPU's ring-buffer pages are; the pages of all CPUs are then merged into one time-ordered
 * stream, as `trace-cmd report` prints them (lowest timestamp first, the lower CPU on ties), and
 * every skb:kfree_skb record is decoded with the offsets of its embedded format.
 *
 * comm comes from the saved cmdlines (pid → name; `<idle>` for pid 0, unknown otherwise, which
 * trace-cmd prints as `<...>`), `location` is symbolized with the saved kallsyms.
 */
import type { EventInput } from '../../../shared/model';
import { emptyEventInput } from '../../../shared/model';
import type { Result } from '../../../shared/util';
import { err, ok } from '../../../shared/util';
import { parseTracepointFormat } from '../../kernel';
import {
  PROGRESS_EVERY_BYTES,
  type BinaryReadContext,
  type BinaryReadOutcome,
} from './BinaryReadContext';
import { TruncatedError, hexAddress } from './ByteReader';
import { CpuRingBuffer, type PageLayout } from './CpuRingBuffer';
import { AddressCache, addressRenderer, chooseKernelSymbols } from './KernelSymbols';
import { kfreeSkbLayout, readHigh, readSmall, type KfreeSkbLayout } from './KfreeSkbLayout';
import { inflaterFor, readTraceDatLayout, type TraceDatLayout } from './traceDatLayout';
import { parseUname } from './traceDatOptions';

const FORMAT_SOURCE = 'trace.dat event format (events/skb/kfree_skb/format)';
/** Clocks whose values are nanoseconds. */
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

function pageLayout(layout: TraceDatLayout): PageLayout {
  const fallbackCommit = layout.tracing.longSize === 4 ? 4 : 8;
  const parsed = layout.tracing.headerPage
    ? parseTracepointFormat(layout.tracing.headerPage)
    : null;
  const fields = parsed?.ok ? parsed.value.fields : [];
  const field = (name: string) => fields.find((f) => f.name === name);
  const commit = field('commit');
  return {
    pageSize: layout.pageSize,
    timestampOffset: field('timestamp')?.offset ?? 0,
    commitOffset: commit?.offset ?? 8,
    commitSize: commit?.size ?? fallbackCommit,
    dataOffset: field('data')?.offset ?? 8 + (commit?.size ?? fallbackCommit),
  };
}

function parseCmdlines(text: string | null): Map<number, string> {
  const comms = new Map<number, string>();
  for (const line of (text ?? '').split('\n')) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) comms.set(Number(match[1]), match[2]);
  }
  return comms;
}

/** Turns a raw ring-buffer timestamp into nanoseconds (or keeps it, with a warning, if it cannot). */
function timeConverter(
  layout: TraceDatLayout,
  warn: (message: string) => void,
): (raw: number) => number {
  const offset = layout.options.timeOffsetNs;
  const clock = layout.clock ?? 'local';
  const tsc = layout.options.tsc2nsec;
  if (tsc && !NANOSECOND_CLOCKS.has(clock)) {
    const mult = BigInt(tsc.mult);
    const shift = BigInt(tsc.shift);
    return (raw) => Number(((BigInt(raw) * mult) >> shift) + tsc.offset) + offset;
  }
  if (!NANOSECOND_CLOCKS.has(clock)) {
    warn(
      `timestamps are raw "${clock}" clock counts, not nanoseconds (the trace has no conversion for that clock)`,
    );
  }
  return offset === 0 ? (raw) => raw : (raw) => raw + offset;
}

/** Decodes the kfree_skb records of a merged stream into the sink. */
class KfreeSkbRecordDecoder {
  readonly event: EventInput = emptyEventInput();
  events = 0;
  otherEvents = 0;
  tooShort = 0;
  private readonly pointers = new AddressCache(hexAddress);

  constructor(
    private readonly fields: KfreeSkbLayout,
    private readonly littleEndian: boolean,
    private readonly code: AddressCache,
    private readonly comms: Map<number, string>,
    private readonly time: (raw: number) => number,
  ) {}

  /** Handles the current event of `cpu`; returns true when it was a drop. */
  handle(cpu: CpuRingBuffer, ordinal: number, sink: BinaryReadContext['sink']): void {
    const f = this.fields;
    const view = cpu.view;
    const le = this.littleEndian;
    const at = cpu.dataStart;
    const type = f.commonType
      ? readSmall(view, at + f.commonType.offset, f.commonType.size, le)
      : -1;
    if (type !== f.id) {
      this.otherEvents++;
      return;
    }
    if (cpu.dataLength < f.minBytes) {
      this.tooShort++;
      sink.skip(
        ordinal,
        `kfree_skb record of CPU ${cpu.range.cpu}`,
        `record of ${cpu.dataLength} bytes is shorter than the ${f.minBytes}-byte format`,
      );
      return;
    }
    const e = this.event;
    const pid = f.commonPid ? view.getInt32(at + f.commonPid.offset, le) : -1;
    e.timestampNs = this.time(cpu.timestamp);
    e.cpu = cpu.range.cpu;
    e.pid = pid;
    e.comm = this.comms.get(pid) ?? (pid === 0 ? '<idle>' : null);
    e.skbaddr = this.pointers.get(
      readHigh(view, at + f.skbaddr.offset, f.skbaddr.size, le),
      readSmall(view, at + f.skbaddr.offset, f.skbaddr.size, le),
    );
    e.location = this.code.get(
      readHigh(view, at + f.location.offset, f.location.size, le),
      readSmall(view, at + f.location.offset, f.location.size, le),
    );
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
    e.line = ordinal;
    sink.event(e);
    this.events++;
  }
}

/** Reads `ctx.file` as trace.dat. Fails only when its header cannot be read. */
export async function readTraceDat(ctx: BinaryReadContext): Promise<Result<BinaryReadOutcome>> {
  const { sink, path, file } = ctx;
  let layout: TraceDatLayout;
  try {
    layout = await readTraceDatLayout(file);
  } catch (error) {
    if (error instanceof TruncatedError) {
      // Either the file is cut, or a corrupt offset points past its end: say both.
      return err(
        `${path}: the header needs ${error.what}, beyond the end of the file (${file.size} bytes): ` +
          'the file is cut or its header is corrupt; no events to read',
      );
    }
    return err(`${path}: corrupt trace.dat header: ${(error as Error).message}`);
  }
  const { tracing, options } = layout;
  const uname = options.uname ? parseUname(options.uname) : {};
  sink.meta({
    ...uname,
    traceDatVersion: layout.version,
    nrCpus: options.cpuCount ?? layout.cpus.length,
    ...(options.traceCmdVersion ? { traceCmdVersion: options.traceCmdVersion } : {}),
    ...(layout.clock ? { traceClock: layout.clock } : {}),
    ...(layout.compression ? { traceDatCompression: layout.compression } : {}),
  });
  if (ctx.modifiedAt)
    sink.meta({
      capturedOn: ctx.modifiedAt.toISOString(),
      capturedOnSource: 'file modification time',
    });
  const warn = (message: string): void => sink.warn(`${path}: ${message}`);
  for (const problem of layout.problems) warn(problem);
  if (layout.latency)
    return err(`${path}: this trace.dat holds a latency trace (text), not ring-buffer events`);
  if (layout.otherInstances.length > 0)
    warn(`only the top buffer is read; instances ${layout.otherInstances.join(', ')} are not`);
  if (!tracing.kfreeSkbFormat) {
    warn('the trace has no skb:kfree_skb event format, so it holds no drop events');
    return ok({ records: 0, cancelled: false });
  }
  const fields = kfreeSkbLayout(tracing.kfreeSkbFormat, FORMAT_SOURCE, uname.osRelease ?? null);
  if (!fields.ok)
    return err(`${path}: the embedded skb:kfree_skb format cannot be used: ${fields.error}`);
  if (fields.value.reasons) sink.embeddedReasonNames(fields.value.reasons.names, FORMAT_SOURCE);
  const symbols = await chooseKernelSymbols({
    user: ctx.userSymbolize,
    savedKallsyms: tracing.kallsyms,
    trace: { release: uname.osRelease ?? null, buildId: null },
    what: 'locations',
    ...(ctx.machine ? { machine: ctx.machine } : {}),
  });
  if (symbols.warning) warn(symbols.warning);
  if (symbols.source) sink.meta({ symbols: symbols.source });
  const inflate =
    layout.cpuDataCompressed && layout.compression
      ? inflaterFor(layout.compression.split(' ')[0] ?? '')
      : null;
  const page = pageLayout(layout);
  const decoder = new KfreeSkbRecordDecoder(
    fields.value,
    layout.littleEndian,
    new AddressCache(addressRenderer(symbols.symbolize)),
    parseCmdlines(tracing.cmdlines),
    timeConverter(layout, warn),
  );

  const cpus = layout.cpus
    .filter((range) => range.size > 0)
    .map((range) => new CpuRingBuffer(file, range, page, layout.littleEndian, inflate));
  let active = cpus.slice();
  for (const cpu of active) await cpu.refill();
  active = active.filter((cpu) => !cpu.done);
  let records = 0;
  let cancelled = false;
  let bytesSinceProgress = 0;
  while (active.length > 0) {
    let best = active[0] as CpuRingBuffer;
    for (let i = 1; i < active.length; i++) {
      const other = active[i] as CpuRingBuffer;
      if (other.timestamp < best.timestamp) best = other;
    }
    records++;
    decoder.handle(best, records, sink);
    if (!best.next()) {
      bytesSinceProgress += best.bytes.length;
      if (bytesSinceProgress >= PROGRESS_EVERY_BYTES) {
        bytesSinceProgress = 0;
        const dataStart = Math.min(...cpus.map((cpu) => cpu.range.offset));
        ctx.onProgress?.(
          Math.min(file.size, dataStart + cpus.reduce((sum, cpu) => sum + cpu.consumedBytes, 0)),
        );
      }
      if (ctx.signal?.aborted) {
        cancelled = true;
        break;
      }
      await best.refill();
      if (best.done) active = active.filter((cpu) => cpu !== best);
    }
  }
  finish(ctx, cpus, decoder, cancelled);
  return ok({ records, cancelled });
}

function finish(
  ctx: BinaryReadContext,
  cpus: CpuRingBuffer[],
  decoder: KfreeSkbRecordDecoder,
  cancelled: boolean,
): void {
  const { sink, path } = ctx;
  for (const cpu of cpus) {
    if (cpu.problem) sink.warn(`${path}: ${cpu.problem}; the events before it are loaded`);
  }
  const lost = cpus.reduce((sum, cpu) => sum + cpu.lost, 0);
  const unknown = cpus.reduce((sum, cpu) => sum + cpu.unknownLoss, 0);
  sink.meta({ lost });
  if (lost > 0 || unknown > 0) {
    sink.warn(
      `${path}: the ring buffer lost ${lost} events` +
        (unknown > 0 ? ` (and an unrecorded number before ${unknown} pages)` : '') +
        '; the counts are lower than what the kernel dropped',
    );
  }
  if (decoder.otherEvents > 0) sink.meta({ otherEvents: decoder.otherEvents });
  if (cancelled)
    sink.warn(`${path}: loading was cancelled; the events before that point are loaded`);
}
