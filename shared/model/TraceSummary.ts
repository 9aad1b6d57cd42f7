/**
 * What Dropscope knows about one loaded trace: the `dropscope summary --json` object.
 */
import type { TraceFormatName } from './TraceFormat';

/** How the reason table was chosen, most trustworthy first. */
export type KernelTableSource =
  | 'embedded-format'
  | 'kernel-format-file'
  | 'btf'
  | 'trace-header'
  | 'cli-release'
  | 'best-guess'
  | 'none';

/** The kernel whose reason table decodes numbers, and how it was chosen. */
export interface KernelInfo {
  /** Kernel release as given or read (`6.18.44-fc-v595`); null when unknown. */
  release: string | null;
  /** Table used (`6.18.44`, `6.12`, or a description of a supplied format file); null when none. */
  table: string | null;
  /** Where the table came from. */
  source: KernelTableSource;
  /** Human explanation of the choice (shown next to the source). */
  detail: string;
}

/** A skipped input line with its reason. */
export interface SkippedLine {
  line: number;
  text: string;
  why: string;
}

/** Counts of lines that could not be read, with a few examples. */
export interface SkippedSummary {
  lines: number;
  examples: SkippedLine[];
}

/** What a trace said about itself (perf --header, tool banners …). All optional. */
export interface TraceMeta {
  hostname?: string;
  osRelease?: string;
  capturedOn?: string;
  cmdline?: string;
  perfVersion?: string;
  arch?: string;
  nrCpus?: number;
  /** Events the tracer itself says it lost; null when the format cannot know. */
  lost?: number | null;
  /** Anything else of note, as shown by the tool. */
  [key: string]: string | number | null | undefined;
}

/** Dropwatch summary lines: drops counted by the tool, not individual events. */
export interface Aggregates {
  drops: number;
  locations: Record<string, number>;
}

/** The summary of one trace. Reason names have no `SKB_DROP_REASON_` prefix. */
export interface TraceSummary {
  file: string;
  format: TraceFormatName;
  events: number;
  reasons: Record<string, number>;
  protocols: Record<string, number>;
  locations: Record<string, number>;
  kernel: KernelInfo;
  skipped: SkippedSummary;
  warnings: string[];
  aggregates: Aggregates;
  meta: TraceMeta;
  /** First and last event time in ns; null when the format has no timestamps. */
  firstNs: number | null;
  lastNs: number | null;
}
