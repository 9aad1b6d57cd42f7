/**
 * Dropscope's own normalized trace format (JSON lines and CSV): column names and the header.
 *
 * Written by `dropscope convert` and the exporters, read back by the `dropscope-jsonl` and
 * `dropscope-csv` parsers, so a converted file keeps every event and what the source said about
 * itself (format, kernel and decoding source, host, capture command, skipped lines).
 */
import type { Aggregates, KernelInfo, TraceMeta } from './TraceSummary';
import type { TraceFormatName } from './TraceFormat';

/** Version of the normalized format. */
export const NORMALIZED_VERSION = 1;

/** The columns, in CSV order; JSON lines use the same keys. */
export const NORMALIZED_COLUMNS = [
  'time_ns',
  'cpu',
  'pid',
  'comm',
  'skbaddr',
  'rx_sk',
  'protocol',
  'protocol_name',
  'location',
  'reason',
  'reason_value',
  'reason_source',
  'line',
  'callchain',
  'extra',
] as const;

/** What the source of a normalized file said about itself. */
export interface NormalizedSource {
  file: string;
  format: TraceFormatName;
  kernel: KernelInfo;
  meta: TraceMeta;
  skippedLines: number;
  warnings: string[];
  aggregates: Aggregates;
  /** The filter expression the file was cut with, when any. */
  filter: string | null;
}

/** The first line (JSON lines) or the `# dropscope:` comment (CSV) of a normalized file. */
export interface NormalizedHeader {
  dropscope: typeof NORMALIZED_VERSION;
  source: NormalizedSource;
}

/** Separator of callchain frames inside one CSV cell. */
export const CALLCHAIN_SEPARATOR = ' | ';
