/**
 * A capture session fed by an external tool (`perf record | perf script`, `bpftrace`): its stdout
 * goes line by line into the main/ingest parser of the tool's text format, its stderr is kept for
 * messages, and stopping sends SIGINT to the recording process (the tool flushes and exits) and
 * waits for the output to end, escalating to SIGTERM and SIGKILL if it does not.
 *
 * `ready` resolves once the tool is recording (the backend says when: perf's control ack, the
 * line bpftrace prints from BEGIN) and rejects if the tool exits or times out before that.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { TraceFormatName } from '../../shared/model';
import { formatDefinition, LineSplitter, type TraceParser } from '../ingest';
import { BaseCaptureSession } from './BaseCaptureSession';
import type {
  CaptureBackendName,
  CaptureLost,
  CaptureSource,
  CaptureStartOptions,
  FilterPlacement,
} from './CaptureBackend';
import { CaptureError } from './CaptureBackend';
import type { CaptureSink } from './CaptureSink';

/** How long a tool may take to start recording. */
const READY_TIMEOUT_MS = 30_000;
/** How long after SIGINT before SIGTERM, and after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;
const STDERR_TAIL_LINES = 20;
/** Tool stderr lines worth passing on as warnings. */
const NOTEWORTHY = /lost|warning|error|overload/i;

/** The tool's processes and where its text comes out. */
export interface ToolPipeline {
  /** Every process; the first is the recorder that SIGINT stops. */
  processes: ChildProcess[];
  /** The stdout of the last process: the text the parser reads. */
  output: Readable;
  /** The tool as the user would type it, for messages and the capture header. */
  commandLine: string;
}

/** What the backend tells the session about its tool. */
export interface ToolSessionSpec {
  backend: CaptureBackendName;
  pipeline: ToolPipeline;
  format: TraceFormatName;
  /** Name of the tool's own lost-event counter in `lost.parts`. */
  lostName: string;
  /** A stdout line that means "recording now" (bpftrace's BEGIN line); none: the backend calls `markReady`. */
  readyLine?: (line: string) => boolean;
  /** stderr lines that are routine chatter, not warnings. */
  quietStderr?: RegExp;
}

/** A session over a tool pipeline; see the file overview. */
export class ToolSession extends BaseCaptureSession {
  readonly ready: Promise<void>;
  private resolveReady: () => void = () => undefined;
  private rejectReady: (error: Error) => void = () => undefined;
  private isReady = false;
  private readonly parser: TraceParser;
  private readonly splitter: LineSplitter;
  private readonly stderrTail: string[] = [];
  private outputEnded = false;
  private running: number;
  private readonly finished: Promise<void>;
  private readyTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly spec: ToolSessionSpec,
    filter: FilterPlacement,
    source: CaptureSource,
    warnings: string[],
    options: CaptureStartOptions,
    sink: CaptureSink,
  ) {
    super(spec.backend, filter, source, warnings, options, sink);
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // A caller that stops before awaiting `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined);
    this.parser = formatDefinition(spec.format).createParser(sink);
    this.splitter = new LineSplitter(
      (text, line) => {
        if (!this.isReady && spec.readyLine?.(text)) this.markReady();
        this.parser.line(text, line);
      },
      (line, start, bytes) => sink.skip(line, start, `line of ${bytes} bytes is too long`),
    );
    const { processes, output } = spec.pipeline;
    this.running = processes.length;
    const exits = processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.on('error', (error) => {
            this.noteStderr(`${spec.pipeline.commandLine}: ${error.message}`);
            resolve();
          });
          child.on('close', () => resolve());
        }),
    );
    const outputEnd = new Promise<void>((resolve) => {
      output.on('end', resolve);
      output.on('close', resolve);
      output.on('error', () => resolve());
    });
    this.finished = Promise.all([...exits, outputEnd]).then(() => undefined);
    for (const child of processes) {
      child.stderr?.setEncoding('utf8');
      let partial = '';
      child.stderr?.on('data', (text: string) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.noteStderr(line);
      });
      child.on('close', () => {
        this.running--;
        if (partial !== '') this.noteStderr(partial);
        partial = '';
        if (this.running === 0) void this.toolEnded();
      });
    }
    output.on('data', (chunk: Buffer) => {
      this.splitter.push(chunk);
      this.sink.flushDue();
    });
    output.on('end', () => {
      this.outputEnded = true;
    });
  }

  /** Starts the timers; `ready` must then be awaited by the backend. */
  run(): void {
    this.begin();
    this.readyTimer = setTimeout(() => {
      if (this.isReady) return;
      this.rejectReady(
        new CaptureError(
          `${this.spec.backend} did not start recording within ${READY_TIMEOUT_MS / 1000} s${this.stderrText()}`,
        ),
      );
      this.cleanupSync();
    }, READY_TIMEOUT_MS);
  }

  /** The tool is recording: `ready` resolves. */
  markReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.resolveReady();
  }

  private noteStderr(line: string): void {
    const text = line.trimEnd();
    if (text === '') return;
    this.stderrTail.push(text);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    if (NOTEWORTHY.test(text) && !this.spec.quietStderr?.test(text)) {
      this.sink.addWarning(`${this.spec.backend}: ${text}`);
    }
  }

  private stderrText(): string {
    return this.stderrTail.length === 0 ? '' : `:\n${this.stderrTail.join('\n')}`;
  }

  /** Every process exited: fine when stopping, a failure otherwise. */
  private async toolEnded(): Promise<void> {
    await this.finished;
    if (this.readyTimer) clearTimeout(this.readyTimer);
    const codes = this.spec.pipeline.processes.map((c) => c.exitCode ?? c.signalCode ?? '?');
    const message = `${this.spec.pipeline.commandLine} exited (${codes.join(', ')})${this.stderrText()}`;
    if (!this.isReady) this.rejectReady(new CaptureError(message));
    if (!this.isStopping) this.fail(`${message}`);
  }

  protected override lost(): CaptureLost {
    const lost = this.sink.toolLost();
    return { total: lost, parts: { [this.spec.lostName]: lost } };
  }

  protected override async shutdown(): Promise<void> {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    const [recorder] = this.spec.pipeline.processes;
    if (this.running > 0 && recorder && recorder.exitCode === null) recorder.kill('SIGINT');
    const waited = await settleWithin(this.finished, STOP_GRACE_MS);
    if (!waited) {
      for (const child of this.spec.pipeline.processes) child.kill('SIGTERM');
      if (!(await settleWithin(this.finished, STOP_GRACE_MS))) {
        for (const child of this.spec.pipeline.processes) child.kill('SIGKILL');
        await this.finished;
      }
      this.sink.addWarning(`${this.spec.backend} did not exit on SIGINT; it was terminated`);
    }
    if (!this.outputEnded) this.spec.pipeline.output.destroy();
    this.splitter.end();
    this.parser.end();
  }

  cleanupSync(): void {
    for (const child of this.spec.pipeline.processes) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
  }
}

/** Whether `promise` settled within `ms`. */
async function settleWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | null = null;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), timeout]);
  if (timer) clearTimeout(timer);
  return settled;
}
