/**
 * Capture statistics of one trace under a filter (what `dropscope stats` prints and the app's
 * Capture info shows, like capinfos). Computed by main/engine/computeStats.ts.
 */

/** One CPU's share of the events. */
export interface CpuStats {
  events: number;
  /** First and last event time of this CPU, seconds on the tracer clock. */
  first: number | null;
  last: number | null;
}

/** A stretch without events much longer than the usual interval. */
export interface Gap {
  start: number;
  end: number;
  seconds: number;
}

/** The `dropscope stats --json` object of one file. Times are seconds on the tracer clock. */
export interface TraceStats {
  file: string;
  format: string;
  kernel: { release: string | null; table: string | null; source: string };
  host: string | null;
  command: string | null;
  events: number;
  first: number | null;
  last: number | null;
  duration_s: number | null;
  rate: { mean_per_s: number | null; peak_per_s: number | null };
  cpus: Record<string, number>;
  cpu_spans: Record<string, CpuStats>;
  /** Events the tracer says it lost; null when the format cannot know. */
  lost: number | null;
  gaps: Gap[];
  /** The interval a gap is measured against: max(1 s, 100 × median interval). */
  gap_threshold_s: number | null;
  skipped: number;
  filter: string | null;
}
