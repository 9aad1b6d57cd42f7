/**
 * What a binary trace reader (perf.data, trace.dat) gets from `readBinaryTrace` and what it
 * gives back. The reader fills the store through `sink` and reports warnings and metadata there.
 */
import type { Symbolizer } from '../IngestSink';
import type { ParseSink } from '../TraceParser';
import type { MachineKernel } from './KernelSymbols';
import type { BinaryFile } from './BinaryFile';

/** Inputs of one binary read. */
export interface BinaryReadContext {
  /** The path as given (names the file in messages). */
  path: string;
  file: BinaryFile;
  sink: ParseSink;
  /** `--kallsyms`: wins over any other symbol table. */
  userSymbolize: Symbolizer | null;
  /** Modification time of the file on disk (the capture date when the trace has none). */
  modifiedAt: Date | null;
  /** The running machine (tests pass a fake). */
  machine?: MachineKernel;
  /** Called every few MB with the bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

/** How a binary read ended (the events are in the sink). */
export interface BinaryReadOutcome {
  /** Records (perf) or ring-buffer events (trace.dat) read. */
  records: number;
  cancelled: boolean;
}

/** Bytes between progress reports. */
export const PROGRESS_EVERY_BYTES = 4 << 20;
