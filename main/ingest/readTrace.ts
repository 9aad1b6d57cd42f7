/**
 * Loads one text trace file into a new `EventStore`: open (decompressing), split into lines,
 * detect the format from the first lines (or use the forced one), parse, then decode numeric
 * reasons with the kernel table chosen by `chooseReasonDecoder`.
 *
 * Everything that could not be read is counted and explained (skipped lines with file:line and
 * why, truncated compressed data, a missing final line end); only a file that cannot be opened,
 * is empty, is binary, or matches no format fails as a whole.
 */
import type {
  Aggregates,
  KernelInfo,
  KernelTableSource,
  SkippedSummary,
  TraceFormatName,
  TraceMeta,
} from '../../shared/model';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import { isKnownReasonName, type ReasonMapping } from '../kernel';
import { decodeNumericReasons, unknownReasonsWarning } from './decodeNumericReasons';
import { EventStore } from '../store';
import { detectTraceFormat, formatDefinition, TRACE_FORMAT_DEFINITIONS } from './formats';
import { displayLine, IngestSink, type Symbolizer } from './IngestSink';
import { LineSplitter } from './LineSplitter';
import { openTraceStream, type Compression } from './openTraceStream';
import { readBinaryTrace } from './readBinaryTrace';
import type { TraceFormatDefinition, TraceParser } from './TraceParser';

/** Options of one load. */
export interface ReadTraceOptions {
  /** Force a format instead of detecting it. */
  format?: TraceFormatName | null;
  /** `--kernel RELEASE`: the kernel whose table decodes numbers. */
  kernelRelease?: string | null;
  /** `--kernel-format FILE`, already loaded: a tracepoint format or BTF mapping. */
  kernelFormat?: (ReasonMapping & { kind: 'kernel-format-file' | 'btf' }) | null;
  /** `--kallsyms FILE`, already loaded: turns raw addresses into `sym+0xoff`. */
  symbolize?: Symbolizer | null;
  /** Longest line kept, in bytes (default 1 MiB); longer lines are skipped and counted. */
  maxLineBytes?: number;
  /** Called every few MB with compressed bytes read, file size and events so far. */
  onProgress?: (progress: { bytesRead: number; totalBytes: number; events: number }) => void;
  /** Stops the load early; what was read so far is kept and a warning says so. */
  signal?: AbortSignal;
}

/** A loaded trace: its store and everything learned while reading it. */
export interface LoadedTrace {
  /** The path as given. */
  file: string;
  format: TraceFormatName;
  formatLabel: string;
  compression: Compression;
  store: EventStore;
  kernel: KernelInfo;
  meta: TraceMeta;
  skipped: SkippedSummary;
  warnings: string[];
  aggregates: Aggregates;
  /** Lines read (after decompression). */
  lines: number;
  /** Whether the load was cancelled before the end of the file. */
  cancelled: boolean;
  /** Re-decodes numeric reasons with another kernel release (the user picked one). */
  redecode(release: string | null): void;
}

const HEAD_LINES = 200;
const HEAD_CHARS = 4 << 20;
const PROGRESS_EVERY_BYTES = 4 << 20;

interface PendingLine {
  text: string;
  line: number;
  overlongBytes: number;
}

/** Loads `file`. Fails (with a message naming the file) only when nothing can be read at all. */
export async function readTrace(
  file: string,
  options: ReadTraceOptions = {},
): Promise<Result<LoadedTrace>> {
  let stream;
  try {
    stream = await openTraceStream(file);
  } catch (error) {
    return err(`${file}: cannot open: ${(error as Error).message}`);
  }
  if (stream.binaryKind) return readBinaryTrace(file, stream, options);
  if (options.format === 'perf-data' || options.format === 'trace-dat') {
    const kind = options.format === 'perf-data' ? 'perf.data' : 'trace.dat';
    return err(
      `${file}: --format ${options.format} expects a binary ${kind} file, but this file is not one`,
    );
  }

  const store = new EventStore();
  const sink = new IngestSink(store, options.symbolize ?? null);
  const maxLineBytes = options.maxLineBytes ?? 1 << 20;
  const head: PendingLine[] = [];
  let headChars = 0;
  let headNonEmpty = 0;
  let parser: TraceParser | null = null;
  let definition: TraceFormatDefinition | null = null;
  let detectionError: string | null = null;
  let lastLineUnterminated = false;

  const feed = (pending: PendingLine): void => {
    if (!parser) return;
    if (pending.overlongBytes > 0) {
      sink.skip(
        pending.line,
        pending.text,
        `line of ${pending.overlongBytes} bytes is longer than the ${maxLineBytes}-byte limit`,
      );
    } else parser.line(pending.text, pending.line);
  };

  const decide = (): void => {
    if (parser || detectionError) return;
    const sampleLines = head
      .filter((p) => p.overlongBytes === 0 && p.text.trim() !== '')
      .map((p) => p.text);
    const detection = detectTraceFormat(sampleLines);
    if (options.format) {
      definition = formatDefinition(options.format);
      const best = detection.scores[0];
      if (detection.format && best && best.name !== options.format && best.score >= 0.8) {
        sink.warn(
          `${file}: forced format ${options.format}, but the content looks like ${best.name}`,
        );
      }
    } else definition = detection.format;
    if (!definition) {
      const first = sampleLines[0];
      detectionError =
        first === undefined
          ? `${file}: the file is empty (no text lines)`
          : looksBinary(sampleLines)
            ? `${file}: binary data, not a text trace (line 1: "${displayLine(first).slice(0, 80)}")`
            : `${file}: not a recognised trace format (line ${head.find((p) => p.text.trim() !== '')?.line ?? 1}: ` +
              `"${displayLine(first).slice(0, 100)}"); force one with --format ` +
              TRACE_FORMAT_DEFINITIONS.map((f) => f.name).join('|');
      return;
    }
    parser = definition.createParser(sink);
    for (const pending of head) feed(pending);
    head.length = 0;
  };

  const splitter = new LineSplitter(
    (text, line, unterminated) => {
      lastLineUnterminated = unterminated && text.trim() !== '';
      const pending = { text, line, overlongBytes: 0 };
      if (parser) return feed(pending);
      head.push(pending);
      headChars += text.length;
      if (text.trim() !== '') headNonEmpty++;
      if (headNonEmpty >= HEAD_LINES || headChars >= HEAD_CHARS) decide();
    },
    (line, start, lengthBytes) => {
      const pending = { text: start, line, overlongBytes: lengthBytes };
      if (parser) feed(pending);
      else head.push(pending);
    },
    maxLineBytes,
  );

  let cancelled = false;
  let nextProgress = PROGRESS_EVERY_BYTES;
  for await (const chunk of stream.chunks) {
    splitter.push(chunk);
    if (detectionError) break;
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    if (options.onProgress && stream.bytesRead() >= nextProgress) {
      nextProgress = stream.bytesRead() + PROGRESS_EVERY_BYTES;
      options.onProgress({
        bytesRead: stream.bytesRead(),
        totalBytes: stream.fileBytes,
        events: store.length,
      });
    }
  }
  if (!cancelled && !detectionError) splitter.end();
  decide();
  if (detectionError) return err(detectionError);
  (parser as TraceParser | null)?.end();
  const chosen = definition as TraceFormatDefinition | null;
  if (!chosen) return err(`${file}: the file is empty`);

  const warnings = [...stream.problems, ...sink.warnings];
  if (cancelled)
    warnings.push(
      `${file}: loading was cancelled after ${splitter.lines} lines; the events before that point are loaded`,
    );
  if (lastLineUnterminated)
    warnings.push(
      `${file}: line ${splitter.lines} has no line end; the file may be truncated there`,
    );
  options.onProgress?.({
    bytesRead: stream.bytesRead(),
    totalBytes: stream.fileBytes,
    events: store.length,
  });

  const loaded: LoadedTrace = {
    file,
    format: chosen.name,
    formatLabel: chosen.label,
    compression: stream.compression,
    store,
    kernel: { release: null, table: null, source: 'none', detail: '' },
    meta: sink.metadata,
    skipped: { lines: sink.skippedLines, examples: sink.skippedExamples },
    warnings,
    aggregates: sink.aggregates,
    lines: splitter.lines,
    cancelled,
    redecode: (release) => {
      const decodeWarnings = decodeInto(
        loaded,
        sink.embedded,
        release,
        options.kernelFormat ?? null,
      );
      loaded.warnings = [...warnings, ...decodeWarnings];
    },
  };
  loaded.redecode(options.kernelRelease ?? null);
  return ok(loaded);
}

function looksBinary(lines: readonly string[]): boolean {
  const sample = lines.join('\n').slice(0, 8192);
  if (sample.length === 0) return false;
  // eslint-disable-next-line no-control-regex
  const control = sample.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return control / sample.length > 0.05;
}

const NORMALIZED_SOURCES: readonly KernelTableSource[] = [
  'embedded-format',
  'kernel-format-file',
  'btf',
  'trace-header',
  'cli-release',
  'best-guess',
  'none',
];

/** Chooses the reason table, decodes the store's numeric reasons, and returns the warnings. */
function decodeInto(
  loaded: LoadedTrace,
  embedded: ReasonMapping | null,
  cliRelease: string | null,
  kernelFormat: (ReasonMapping & { kind: 'kernel-format-file' | 'btf' }) | null,
): string[] {
  const { store, meta } = loaded;
  const warnings: string[] = [];
  const headerRelease =
    typeof meta.osRelease === 'string'
      ? meta.osRelease
      : typeof meta.kernelRelease === 'string'
        ? meta.kernelRelease
        : null;
  const carried = loaded.format === 'dropscope-jsonl' || loaded.format === 'dropscope-csv';
  const { choice, values, unknownNames } = decodeNumericReasons(store, {
    embedded,
    kernelFormat,
    cliRelease,
    headerRelease,
  });
  if (carried && typeof meta.kernelSource === 'string' && !cliRelease && !kernelFormat) {
    // A Dropscope export carries the decoding of its source; keep reporting it.
    const source = NORMALIZED_SOURCES.includes(meta.kernelSource as KernelTableSource)
      ? (meta.kernelSource as KernelTableSource)
      : 'none';
    loaded.kernel = {
      release: typeof meta.kernelRelease === 'string' ? meta.kernelRelease : null,
      table: typeof meta.kernelTable === 'string' ? meta.kernelTable : null,
      source,
      detail: typeof meta.kernelDetail === 'string' ? meta.kernelDetail : '',
    };
  } else if (values.length === 0 && !embedded && !kernelFormat && !cliRelease && !headerRelease) {
    loaded.kernel = {
      release: null,
      table: null,
      source: 'none',
      detail: 'The tracer printed reason names itself; no numbers needed a kernel table.',
    };
  } else {
    loaded.kernel = choice.kernel;
    warnings.push(...choice.warnings.map((w: string) => `${loaded.file}: ${w}`));
  }
  // Names no table knows (renamed or patch-only reasons) are kept as printed, and flagged.
  const reasons = store.dictionaries.reason.all();
  const printedIds = new Set<number>();
  const column = store.columns.reasonPrinted;
  for (let i = 0; i < store.length; i++) {
    const id = column.get(i);
    if (id >= 0) printedIds.add(id);
  }
  const printedNames = [...printedIds].map((id) => reasons[id] ?? '');
  for (const name of printedNames) {
    if (!isKnownReasonName(name)) {
      warnings.push(
        `${loaded.file}: reason ${name} is not in any known kernel table; kept as printed (renamed, patch-only or truncated name?)`,
      );
    }
  }
  // In use: the printed names plus the decoded ones (a Dropscope export may print UNKNOWN(n)).
  const unknown = unknownReasonsWarning(
    loaded.file,
    [...unknownNames, ...printedNames.filter((name) => name.startsWith('UNKNOWN('))],
    loaded.kernel.table,
  );
  if (unknown) warnings.push(unknown);
  return warnings;
}
