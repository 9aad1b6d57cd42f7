/**
 * Live capture through a dedicated tracefs instance: needs no tool, only root and tracefs.
 *
 * `start` mounts tracefs when needed, removes instances left by crashed runs, creates
 * `instances/dropscope-<pid>-<random>` (so the global buffer and other users' tracing are
 * untouched), sizes its per-CPU buffer, sets `trace_clock` mono, writes the kernel part of the
 * filter to the event's `filter` file, enables `skb/kfree_skb`, and reads the instance.
 *
 * Reading: the binary pages of `per_cpu/cpuN/trace_pipe_raw` (`TracePipeRawReader`), decoded
 * with the instance's own `events/header_page` and kfree_skb `format`; reason numbers are named
 * with the running kernel's numbering (the context's `loadReasonNames`, else the format's print
 * fmt), locations symbolized with the context's kallsyms symbolizer. When that cannot be set up
 * (no symbolizer, a header_page or format that does not parse, a `trace_pipe_raw` that does not
 * open) the instance's text `trace_pipe` is read with the ftrace parser instead
 * (`TracePipeTextReader`), and a warning says why; the capture's command names the reader.
 * `DROPSCOPE_TRACEFS_READER=text` (or the `reader` option) picks the text reader on purpose.
 * Both give the same cpu, pid, comm, protocol, location (`sym+0xoff`, the module in `extra`),
 * reason and rx_sk presence (the integration test runs both on the same drops); the binary path
 * differs where it knows more: nanosecond times (the text has microseconds), raw `0xffff…`
 * pointers as perf prints them (the text has tracefs's hashed `%p`), events merged across CPUs
 * in time order.
 * Motivation: the text path drains 55,000–78,000 events/s on a 2-vCPU VM, the binary one keeps
 * up with perf at 100,000/s and beyond (figures in main/capture/README.md).
 *
 * Both readers read synchronously and never block (O_NONBLOCK) until EAGAIN, yield to the event
 * loop between turns, and poll again after `POLL_MS` when dry; stopping is deterministic:
 * `tracing_on` 0, drain until EAGAIN, read the loss counters, close, `rmdir` the instance.
 *
 * Lost events are the ring buffer's own counters (`per_cpu/cpuN/stats`: overrun, commit overrun,
 * dropped events), read every stats period and at stop, plus what the stream itself says (the
 * text's `[LOST N EVENTS]` notices, the pages' lost-events counts); they are reported, never
 * silent.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Symbolizer } from '../ingest';
import { BaseCaptureSession } from './BaseCaptureSession';
import type {
  CaptureAvailability,
  CaptureBackend,
  CaptureLost,
  CaptureSession,
  CaptureSource,
  CaptureStartOptions,
  FilterPlacement,
} from './CaptureBackend';
import { CaptureError, DEFAULT_BUFFER_KB } from './CaptureBackend';
import type { CaptureContext, KernelReasonNames } from './CaptureHost';
import { CaptureSink } from './CaptureSink';
import { splitFilter, userSideOnly } from './filterPushdown';
import { KernelLocations, loadModuleSymbols } from './KernelLocations';
import { compileEventMatcher } from './matchEvent';
import { readPrivilege } from './privilege';
import { TaskComms } from './TaskComms';
import type { TracefsReader } from './TracefsReader';
import { readRawDecoding, TracePipeRawReader, type RawDecoding } from './TracePipeRawReader';
import { TracePipeTextReader } from './TracePipeTextReader';
import {
  KFREE_SKB_EVENT_DIR,
  locateTracefs,
  readInstanceLoss,
  readKfreeSkbFormat,
  removeStaleInstances,
  type KfreeSkbFormatFacts,
  type RingBufferStats,
} from './tracefsFiles';

/** How long the reader sleeps after the instance ran dry. */
const POLL_MS = 20;

/** Which reader a tracefs capture prefers. */
export type TracefsReaderChoice = 'raw' | 'text';

/** Options of the tracefs backend beyond the context (tests, diagnostics). */
export interface TracefsBackendOptions {
  /**
   * `raw` (the default) reads the binary `trace_pipe_raw` pages and falls back to the text
   * `trace_pipe` when it cannot; `text` reads `trace_pipe`. Default: `text` when the environment
   * says `DROPSCOPE_TRACEFS_READER=text`.
   */
  reader?: TracefsReaderChoice;
  /** Where /proc is (task names, module symbols); tests point it at a temporary tree. */
  procRoot?: string;
}

/** What a ready tracefs backend knows: the root, the event format, notes for "why". */
interface TracefsReadiness {
  root: string;
  format: KfreeSkbFormatFacts;
  notes: string[];
}

/** What the binary reader needs from outside the instance, loaded before it is created. */
interface RawPrerequisites {
  symbolize: Symbolizer;
  moduleSymbols: ReadonlyMap<string, string> | null;
}

/** Capture through a tracefs instance. */
export class TracefsBackend implements CaptureBackend {
  readonly name = 'tracefs';
  readonly label = 'tracefs instance (no tool needed)';
  private readonly reader: TracefsReaderChoice;
  /** Who chose the reader, for the warning when it is the text one. */
  private readonly readerChosenBy: string;
  private readonly procRoot: string;

  constructor(
    private readonly context: CaptureContext,
    options: TracefsBackendOptions = {},
  ) {
    const fromEnvironment = process.env.DROPSCOPE_TRACEFS_READER === 'text' ? 'text' : 'raw';
    this.reader = options.reader ?? fromEnvironment;
    this.readerChosenBy =
      options.reader === undefined ? 'DROPSCOPE_TRACEFS_READER=text' : 'the caller';
    this.procRoot = options.procRoot ?? '/proc';
  }

  async availability(): Promise<CaptureAvailability> {
    const ready = await this.readiness(true);
    if (!ready.ok) return { available: false, why: ready.error };
    const { root, format, notes } = ready.value;
    const fields = format.hasReason
      ? `skb:kfree_skb with reason${format.hasRxSk ? ' and rx_sk' : ''}`
      : 'skb:kfree_skb WITHOUT a reason field (kernel older than 5.17: drops come without reasons)';
    return { available: true, why: [`tracefs at ${root}`, fields, ...notes].join('; ') };
  }

  private async readiness(
    mount: boolean,
  ): Promise<{ ok: true; value: TracefsReadiness } | { ok: false; error: string }> {
    const host = this.context.host;
    const privilege = readPrivilege(host.uid(), await host.procStatus());
    if (!privilege.privileged) return { ok: false, error: `${privilege.description}: run as root` };
    const located = await locateTracefs(host, mount);
    if (!located.ok) return located;
    const { root, note } = located.value;
    const instances = join(root, 'instances');
    const format = readKfreeSkbFormat(root);
    if (!format.ok) return format;
    try {
      // An instance directory that cannot be created is the usual failure of a non-root user.
      accessSync(instances, constants.W_OK);
    } catch {
      return {
        ok: false,
        error: `${instances} is missing or not writable (${privilege.description}; tracefs instances need root)`,
      };
    }
    const notes = [privilege.description, ...(note === null ? [] : [note])];
    return { ok: true, value: { root, format: format.value, notes } };
  }

  async start(options: CaptureStartOptions): Promise<CaptureSession> {
    const ready = await this.readiness(true);
    if (!ready.ok) throw new CaptureError(`tracefs capture is not available: ${ready.error}`);
    const { root, format } = ready.value;
    const host = this.context.host;
    const warnings: string[] = [];
    const instances = join(root, 'instances');

    const stale = removeStaleInstances(instances, (pid) => host.isPidAlive(pid), host.pid);
    if (stale.removed.length > 0) {
      warnings.push(
        `removed ${stale.removed.length} tracing instance(s) left by capture runs that ended without cleanup: ${stale.removed.join(', ')}`,
      );
    }
    for (const failed of stale.failed) {
      warnings.push(`could not remove the stale tracing instance ${failed.name}: ${failed.why}`);
    }

    const reasons = format.hasReason ? this.loadReasons(format.path, warnings) : null;
    const numbers = new Map<string, number>();
    for (const [value, name] of reasons?.names ?? []) numbers.set(name, value);
    let placement = splitFilter(
      options.filter,
      'ftrace',
      (name) => (format.hasReason ? (numbers.get(name) ?? null) : null),
      'tracefs event filter',
    );
    const matcherFor = (where: FilterPlacement): ReturnType<typeof compileEventMatcher> | null =>
      where.user ? compileEventMatcher(where.user) : null;
    // Compile before touching tracefs, so a bad filter leaves nothing behind.
    let matcher = matcherFor(placement);
    // Loaded before the instance exists: kallsyms takes a moment to read and parse.
    const prerequisites = this.reader === 'raw' ? await this.loadRawPrerequisites() : null;

    const name = `dropscope-${host.pid}-${randomBytes(4).toString('hex')}`;
    const dir = join(instances, name);
    try {
      mkdirSync(dir);
    } catch (error) {
      throw new CaptureError(
        `cannot create the tracing instance ${dir}: ${(error as Error).message}`,
      );
    }
    const eventDir = join(dir, KFREE_SKB_EVENT_DIR);
    const bufferKb = options.bufferKb ?? DEFAULT_BUFFER_KB;
    let reader: TracefsReader | null = null;
    let clock: string;
    let sink: CaptureSink;
    let raw: RawDecoding | null = null;
    try {
      writeTracefs(join(dir, 'buffer_size_kb'), String(bufferKb));
      clock = chooseMonotonicClock(dir, warnings);
      if (placement.kernelText !== null) {
        try {
          writeTracefs(join(eventDir, 'filter'), placement.kernelText);
        } catch (error) {
          warnings.push(
            `the kernel refused the event filter "${placement.kernelText}" (${(error as Error).message}); the whole filter runs in user space`,
          );
          writeTracefs(join(eventDir, 'filter'), '0');
          placement = userSideOnly(options.filter, placement.kernelWhere);
          matcher = matcherFor(placement);
        }
      }
      if (this.reader === 'text') {
        warnings.push(`reading trace_pipe (text), as ${this.readerChosenBy} asked`);
      } else if (prerequisites === null) {
        warnings.push(
          'reading trace_pipe (text) instead of trace_pipe_raw: no kallsyms symbolizer to name locations (the kernel names them in the text)',
        );
      } else {
        const decoding = readRawDecoding(dir, {
          clock,
          release: host.kernelRelease(),
          locations: new KernelLocations(prerequisites.symbolize, prerequisites.moduleSymbols),
          comms: new TaskComms({
            savedCmdlines: join(root, 'saved_cmdlines'),
            procRoot: this.procRoot,
          }),
        });
        if (decoding.ok) raw = decoding.value;
        else {
          warnings.push(`reading trace_pipe (text) instead of trace_pipe_raw: ${decoding.error}`);
        }
      }
      sink = new CaptureSink({
        onBatch: (events) => options.onBatch(events),
        matcher,
        reasonNames: reasons?.names ?? raw?.layout.reasons?.names ?? null,
      });
      writeTracefs(join(eventDir, 'enable'), '1');
      writeTracefs(join(dir, 'tracing_on'), '1');
      if (raw !== null) {
        try {
          reader = TracePipeRawReader.open(dir, raw, sink);
        } catch (error) {
          warnings.push(
            `reading trace_pipe (text) instead of trace_pipe_raw, which did not open: ${(error as Error).message}`,
          );
          raw = null;
        }
      }
      reader ??= TracePipeTextReader.open(join(dir, 'trace_pipe'), sink);
    } catch (error) {
      reader?.close();
      removeInstance(dir);
      throw new CaptureError(
        `cannot set up the tracing instance ${dir}: ${(error as Error).message}`,
      );
    }

    const source: CaptureSource = {
      format: raw === null ? 'ftrace' : 'trace-dat',
      command:
        `tracefs instance ${dir} (events/skb/kfree_skb, ` +
        `${raw === null ? 'text trace_pipe' : 'binary per_cpu/cpu*/trace_pipe_raw pages'}, buffer_size_kb ${bufferKb})`,
      reasonNames: raw === null ? 'printed' : 'decoded',
      reasonTable: reasons?.source ?? raw?.layout.reasons?.source ?? null,
      clock,
      hasReason: format.hasReason,
      hasRxSk: format.hasRxSk,
    };
    const session = new TracefsSession(dir, reader, placement, source, warnings, options, sink);
    session.run();
    return session;
  }

  /** The kallsyms symbolizer and the module symbols; null without a symbolizer. */
  private async loadRawPrerequisites(): Promise<RawPrerequisites | null> {
    const [symbolize, moduleSymbols] = await Promise.all([
      this.context.loadSymbolizer?.() ?? Promise.resolve(null),
      loadModuleSymbols(this.procRoot),
    ]);
    return symbolize ? { symbolize, moduleSymbols } : null;
  }

  private loadReasons(formatPath: string, warnings: string[]): KernelReasonNames | null {
    const load = this.context.loadReasonNames;
    if (!load) return null;
    const loaded = load(formatPath);
    if (loaded.ok) return loaded.value;
    warnings.push(
      `cannot read the running kernel's reason numbers (${loaded.error}); reason filters run in user space`,
    );
    return null;
  }
}

/** Writes a tracefs control file; the error names the file. */
function writeTracefs(path: string, value: string): void {
  try {
    writeFileSync(path, `${value}\n`);
  } catch (error) {
    throw new Error(
      `writing "${value}" to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Sets the instance's `trace_clock` to `mono` (CLOCK_MONOTONIC, as bpftrace's nsecs and perf with
 * `-k mono`), so captures of every backend share one time base; tracefs defaults to `local`,
 * which on a VM differed from perf's clock by 37 ms. Returns the clock in use.
 */
function chooseMonotonicClock(dir: string, warnings: string[]): string {
  const path = join(dir, 'trace_clock');
  try {
    writeTracefs(path, 'mono');
    return 'mono';
  } catch (error) {
    warnings.push(`timestamps use the default trace clock: ${(error as Error).message}`);
    const current = /\[(\w+)\]/.exec(readFileSync(path, 'utf8'));
    return current?.[1] ?? 'local';
  }
}

/** Disables the event and removes the instance; retries briefly while a reader lets go. */
function removeInstance(dir: string): string | null {
  try {
    writeFileSync(join(dir, 'tracing_on'), '0\n');
    writeFileSync(join(dir, KFREE_SKB_EVENT_DIR, 'enable'), '0\n');
  } catch {
    // Best effort: rmdir disables everything anyway.
  }
  let last: Error | null = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      rmdirSync(dir);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      last = error as Error;
      if (code !== 'EBUSY') break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  return `could not remove the tracing instance ${dir}: ${last?.message ?? 'unknown error'}`;
}

class TracefsSession extends BaseCaptureSession {
  private timer: NodeJS.Timeout | null = null;
  private loss: RingBufferStats = { overrun: 0, commitOverrun: 0, droppedEvents: 0 };
  private removed = false;

  constructor(
    private readonly dir: string,
    private readonly reader: TracefsReader,
    filter: FilterPlacement,
    source: CaptureSource,
    warnings: string[],
    options: CaptureStartOptions,
    sink: CaptureSink,
  ) {
    super('tracefs', filter, source, warnings, options, sink);
  }

  /** Starts the read loop and the timers. */
  run(): void {
    this.begin();
    this.pump();
  }

  /** Reads until the instance is dry (or a turn's worth), then schedules the next turn. */
  private pump = (): void => {
    this.timer = null;
    if (this.isStopping) return;
    let dry: boolean;
    try {
      dry = this.reader.read();
    } catch (error) {
      this.fail(`reading ${this.reader.path} failed: ${(error as Error).message}`);
      return;
    }
    this.sink.flushDue();
    this.timer = dry ? setTimeout(this.pump, POLL_MS) : setTimeout(this.pump, 0);
  };

  protected override lost(): CaptureLost {
    if (!this.removed) this.loss = readInstanceLoss(this.dir);
    const parts: Record<string, number> = {
      overrun: this.loss.overrun,
      'commit overrun': this.loss.commitOverrun,
      'dropped events': this.loss.droppedEvents,
    };
    const counted = this.loss.overrun + this.loss.commitOverrun + this.loss.droppedEvents;
    // The stream's own notices (text [LOST N EVENTS], page counts) count the same losses as
    // `overrun`; report the larger.
    const notices = this.reader.lostNotices();
    if (notices > counted) parts['LOST notices'] = notices - counted;
    return { total: Math.max(counted, notices), parts };
  }

  protected override async shutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let failure: Error | null = null;
    try {
      // Stop recording, then drain what the buffer holds: every event recorded until now.
      writeTracefs(join(this.dir, 'tracing_on'), '0');
      while (!this.reader.read()) {
        this.sink.flushDue();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      failure = error as Error;
    }
    this.reader.end();
    this.loss = readInstanceLoss(this.dir);
    this.cleanupSync();
    if (failure) throw failure;
  }

  cleanupSync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reader.close();
    if (this.removed) return;
    this.removed = true;
    const problem = removeInstance(this.dir);
    if (problem !== null) this.sink.addWarning(problem);
  }
}
