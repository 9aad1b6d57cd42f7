/**
 * Capture statistics of a loaded trace (what `dropscope stats` prints, like capinfos): time span,
 * rates, per-CPU counts and spans, lost events as the tracer recorded them, gaps, skipped lines.
 */
import type { CpuStats, FilterSpec, Gap, TraceStats } from '../../shared/model';
import type { LoadedTrace } from '../ingest';
import { TraceQueries } from '../store';

export type { CpuStats, Gap, TraceStats };

const MAX_GAPS = 100;

/** Computes the statistics of `trace` under `filter`. O(n log n) when time is unsorted, else O(n). */
export function computeStats(
  trace: LoadedTrace,
  filter: FilterSpec = {},
  filterText: string | null = null,
): TraceStats {
  const queries = new TraceQueries(trace.store);
  const selection = queries.select(filter);
  const time = trace.store.columns.timeNs;
  const cpu = trace.store.columns.cpu;
  const times: number[] = [];
  const perCpu = new Map<number, CpuStats>();
  for (let i = 0; i < selection.length; i++) {
    const event = selection[i] as number;
    const t = time.get(event);
    const c = cpu.get(event);
    if (c >= 0) {
      let stats = perCpu.get(c);
      if (!stats) perCpu.set(c, (stats = { events: 0, first: null, last: null }));
      stats.events++;
      if (!Number.isNaN(t)) {
        const s = t / 1e9;
        if (stats.first === null || s < stats.first) stats.first = s;
        if (stats.last === null || s > stats.last) stats.last = s;
      }
    }
    if (!Number.isNaN(t)) times.push(t);
  }
  if (!trace.store.isTimeSorted) times.sort((a, b) => a - b);
  const first = times.length ? (times[0] as number) : null;
  const last = times.length ? (times[times.length - 1] as number) : null;
  const durationNs = first !== null && last !== null ? last - first : null;
  // Peak: the most events in any one-second window (two pointers over sorted times).
  let peak: number | null = times.length ? 0 : null;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= 1e9) lo++;
    peak = Math.max(peak ?? 0, hi - lo + 1);
  }
  const intervals: number[] = [];
  for (let i = 1; i < times.length; i++)
    intervals.push((times[i] as number) - (times[i - 1] as number));
  const sorted = [...intervals].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : null;
  const threshold = median === null ? null : Math.max(1e9, 100 * median);
  const gaps: Gap[] = [];
  if (threshold !== null) {
    for (let i = 1; i < times.length && gaps.length < MAX_GAPS; i++) {
      const start = times[i - 1] as number;
      const end = times[i] as number;
      if (end - start > threshold)
        gaps.push({ start: start / 1e9, end: end / 1e9, seconds: (end - start) / 1e9 });
    }
  }
  const cpus: Record<string, number> = {};
  const spans: Record<string, CpuStats> = {};
  for (const [id, stats] of [...perCpu].sort((a, b) => a[0] - b[0])) {
    cpus[String(id)] = stats.events;
    spans[String(id)] = stats;
  }
  const meta = trace.meta;
  const lost = typeof meta.lost === 'number' ? meta.lost : null;
  return {
    file: trace.file,
    format: trace.format,
    kernel: {
      release: trace.kernel.release,
      table: trace.kernel.table,
      source: trace.kernel.source,
    },
    host: typeof meta.hostname === 'string' ? meta.hostname : null,
    command: typeof meta.cmdline === 'string' ? meta.cmdline : null,
    events: selection.length,
    first: first === null ? null : first / 1e9,
    last: last === null ? null : last / 1e9,
    duration_s: durationNs === null ? null : durationNs / 1e9,
    rate: {
      mean_per_s: durationNs && durationNs > 0 ? selection.length / (durationNs / 1e9) : null,
      peak_per_s: peak,
    },
    cpus,
    cpu_spans: spans,
    lost,
    gaps,
    gap_threshold_s: threshold === null ? null : threshold / 1e9,
    skipped: trace.skipped.lines,
    filter: filterText,
  };
}
