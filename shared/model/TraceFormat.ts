/**
 * The trace formats Dropscope reads, with the names users type after `--format`.
 */
export const TRACE_FORMATS = [
  'perf-script',
  'ftrace',
  'trace-cmd-report',
  'bpftrace',
  'dropwatch',
  'pwru',
  'retis',
  'dropscope-jsonl',
  'dropscope-csv',
  'perf-data',
  'trace-dat',
] as const;

/** A name of `TRACE_FORMATS`. */
export type TraceFormatName = (typeof TRACE_FORMATS)[number];

/** Tells whether a string names a supported format. */
export function isTraceFormatName(value: string): value is TraceFormatName {
  return (TRACE_FORMATS as readonly string[]).includes(value);
}
