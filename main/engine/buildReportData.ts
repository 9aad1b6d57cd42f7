/**
 * Assembles the plain data of a report (`ReportData`) for one loaded trace under one filter.
 *
 * Every figure comes from the store's queries through `TraceQueries` (the same selection and
 * counts as `summarizeTrace`, so the report's numbers equal `dropscope summary`'s; a test checks
 * it on every sample); reason explanations come
 * from `shared/reasons`. The result holds no typed arrays, so it can cross the engine worker
 * boundary and be rendered anywhere (`main/report`'s HTML, Markdown and PDF renderers).
 */
import type { Counts, FilterSpec } from '../../shared/model';
import { describeReason } from '../../shared/reasons';
import type { LoadedTrace } from '../ingest';
import {
  BREAKDOWN_CELLS,
  niceStep,
  REPORT_DROPSCOPE_VERSION,
  SIDE_TABLE_ROWS,
  TIMELINE_REASON_SERIES,
  TIMELINE_TARGET_BUCKETS,
  type ReportCount,
  type ReportData,
  type ReportReason,
  type ReportTimeline,
  type ReportTimelineSeries,
} from '../report';
import { TraceQueries, type Selection } from '../store';

/** What the store calls a missing value in counts. */
const NONE = '(none)';

/** Options of `buildReportData`. */
export interface BuildReportOptions {
  /** Queries of `trace.store` to reuse (their selection cache); a new facade when omitted. */
  queries?: TraceQueries;
  /** When the report is made (tests pin it); now when omitted. */
  generatedAt?: Date;
  /** Version written into the report; Dropscope's own when omitted. */
  dropscopeVersion?: string;
}

function withPercent(counts: Counts, events: number): ReportCount[] {
  return counts.entries.map((entry) => ({
    key: entry.key,
    count: entry.count,
    percent: events > 0 ? (100 * entry.count) / events : 0,
  }));
}

function reasonOf(name: string, count: number, events: number): ReportReason {
  const percent = events > 0 ? (100 * count) / events : 0;
  if (name === NONE) {
    return {
      name,
      count,
      percent,
      category: 'other',
      summary:
        'No drop reason was recorded: the kernel predates drop reasons (before 5.17) or the tracer did not print the reason field.',
      nextSteps:
        '`location` (and the callchain, if recorded) is the only clue: group by location. Capture on a 5.17+ kernel with `perf record -e skb:kfree_skb` to get reasons.',
      known: false,
    };
  }
  const info = describeReason(name);
  return {
    name,
    count,
    percent,
    category: info.category,
    summary: info.summary,
    nextSteps: info.nextSteps,
    known: info.known,
  };
}

/**
 * First and last timestamp of the selected events (as `summarizeTrace` finds them); null when
 * none has one. O(selection).
 */
function timeSpanOf(trace: LoadedTrace, selection: Selection): ReportData['span'] {
  const time = trace.store.columns.timeNs;
  let firstNs = Number.POSITIVE_INFINITY;
  let lastNs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < selection.length; i++) {
    const t = time.get(selection[i] as number);
    if (Number.isNaN(t)) continue;
    if (t < firstNs) firstNs = t;
    if (t > lastNs) lastNs = t;
  }
  return firstNs <= lastNs ? { firstNs, lastNs, durationNs: lastNs - firstNs } : null;
}

function textMeta(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function timelineOf(
  queries: TraceQueries,
  filter: FilterSpec,
  firstNs: number,
  durationNs: number,
): ReportTimeline {
  const bucketNs = Math.max(1, niceStep(durationNs / TIMELINE_TARGET_BUCKETS));
  // +1 so the last event (at exactly firstNs + durationNs) falls inside the last bucket.
  const buckets = Math.floor(durationNs / bucketNs) + 1;
  // Every reason as its own series first, so the remainder is known to be a remainder (the
  // store's own `maxSeries` names it `other`, which a reason could be called too).
  const histogram = queries.histogram({
    filter,
    startNs: firstNs,
    bucketNs,
    buckets,
    splitBy: 'reason',
    maxSeries: Number.MAX_SAFE_INTEGER,
  });
  const all = histogram.series;
  const keep = all.length > TIMELINE_REASON_SERIES + 1 ? TIMELINE_REASON_SERIES : all.length;
  const series: ReportTimelineSeries[] = all.slice(0, keep).map((s) => ({
    key: s.key,
    isOther: false,
    category: reasonOf(s.key, s.total, 0).category,
    total: s.total,
    counts: Array.from(s.counts),
  }));
  if (keep < all.length) {
    const counts = new Array<number>(buckets).fill(0);
    let total = 0;
    for (const s of all.slice(keep)) {
      total += s.total;
      for (let k = 0; k < buckets; k++) counts[k] = (counts[k] as number) + (s.counts[k] ?? 0);
    }
    series.push({ key: 'other', isOther: true, category: 'other', total, counts });
  }
  let peakBucketEvents = 0;
  for (let bucket = 0; bucket < buckets; bucket++) {
    let stacked = 0;
    for (const s of series) stacked += s.counts[bucket] ?? 0;
    peakBucketEvents = Math.max(peakBucketEvents, stacked);
  }
  return {
    startNs: firstNs,
    bucketNs,
    buckets,
    peakBucketEvents,
    series,
    outside: histogram.outside,
  };
}

/**
 * The report data of `trace`, counting only events that pass `filter`.
 *
 * `filterText` is the filter as the user wrote it (one display-filter expression), shown in the
 * report; null when unfiltered. O(events) per count query; runs on the engine's thread.
 */
export function buildReportData(
  trace: LoadedTrace,
  filter: FilterSpec,
  filterText: string | null,
  options: BuildReportOptions = {},
): ReportData {
  const queries = options.queries ?? new TraceQueries(trace.store);
  const selection = queries.select(filter);
  const events = selection.length;
  const span = timeSpanOf(trace, selection);
  const timeline = span ? timelineOf(queries, filter, span.firstNs, span.durationNs) : null;
  const cross = queries.crossCounts(filter, 'reason', 'location');
  const sourceFormat = textMeta(trace.meta.sourceFormat);
  const lost = trace.meta.lost;
  return {
    file: trace.file,
    format: trace.format,
    formatLabel: sourceFormat
      ? `${trace.formatLabel} (converted from ${sourceFormat})`
      : trace.formatLabel,
    kernel: trace.kernel,
    meta: {
      hostname: textMeta(trace.meta.hostname),
      captureCommand: textMeta(trace.meta.cmdline),
      capturedOn: textMeta(trace.meta.capturedOn),
      osRelease: textMeta(trace.meta.osRelease),
      lostEvents: typeof lost === 'number' ? lost : null,
    },
    span,
    totals: {
      events,
      eventsInTrace: trace.store.length,
      timedEvents: timeline ? events - timeline.outside : 0,
    },
    dropsPerSecond: span && span.durationNs > 0 ? events / (span.durationNs / 1e9) : null,
    timeline,
    reasons: queries
      .counts(filter, 'reason')
      .entries.map((entry) => reasonOf(entry.key, entry.count, events)),
    locations: withPercent(queries.counts(filter, 'location'), events),
    protocols: withPercent(queries.counts(filter, 'protocol', SIDE_TABLE_ROWS), events),
    comms: withPercent(queries.counts(filter, 'comm', SIDE_TABLE_ROWS), events),
    breakdown: {
      cells: cross.entries.slice(0, BREAKDOWN_CELLS).map((cell) => ({
        reason: cell.a,
        location: cell.b,
        count: cell.count,
        percent: events > 0 ? (100 * cell.count) / events : 0,
      })),
      totalCells: cross.entries.length,
    },
    skipped: trace.skipped,
    warnings: trace.warnings,
    filter: filterText,
    aggregates: trace.aggregates,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    dropscopeVersion: options.dropscopeVersion ?? REPORT_DROPSCOPE_VERSION,
  };
}
