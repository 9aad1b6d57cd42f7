/**
 * Live capture through a dedicated tracefs instance: needs no tool, only root and tracefs.
 *
 * `start` mounts tracefs when needed, removes instances left by crashed runs, creates
 * `instances/dropscope-<pid>-<random>` (so the global buffer and other users' tracing are
 * untouched), sizes its per-CPU buffer, writes the kernel part of the filter to the event's
 * `filter` file, enables `skb/kfree_skb`, and reads the instance's `trace_pipe` with the ftrace
 * parser of main/ingest (tracefs prints reason names).
 *
 * Reading: `trace_pipe` is opened O_NONBLOCK and read synchronously in a loop until EAGAIN, then
 * polled again after `POLL_MS`; a read never blocks a thread, and stopping is deterministic:
 * `tracing_on` 0, drain until EAGAIN, read the loss counters, close, `rmdir` the instance.
 * Motivation: a blocking read of trace_pipe cannot be interrupted by closing the fd, and one
 * read returns at most a page (about 20 events), so at 100,000 drops/s the loop makes about 5,000
 * cheap non-blocking syscalls a second instead of 5,000 thread-pool round trips.
 *
 * Lost events are the ring buffer's own counters (`per_cpu/cpuN/stats`: overrun, commit overrun,
 * dropped events), read every stats period and at stop, plus the `[LOST N EVENTS]` notices the
 * parser sees; they are reported, never silent.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { formatDefinition, LineSplitter, type TraceParser } from '../ingest';
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
import { compileEventMatcher } from './matchEvent';
import { readPrivilege } from './privilege';
import {
  KFREE_SKB_EVENT_DIR,
  locateTracefs,
  readInstanceLoss,
  readKfreeSkbFormat,
  removeStaleInstances,
  type KfreeSkbFormatFacts,
  type RingBufferStats,
} from './tracefsFiles';

/** How long the reader sleeps after trace_pipe ran dry. */
const POLL_MS = 20;
/** Reads per turn of the event loop before yielding (each returns at most about a page). */
const READS_PER_TURN = 256;
const READ_BUFFER_BYTES = 64 << 10;

/** What a ready tracefs backend knows: the root, the event format, notes for "why". */
interface TracefsReadiness {
  root: string;
  format: KfreeSkbFormatFacts;
  notes: string[];
}

/** Capture through a tracefs instance. */
export class TracefsBackend implements CaptureBackend {
  readonly name = 'tracefs';
  readonly label = 'tracefs instance (no tool needed)';

  constructor(private readonly context: CaptureContext) {}

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
    let fd = -1;
    let clock: string;
    try {
      const bufferKb = options.bufferKb ?? DEFAULT_BUFFER_KB;
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
      writeTracefs(join(eventDir, 'enable'), '1');
      writeTracefs(join(dir, 'tracing_on'), '1');
      fd = openSync(join(dir, 'trace_pipe'), constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (fd >= 0) closeSync(fd);
      removeInstance(dir);
      throw new CaptureError(
        `cannot set up the tracing instance ${dir}: ${(error as Error).message}`,
      );
    }

    const sink = new CaptureSink({
      onBatch: (events) => options.onBatch(events),
      matcher,
      reasonNames: reasons?.names ?? null,
    });
    const source: CaptureSource = {
      format: 'ftrace',
      command: `tracefs instance ${dir} (events/skb/kfree_skb, buffer_size_kb ${options.bufferKb ?? DEFAULT_BUFFER_KB})`,
      reasonNames: 'printed',
      reasonTable: reasons?.source ?? null,
      clock,
      hasReason: format.hasReason,
      hasRxSk: format.hasRxSk,
    };
    const session = new TracefsSession(dir, fd, placement, source, warnings, options, sink);
    session.run();
    return session;
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
  private readonly parser: TraceParser;
  private readonly splitter: LineSplitter;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private lastByte = 0x0a;
  private lineNumber = 0;
  private timer: NodeJS.Timeout | null = null;
  private loss: RingBufferStats = { overrun: 0, commitOverrun: 0, droppedEvents: 0 };
  private removed = false;

  constructor(
    private readonly dir: string,
    private fd: number,
    filter: FilterPlacement,
    source: CaptureSource,
    warnings: string[],
    options: CaptureStartOptions,
    sink: CaptureSink,
  ) {
    super('tracefs', filter, source, warnings, options, sink);
    this.parser = formatDefinition('ftrace').createParser(sink);
    this.splitter = new LineSplitter(
      (text, line) => {
        this.lineNumber = line;
        this.parser.line(text, line);
      },
      (line, start, bytes) => sink.skip(line, start, `line of ${bytes} bytes is too long`),
    );
  }

  /** Starts the read loop and the timers. */
  run(): void {
    this.begin();
    this.pump();
  }

  /** Reads until trace_pipe is dry (or a turn's worth), then schedules the next turn. */
  private pump = (): void => {
    this.timer = null;
    if (this.isStopping) return;
    let dry: boolean;
    try {
      dry = this.readAvailable(READS_PER_TURN);
    } catch (error) {
      this.fail(`reading ${join(this.dir, 'trace_pipe')} failed: ${(error as Error).message}`);
      return;
    }
    this.sink.flushDue();
    this.timer = dry ? setTimeout(this.pump, POLL_MS) : setTimeout(this.pump, 0);
  };

  /** Reads up to `maxReads` times; true when trace_pipe ran dry. Throws on a read error. */
  private readAvailable(maxReads: number): boolean {
    for (let i = 0; i < maxReads; i++) {
      let n: number;
      try {
        n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.releaseHeldEvent();
          return true;
        }
        throw error;
      }
      if (n === 0) {
        this.releaseHeldEvent();
        return true;
      }
      this.splitter.push(this.buffer.subarray(0, n));
      this.lastByte = this.buffer[n - 1] ?? 0x0a;
    }
    return false;
  }

  /**
   * The parser holds each event until the next line (a stack trace could follow it); when the
   * pipe is dry at a line boundary, an empty line releases it so a quiet period shows every drop.
   */
  private releaseHeldEvent(): void {
    if (this.lastByte === 0x0a) this.parser.line('', this.lineNumber);
  }

  protected override lost(): CaptureLost {
    if (!this.removed) this.loss = readInstanceLoss(this.dir);
    const parts: Record<string, number> = {
      overrun: this.loss.overrun,
      'commit overrun': this.loss.commitOverrun,
      'dropped events': this.loss.droppedEvents,
    };
    const counted = this.loss.overrun + this.loss.commitOverrun + this.loss.droppedEvents;
    // The [LOST N EVENTS] notices count the same losses as `overrun`; report the larger.
    const notices = this.sink.toolLost();
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
      while (!this.readAvailable(READS_PER_TURN)) {
        this.sink.flushDue();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      failure = error as Error;
    }
    this.splitter.end();
    this.parser.end();
    this.loss = readInstanceLoss(this.dir);
    this.cleanupSync();
    if (failure) throw failure;
  }

  cleanupSync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    if (this.removed) return;
    this.removed = true;
    const problem = removeInstance(this.dir);
    if (problem !== null) this.sink.addWarning(problem);
  }
}
