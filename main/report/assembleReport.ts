/**
 * Joins the report data of one or several traces into the document the renderers draw.
 */
import type { CombinedCount, ReportCount, ReportData, ReportDocument } from './ReportData';

function combine(
  traces: readonly ReportData[],
  listOf: (trace: ReportData) => readonly ReportCount[],
  events: number,
): CombinedCount[] {
  const byKey = new Map<string, CombinedCount>();
  traces.forEach((trace, index) => {
    for (const entry of listOf(trace)) {
      let combined = byKey.get(entry.key);
      if (!combined) {
        combined = { key: entry.key, count: 0, percent: 0, perTrace: traces.map(() => 0) };
        byKey.set(entry.key, combined);
      }
      combined.count += entry.count;
      combined.perTrace[index] = entry.count;
    }
  });
  const list = [...byKey.values()];
  for (const entry of list) entry.percent = events > 0 ? (100 * entry.count) / events : 0;
  // Same order as the store's counts: largest first, ties by key.
  list.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return list;
}

/**
 * The document of a report over `traces` (at least one), all made under the same filter.
 *
 * Combined reason and location counts are sums of each trace's complete lists, so they are
 * exact. O(reasons + locations).
 */
export function assembleReport(traces: readonly ReportData[], title?: string): ReportDocument {
  const first = traces[0];
  if (!first) throw new RangeError('a report needs at least one trace');
  const events = traces.reduce((sum, trace) => sum + trace.totals.events, 0);
  const defaultTitle =
    traces.length === 1
      ? `Packet drops in ${baseName(first.file)}`
      : `Packet drops in ${traces.length} traces`;
  return {
    title: title?.trim() || defaultTitle,
    generatedAt: first.generatedAt,
    dropscopeVersion: first.dropscopeVersion,
    filter: first.filter,
    traces: [...traces],
    combined: {
      events,
      reasons: combine(
        traces,
        (trace) => trace.reasons.map((r) => ({ key: r.name, count: r.count, percent: r.percent })),
        events,
      ),
      locations: combine(traces, (trace) => trace.locations, events),
    },
  };
}

/** The last path segment of a file name (either slash). */
export function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}
