/**
 * The plain data a report is rendered from.
 *
 * `main/engine` assembles one `ReportData` per loaded trace from the store's queries
 * (`buildReportData`); `assembleReport` joins them into a `ReportDocument`; the HTML, Markdown
 * and PDF renderers only format what is here. Every figure comes from a store query — renderers
 * never count, they only divide for percentages. Plain JSON-safe values throughout (no typed
 * arrays), so the object can cross the engine worker boundary and IPC unchanged.
 */
import type { Aggregates, KernelInfo, SkippedSummary, TraceFormatName } from '../../shared/model';
import type { ReasonCategory } from '../../shared/reasons';

/** Target number of timeline buckets; the bucket width is rounded to 1, 2 or 5 × 10^n ns. */
export const TIMELINE_TARGET_BUCKETS = 120;
/** Reasons drawn as their own timeline series; the rest are summed as `other`. */
export const TIMELINE_REASON_SERIES = 8;
/** Reason × location cells kept per trace (largest first). */
export const BREAKDOWN_CELLS = 50;
/** Values kept for the small protocol and task (comm) tables. */
export const SIDE_TABLE_ROWS = 10;
/** The Dropscope version written into reports (the one the CLI prints). */
export { DROPSCOPE_VERSION as REPORT_DROPSCOPE_VERSION } from '../../shared/model';

/** One value of a field with its event count and share of the trace's (filtered) events. */
export interface ReportCount {
  key: string;
  count: number;
  /** `100 * count / events`; 0 when there are no events. */
  percent: number;
}

/** One reason present in the trace, with what it means and what to check next. */
export interface ReportReason {
  /** Reason name as the store holds it (`NO_SOCKET`, `SUBSYS:NAME`, `UNKNOWN(n)`, `(none)`). */
  name: string;
  count: number;
  percent: number;
  category: ReasonCategory;
  /** One line: what the drop means (`describeReason`). */
  summary: string;
  /** What to check next (`describeReason`). */
  nextSteps: string;
  /** Whether Dropscope's catalogue knows the name. */
  known: boolean;
}

/** One series of the timeline: events per bucket for one reason (or `other`). */
export interface ReportTimelineSeries {
  /** Reason name, or `other` for the sum of the reasons beyond the top series. */
  key: string;
  /** Whether this is the `other` remainder rather than a reason. */
  isOther: boolean;
  category: ReasonCategory;
  total: number;
  /** `counts[i]`: events in bucket i. */
  counts: number[];
}

/** Drops over time, stacked by reason. */
export interface ReportTimeline {
  /** Tracer-clock time of the first bucket's start (the first event). */
  startNs: number;
  bucketNs: number;
  buckets: number;
  /** Largest number of events in one bucket (all series stacked). */
  peakBucketEvents: number;
  series: ReportTimelineSeries[];
  /** Filtered events not drawn (no timestamp). */
  outside: number;
}

/** One reason × location cell. */
export interface ReportBreakdownCell {
  reason: string;
  location: string;
  count: number;
  percent: number;
}

/** The report data of one trace under one filter. */
export interface ReportData {
  /** The path as given. */
  file: string;
  format: TraceFormatName;
  /** Human name of the format (`perf script text`). */
  formatLabel: string;
  kernel: KernelInfo;
  /** What the trace said about where it was captured; null when it did not say. */
  meta: {
    hostname: string | null;
    captureCommand: string | null;
    capturedOn: string | null;
    osRelease: string | null;
    /** Events the tracer itself reported lost; null when unknown. */
    lostEvents: number | null;
  };
  /** First and last filtered event, tracer clock; null when the format has no timestamps. */
  span: { firstNs: number; lastNs: number; durationNs: number } | null;
  totals: {
    /** Events passing the filter. */
    events: number;
    /** Events in the trace before filtering. */
    eventsInTrace: number;
    /** Filtered events that carry a timestamp. */
    timedEvents: number;
  };
  /** Filtered events per second of span; null without a span longer than zero. */
  dropsPerSecond: number | null;
  timeline: ReportTimeline | null;
  /** Every reason present, largest first. */
  reasons: ReportReason[];
  /** Every location present, largest first (`(none)` when the tracer gave none). */
  locations: ReportCount[];
  /** Top protocols (ethertype names), largest first. */
  protocols: ReportCount[];
  /** Top tasks (comm) on the CPU at the drop, largest first. */
  comms: ReportCount[];
  breakdown: {
    /** The largest `BREAKDOWN_CELLS` cells. */
    cells: ReportBreakdownCell[];
    /** Non-empty cells in all. */
    totalCells: number;
  };
  skipped: SkippedSummary;
  warnings: string[];
  /** The filter as one display-filter expression; null when unfiltered. */
  filter: string | null;
  /** Dropwatch summary lines: tool-side counts, not events. */
  aggregates: Aggregates;
  /** ISO 8601 time the data was assembled. */
  generatedAt: string;
  dropscopeVersion: string;
}

/** A reason or location summed over every trace of a report, with its count per trace. */
export interface CombinedCount {
  key: string;
  count: number;
  percent: number;
  /** Count in each trace, in `ReportDocument.traces` order. */
  perTrace: number[];
}

/** What renderers draw: one or several traces under one filter. */
export interface ReportDocument {
  title: string;
  generatedAt: string;
  dropscopeVersion: string;
  filter: string | null;
  traces: ReportData[];
  combined: {
    events: number;
    /** Every reason present in any trace, largest first. */
    reasons: CombinedCount[];
    /** Every location present in any trace, largest first. */
    locations: CombinedCount[];
  };
}
