/**
 * `dropscope capture`: records live drops from the running kernel into a file the explorer opens
 * (Dropscope JSON lines, or perf script text), printing a live count per reason on stderr.
 *
 *     dropscope capture [--backend tracefs|perf|bpftrace] [--duration 30s | --count N]
 *                       [-Y EXPR] [-o FILE] [--format jsonl|perf-script] [--buffer-kb N]
 *     dropscope capture --list-backends
 *     dropscope capture --helper --backend=… …     (the privileged helper of the app; see
 *                                                   main/capture/runCaptureHelper.ts)
 *
 * SIGINT/SIGTERM/SIGHUP stop the capture, flush the output and clean up (a second SIGINT cleans
 * up at once and exits). Exit codes: 0 it ran, 1 it could not capture (the message says why, and
 * lists the backends), 2 bad usage. In JSON lines, the first line is the header and the last line
 * repeats it with the final counts (lost events, warnings), which the reader merges.
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { EventInput, FilterExpr, NormalizedHeader } from '../../../shared/model';
import { NORMALIZED_VERSION } from '../../../shared/model';
import { formatFilter, parseFilter } from '../../../shared/filter';
import {
  captureContext,
  captureNormalizedSource,
  chooseCaptureBackend,
  createCaptureBackends,
  filterVocabulary,
  formatBackendList,
  formatCaptureLine,
  HELPER_FLAG,
  isCaptureBackendName,
  listBackendAvailability,
  MAX_BUFFER_KB,
  MAX_CAPTURE_COUNT,
  MIN_BUFFER_KB,
  normalizedJsonLine,
  parseCaptureHelperArgs,
  parseDuration,
  perfScriptHeader,
  reasonNameOf,
  perfScriptLine,
  perfScriptLostLine,
  systemCaptureHost,
  CaptureError,
  type CaptureBackend,
  type CaptureBackendName,
  type CaptureRunInfo,
  type CaptureSession,
  type CaptureStats,
  type CaptureSummary,
  type HelperMessage,
} from '../../engine';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { READ_OPTIONS } from '../loadOptions';

const OPTIONS = {
  backend: { type: 'string' },
  duration: { type: 'string' },
  count: { type: 'string' },
  filter: READ_OPTIONS.filter,
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'buffer-kb': { type: 'string' },
  'list-backends': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

const OUTPUT_FORMATS = ['jsonl', 'perf-script'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Extra seconds a tool may outlive the requested duration before it ends on its own. */
const TOOL_SAFETY_S = 30;

/** One capture as the user asked for it. */
interface CaptureJob {
  backend: CaptureBackendName | null;
  durationMs: number | null;
  count: number | null;
  filterText: string | null;
  filterExpr: FilterExpr | null;
  output: string | null;
  format: OutputFormat;
  bufferKb: number | null;
  cmdline: string;
}

/** How progress is reported: a human line (CLI) or JSON messages (helper). */
type Reporter = { kind: 'human'; quiet: boolean; tty: boolean } | { kind: 'helper' };

function integerOption(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | null {
  if (text === undefined) return null;
  const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

/** Reads the options of a user's capture; throws UsageError for bad usage. */
function readJob(
  values: Partial<Record<keyof typeof OPTIONS, string | boolean>>,
  args: readonly string[],
): CaptureJob {
  const text = (name: keyof typeof OPTIONS): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const backend = text('backend');
  if (backend !== undefined && !isCaptureBackendName(backend)) {
    throw new UsageError(`--backend must be tracefs, perf or bpftrace, not "${backend}"`);
  }
  const duration = text('duration');
  const durationMs = duration === undefined ? null : parseDuration(duration);
  if (duration !== undefined && durationMs === null) {
    throw new UsageError(
      `--duration takes a time such as 30s, 500ms or 2m (at most 24h), not "${duration}"`,
    );
  }
  const format = text('format') ?? 'jsonl';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${OUTPUT_FORMATS.join(' or ')}, not "${format}"`);
  }
  const filterText = text('filter') ?? null;
  let filterExpr: FilterExpr | null = null;
  if (filterText !== null) {
    const parsed = parseFilter(filterText, filterVocabulary());
    if (!parsed.ok) throw new UsageError(`bad filter expression:\n${parsed.error.display}`);
    filterExpr = parsed.expr;
  }
  return {
    backend: backend ?? null,
    durationMs,
    count: integerOption('count', text('count'), 1, MAX_CAPTURE_COUNT),
    filterText: filterExpr === null ? null : filterText,
    filterExpr,
    output: text('output') ?? null,
    format: format as OutputFormat,
    bufferKb: integerOption('buffer-kb', text('buffer-kb'), MIN_BUFFER_KB, MAX_BUFFER_KB),
    cmdline: ['dropscope', 'capture', ...args].join(' '),
  };
}

/**
 * Writes a capture to its output: the header once the session is known, event batches (held
 * until then), and the closing part (the final header, or perf's LOST record).
 */
class CaptureWriter {
  private header: NormalizedHeader | null = null;
  private readonly pending: (readonly EventInput[])[] = [];
  private reasonNames: 'printed' | 'decoded' = 'printed';
  private withRxSk = true;
  private lastNs = Number.NaN;
  /** Events written, in all and per reason (with --count, fewer than the session delivered). */
  written = 0;
  readonly reasons = new Map<string, number>();

  constructor(
    private readonly out: Writable,
    private readonly format: OutputFormat,
    private readonly run: CaptureRunInfo,
  ) {}

  begin(session: CaptureSession): void {
    this.reasonNames = session.source.reasonNames;
    this.withRxSk = session.source.hasRxSk;
    const source = captureNormalizedSource(session, this.run, null);
    this.header = { dropscope: NORMALIZED_VERSION, source };
    this.out.write(
      this.format === 'jsonl' ? `${JSON.stringify(this.header)}\n` : perfScriptHeader(source),
    );
    for (const batch of this.pending.splice(0)) this.events(batch);
  }

  events(batch: readonly EventInput[]): void {
    if (this.header === null) {
      this.pending.push(batch);
      return;
    }
    let text = '';
    for (const event of batch) {
      text +=
        this.format === 'jsonl'
          ? normalizedJsonLine(event, this.reasonNames)
          : perfScriptLine(event, this.withRxSk);
      if (Number.isFinite(event.timestampNs)) this.lastNs = event.timestampNs;
      this.written++;
      const reason = reasonNameOf(event) ?? '(none)';
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    }
    this.out.write(text);
  }

  finish(session: CaptureSession, summary: CaptureSummary): void {
    if (this.header === null) return;
    if (this.format === 'perf-script') {
      if (summary.lost.total > 0)
        this.out.write(perfScriptLostLine(summary.lost.total, this.lastNs));
      return;
    }
    const source = captureNormalizedSource(session, this.run, summary);
    // With --count, the file holds the first N of what the session delivered.
    source.meta.captureEvents = this.written;
    if (summary.events > this.written)
      source.meta.captureNotWritten = summary.events - this.written;
    const already = new Set(this.header.source.warnings);
    source.warnings = source.warnings.filter((warning) => !already.has(warning));
    this.out.write(`${JSON.stringify({ dropscope: NORMALIZED_VERSION, source })}\n`);
  }
}

function writeMessage(io: CliIo, message: HelperMessage): void {
  io.stderr.write(`${JSON.stringify(message)}\n`);
}

function lostText(summary: CaptureSummary): string {
  const parts = Object.entries(summary.lost.parts).map(([name, count]) => `${name} ${count}`);
  return `lost ${summary.lost.total.toLocaleString('en-US')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** Runs one capture to its end; resolves to the exit code. */
async function runCapture(
  job: CaptureJob,
  backend: CaptureBackend,
  io: CliIo,
  reporter: Reporter,
  stopInput?: NodeJS.ReadableStream,
): Promise<number> {
  const human = (text: string): void => {
    if (reporter.kind === 'human') io.stderr.write(`dropscope: ${text}\n`);
  };
  let out: Writable = io.stdout;
  let closeOut: () => Promise<void> = () => Promise.resolve();
  if (job.output !== null) {
    try {
      const handle = await open(job.output, 'w');
      const stream = handle.createWriteStream();
      out = stream;
      closeOut = () =>
        new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.end(resolve);
        });
    } catch (error) {
      io.stderr.write(`dropscope: cannot write ${job.output}: ${(error as Error).message}\n`);
      return EXIT.unreadable;
    }
  }
  const writer = new CaptureWriter(out, job.format, {
    cmdline: job.cmdline,
    kernelRelease: systemCaptureHost().kernelRelease(),
    filterText: job.filterText,
  });
  const controller = new AbortController();
  let stopWhy = '';
  let liveShown = false;
  const stopFor = (why: string): void => {
    if (controller.signal.aborted) return;
    stopWhy = why;
    if (liveShown) io.stderr.write('\n');
    liveShown = false;
    // Stopping reads what the kernel still buffers, which takes a moment after a burst.
    human(`stopping (${why}): reading the events still buffered`);
    controller.abort();
  };
  // Set from callbacks (stream errors), so kept in an object the type checker does not narrow.
  const output: { error: string | null } = { error: null };
  out.on('error', (error: Error) => {
    // A closed pipe (`dropscope capture | head`) or a full disk: stop, and say so at the end.
    output.error ??= error.message;
    stopFor(`the output failed: ${error.message}`);
  });
  let session: CaptureSession | null = null;
  let previous: CaptureStats | null = null;
  const onStats = (stats: CaptureStats): void => {
    if (reporter.kind === 'helper') writeMessage(io, { type: 'progress', stats });
    else if (!reporter.quiet) {
      const line = formatCaptureLine(stats, previous);
      io.stderr.write(reporter.tty ? `\r\u001b[2K${line}` : `${line}\n`);
      liveShown = reporter.tty;
    }
    previous = stats;
  };
  const onBatch = (events: readonly EventInput[]): void => {
    if (output.error !== null) return;
    if (controller.signal.aborted && job.count !== null && writer.written >= job.count) return;
    const room = job.count === null ? events.length : job.count - writer.written;
    writer.events(room >= events.length ? events : events.slice(0, Math.max(0, room)));
    if (job.count !== null && writer.written >= job.count) stopFor(`${job.count} drops captured`);
  };

  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1) {
      // A second signal: clean up now and leave.
      session?.cleanupSync();
      process.exit(130);
    }
    stopFor(signal);
  };
  const onExit = (): void => session?.cleanupSync();
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', onExit);
  const onInputEnd = (): void => stopFor('stdin closed');
  stopInput?.on('end', onInputEnd);
  stopInput?.on('close', onInputEnd);
  stopInput?.on('data', (data: Buffer | string) => {
    if (String(data).includes('stop')) onInputEnd();
  });
  stopInput?.resume();
  let timer: NodeJS.Timeout | null = null;
  try {
    try {
      session = await backend.start({
        filter: job.filterExpr,
        onBatch,
        onStats,
        signal: controller.signal,
        bufferKb: job.bufferKb ?? undefined,
        maxDurationS: job.durationMs === null ? undefined : job.durationMs / 1000 + TOOL_SAFETY_S,
      });
    } catch (error) {
      const message =
        error instanceof CaptureError
          ? error.message
          : `capture failed: ${(error as Error).message}`;
      if (reporter.kind === 'helper') writeMessage(io, { type: 'error', message });
      else io.stderr.write(`dropscope: ${message}\n`);
      await closeOut();
      return EXIT.unreadable;
    }
    writer.begin(session);
    const placement = session.filter;
    if (reporter.kind === 'helper') {
      writeMessage(io, {
        type: 'started',
        backend: session.backend,
        filter: placement,
        kernelFilter: placement.kernelText,
        userFilter: placement.user === null ? null : formatFilter(placement.user),
        warnings: [...session.warnings],
      });
    } else {
      const bound = [
        job.durationMs === null ? null : `for ${job.durationMs / 1000} s`,
        job.count === null ? null : `until ${job.count} drops`,
      ]
        .filter(Boolean)
        .join(' or ');
      human(
        `capturing with ${backend.name}${bound === '' ? ' until Ctrl-C' : ` ${bound}`} → ${job.output ?? 'stdout'} (${job.format})`,
      );
      if (job.filterExpr !== null) {
        human(
          `filter: in the kernel (${placement.kernelWhere}): ${placement.kernelText ?? 'nothing'}; ` +
            `in user space: ${placement.user === null ? 'nothing' : formatFilter(placement.user)}`,
        );
      }
      for (const warning of session.warnings) human(warning);
    }
    if (job.durationMs !== null)
      timer = setTimeout(() => stopFor('duration reached'), job.durationMs);
    const summary = await session.done;
    if (timer) clearTimeout(timer);
    if (output.error === null) {
      writer.finish(session, summary);
      await closeOut().catch((error: unknown) => {
        output.error = (error as Error).message;
      });
    }
    if (reporter.kind === 'helper') {
      writeMessage(io, { type: 'done', summary });
    } else {
      if (liveShown) io.stderr.write('\n');
      const seconds = (summary.elapsedMs / 1000).toFixed(1);
      const beyond = summary.events - writer.written;
      human(
        `captured ${writer.written.toLocaleString('en-US')} drops in ${seconds} s with ${summary.backend}` +
          `${stopWhy === '' ? '' : ` (stopped: ${stopWhy})`}; ${lostText(summary)}` +
          `${summary.filteredOut > 0 ? `; ${summary.filteredOut.toLocaleString('en-US')} filtered out in user space` : ''}` +
          `${beyond > 0 ? `; ${beyond.toLocaleString('en-US')} more arrived while stopping and were not written` : ''}` +
          `${job.output === null ? '' : `; wrote ${job.output}`}`,
      );
      const reasons = [...writer.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [reason, count] of reasons) {
        io.stderr.write(`  ${count.toLocaleString('en-US').padStart(12)}  ${reason}\n`);
      }
      for (const warning of summary.warnings.filter((w) => !session?.warnings.includes(w)))
        human(warning);
      if (summary.skipped.lines > 0)
        human(
          `${summary.skipped.lines} lines of ${summary.source.format} output could not be read`,
        );
      if (summary.error !== null) human(`the capture ended with an error: ${summary.error}`);
    }
    if (output.error !== null) {
      if (reporter.kind === 'helper')
        writeMessage(io, { type: 'error', message: `output failed: ${output.error}` });
      else human(`writing ${job.output ?? 'stdout'} failed: ${output.error}`);
    }
    return summary.endedBy === 'error' || output.error !== null ? EXIT.unreadable : EXIT.ok;
  } finally {
    if (timer) clearTimeout(timer);
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', onExit);
    stopInput?.off('end', onInputEnd);
    stopInput?.off('close', onInputEnd);
    stopInput?.pause();
  }
}

/** `dropscope capture --helper …`: strictly validated, JSON progress, stops when stdin closes. */
async function runHelper(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCaptureHelperArgs(args, filterVocabulary());
  if (!parsed.ok) {
    writeMessage(io, { type: 'error', message: parsed.error });
    return EXIT.usage;
  }
  const request = parsed.value;
  const backends = createCaptureBackends(captureContext());
  const choice = await chooseCaptureBackend(backends, request.backend);
  if (!choice.ok) {
    writeMessage(io, { type: 'error', message: `${choice.why}\n${formatBackendList(choice.all)}` });
    return EXIT.unreadable;
  }
  const job: CaptureJob = {
    backend: request.backend,
    durationMs: request.durationMs,
    count: request.count,
    filterText: request.filter,
    filterExpr: request.filterExpr,
    output: null,
    format: 'jsonl',
    bufferKb: request.bufferKb,
    cmdline: ['dropscope', 'capture', ...args].join(' '),
  };
  return runCapture(job, choice.backend, io, { kind: 'helper' }, process.stdin);
}

async function run(args: string[], io: CliIo): Promise<number> {
  if (args[0] === HELPER_FLAG) return runHelper(args, io);
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length > 0)
    throw new UsageError(
      `capture takes no file arguments (write with -o FILE), got "${positionals[0] ?? ''}"`,
    );
  const job = readJob(values, args);
  const backends = createCaptureBackends(captureContext());
  if (values['list-backends'] === true) {
    io.stdout.write(`${formatBackendList(await listBackendAvailability(backends))}\n`);
    return EXIT.ok;
  }
  const choice = await chooseCaptureBackend(backends, job.backend);
  if (!choice.ok) {
    io.stderr.write(`dropscope: ${choice.why}\nBackends:\n${formatBackendList(choice.all)}\n`);
    return EXIT.unreadable;
  }
  const tty = (io.stderr as Partial<NodeJS.WriteStream>).isTTY === true;
  return runCapture(job, choice.backend, io, { kind: 'human', quiet: values.quiet === true, tty });
}

/** The capture command. */
export const captureCommand: CliCommand = {
  name: 'capture',
  usage: 'capture [--backend B] [--duration 30s|--count N] [-Y EXPR] [-o FILE]',
  summary:
    'record live drops, counting per reason (root; --format perf-script, --buffer-kb N, --list-backends)',
  run,
};
