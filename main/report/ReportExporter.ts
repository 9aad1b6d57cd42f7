/**
 * The contract of a data exporter: stream a selection of a store to a writable, in batches,
 * never building the whole output in memory.
 */
import type { Writable } from 'node:stream';
import type { NormalizedSource } from '../../shared/model';
import type { EventStore, Selection } from '../store';

/** What an exporter writes from. */
export interface ExportInput {
  store: EventStore;
  /** Event ids to write, in order. */
  selection: Selection;
  /** What the source said about itself (kept in the export's header). */
  source: NormalizedSource;
}

/** An exporter of one output format. */
export interface ReportExporter {
  /** The `--to` name (`csv`, `jsonl`). */
  readonly name: string;
  /** File extension, without the dot. */
  readonly extension: string;
  /**
   * Writes `input` to `out`, respecting backpressure; resolves when everything was handed to
   * `out` (the caller ends it). `onProgress` gets the rows written so far.
   */
  write(input: ExportInput, out: Writable, onProgress?: (rows: number) => void): Promise<void>;
}

/** Rows per write: big enough to amortise the call, small enough to keep memory flat. */
export const EXPORT_BATCH_ROWS = 4096;

/** Writes `text` and waits for `drain` when the stream's buffer is full. */
export async function writeWithBackpressure(out: Writable, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      out.off('error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      out.off('drain', onDrain);
      reject(error);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}
