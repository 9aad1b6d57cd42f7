export { readTrace } from './readTrace';
export type { LoadedTrace, ReadTraceOptions } from './readTrace';
export { detectTraceFormat, formatDefinition, TRACE_FORMAT_DEFINITIONS } from './formats';
export type { Detection } from './formats';
export type { ParseSink, TraceParser, TraceFormatDefinition } from './TraceParser';
export type { Symbolizer } from './IngestSink';
export { LineSplitter } from './LineSplitter';
export { openTraceStream } from './openTraceStream';
export { BPFTRACE_RECOMMENDED_SCRIPT, BPFTRACE_RX_SK_SCRIPT } from './bpftraceScript';
