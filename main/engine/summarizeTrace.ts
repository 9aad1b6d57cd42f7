/**
 * Builds the `TraceSummary` of a loaded trace (what `dropscope summary --json` prints) from the
 * store's counts under an optional filter.
 */
import type { FilterSpec, NormalizedSource, TraceSummary } from '../../shared/model';
import type { LoadedTrace } from '../ingest';
import { TraceQueries, type Selection } from '../store';

function toRecord(entries: { key: string; count: number }[]): Record<string, number> {
  const record: Record<string, number> = {};
  for (const entry of entries) record[entry.key] = entry.count;
  return record;
}

/** The summary of `trace`, counting only events that pass `filter` (all when omitted). */
export function summarizeTrace(
  trace: LoadedTrace,
  filter: FilterSpec = {},
  queries = new TraceQueries(trace.store),
): TraceSummary {
  const selection: Selection = queries.select(filter);
  const store = trace.store;
  let firstNs: number | null = null;
  let lastNs: number | null = null;
  const time = store.columns.timeNs;
  for (let i = 0; i < selection.length; i++) {
    const t = time.get(selection[i] as number);
    if (Number.isNaN(t)) continue;
    if (firstNs === null || t < firstNs) firstNs = t;
    if (lastNs === null || t > lastNs) lastNs = t;
  }
  return {
    file: trace.file,
    format: trace.format,
    events: selection.length,
    reasons: toRecord(queries.counts(filter, 'reason').entries),
    protocols: toRecord(queries.counts(filter, 'protocol').entries),
    locations: toRecord(queries.counts(filter, 'location').entries),
    kernel: trace.kernel,
    skipped: trace.skipped,
    warnings: trace.warnings,
    aggregates: trace.aggregates,
    meta: trace.meta,
    firstNs,
    lastNs,
  };
}

/** What a normalized export of `trace` says about its source. */
export function normalizedSourceOf(trace: LoadedTrace, filter: string | null): NormalizedSource {
  const carriedFormat = trace.meta.sourceFormat;
  return {
    file: typeof trace.meta.sourceFile === 'string' ? trace.meta.sourceFile : trace.file,
    format:
      (trace.format === 'dropscope-jsonl' || trace.format === 'dropscope-csv') &&
      typeof carriedFormat === 'string'
        ? (carriedFormat as NormalizedSource['format'])
        : trace.format,
    kernel: trace.kernel,
    meta: trace.meta,
    skippedLines:
      trace.skipped.lines +
      (typeof trace.meta.sourceSkippedLines === 'number' ? trace.meta.sourceSkippedLines : 0),
    warnings: trace.warnings,
    aggregates: trace.aggregates,
    filter,
  };
}
