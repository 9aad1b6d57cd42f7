/**
 * Loads a binary trace (perf.data, trace-cmd trace.dat) into a new `EventStore`.
 *
 * The file is opened for random access (a compressed one is first decompressed to a temporary
 * file), read by the format's reader in perfData/ or traceDat/ into an `IngestSink`, and its
 * numeric reasons are decoded like a text load's: the mapping embedded in the trace's own
 * event format first (`kernel.source` = `embedded-format`), then `--kernel-format`,
 * `--kernel`, the release the trace names, a guess. Nothing here throws: every failure becomes
 * a `Result` error naming the file, and damage inside the file becomes warnings.
 */
import { stat } from 'node:fs/promises';
import type { KernelInfo } from '../../shared/model';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { ReasonMapping } from '../kernel';
import { decodeNumericReasons, unknownReasonsWarning } from './decodeNumericReasons';
import { EventStore } from '../store';
import { IngestSink } from './IngestSink';
import type { TraceStream } from './openTraceStream';
import { readPerfData } from './perfData/readPerfData';
import type { LoadedTrace, ReadTraceOptions } from './readTrace';
import { BinaryFile } from './traceDat/BinaryFile';
import type { BinaryReadContext } from './traceDat/BinaryReadContext';
import { readTraceDat } from './traceDat/readTraceDat';

const LABELS = {
  'perf.data': { format: 'perf-data', label: 'perf.data (binary)' },
  'trace.dat': { format: 'trace-dat', label: 'trace-cmd trace.dat' },
} as const;

/** Reads a binary trace whose kind `stream.binaryKind` names. Never rejects. */
export async function readBinaryTrace(
  file: string,
  stream: TraceStream,
  options: ReadTraceOptions,
): Promise<Result<LoadedTrace>> {
  const kind = stream.binaryKind ?? 'perf.data';
  try {
    return await readBinary(file, stream, options, kind);
  } catch (error) {
    return err(`${file}: cannot read this ${kind} file: ${(error as Error).message}`);
  }
}

async function readBinary(
  file: string,
  stream: TraceStream,
  options: ReadTraceOptions,
  kind: 'perf.data' | 'trace.dat',
): Promise<Result<LoadedTrace>> {
  const { format, label } = LABELS[kind];
  let binary: BinaryFile;
  try {
    binary = await BinaryFile.open(file, stream);
  } catch (error) {
    return err(`${file}: cannot open: ${(error as Error).message}`);
  }
  try {
    const store = new EventStore();
    // Symbolization is done by the readers (once per distinct address), not by the sink.
    const sink = new IngestSink(store, null);
    const modifiedAt = await stat(file).then(
      (info) => info.mtime,
      () => null,
    );
    const context: BinaryReadContext = {
      path: file,
      file: binary,
      sink,
      userSymbolize: options.symbolize ?? null,
      modifiedAt,
      onProgress: (bytesRead) =>
        options.onProgress?.({ bytesRead, totalBytes: binary.size, events: store.length }),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const outcome =
      kind === 'perf.data' ? await readPerfData(context, store) : await readTraceDat(context);
    if (!outcome.ok) return outcome;
    const warnings = [...stream.problems, ...sink.warnings];
    if (options.format && options.format !== format) {
      warnings.unshift(
        `${file}: forced format ${options.format}, but this is a binary ${kind} file; read as ${format}`,
      );
    }
    options.onProgress?.({ bytesRead: binary.size, totalBytes: binary.size, events: store.length });
    const loaded: LoadedTrace = {
      file,
      format,
      formatLabel: label,
      compression: stream.compression,
      store,
      kernel: { release: null, table: null, source: 'none', detail: '' },
      meta: sink.metadata,
      skipped: { lines: sink.skippedLines, examples: sink.skippedExamples },
      warnings,
      aggregates: sink.aggregates,
      lines: outcome.value.records,
      cancelled: outcome.value.cancelled,
      redecode: (release) => {
        const decoded = decodeReasons(loaded, sink.embedded, release, options.kernelFormat ?? null);
        loaded.kernel = decoded.kernel;
        loaded.warnings = [...warnings, ...decoded.warnings];
      },
    };
    loaded.redecode(options.kernelRelease ?? null);
    return ok(loaded);
  } finally {
    await binary.close();
  }
}

/**
 * Decodes the store's numeric reasons with the best source (see the file overview). Binary
 * traces carry numbers only, so unlike a text load there are no printed names to check.
 */
function decodeReasons(
  loaded: LoadedTrace,
  embedded: ReasonMapping | null,
  cliRelease: string | null,
  kernelFormat: (ReasonMapping & { kind: 'kernel-format-file' | 'btf' }) | null,
): { kernel: KernelInfo; warnings: string[] } {
  const { store, meta } = loaded;
  const headerRelease = typeof meta.osRelease === 'string' ? meta.osRelease : null;
  const { choice, unknownNames } = decodeNumericReasons(store, {
    embedded,
    kernelFormat,
    cliRelease,
    headerRelease,
  });
  const warnings = choice.warnings.map((warning) => `${loaded.file}: ${warning}`);
  const unknown = unknownReasonsWarning(loaded.file, unknownNames, choice.kernel.table);
  if (unknown) warnings.push(unknown);
  return { kernel: choice.kernel, warnings };
}
