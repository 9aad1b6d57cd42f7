/**
 * The engine room's public surface: loading traces, summarising and exporting them, and the
 * store's query facade. The CLI and the app compose these; nothing here imports electron.
 */
export { summarizeTrace, normalizedSourceOf } from './summarizeTrace';
export { computeStats } from './computeStats';
export type { TraceStats, CpuStats, Gap } from './computeStats';
export { readTrace, TRACE_FORMAT_DEFINITIONS } from '../ingest';
export type { LoadedTrace, ReadTraceOptions } from '../ingest';
export { TraceQueries } from '../store';
export type { Selection } from '../store';
export { exporterFor, DATA_EXPORTERS, normalizedRecord } from '../report';
export { buildReportData } from './buildReportData';
export type { BuildReportOptions } from './buildReportData';
export {
  assembleReport,
  chromiumHtmlToPdf,
  findChromium,
  HtmlReportRenderer,
  MarkdownReportRenderer,
  PdfReportRenderer,
  REPORT_FORMATS,
  reportFormatOfFile,
} from '../report';
export type {
  HtmlToPdf,
  ReportData,
  ReportDocument,
  ReportFormat,
  ReportRenderer,
} from '../report';
export { allReasonNames, Kallsyms, loadKernelFormatFile } from '../kernel';
export { Engine, EngineError } from './Engine';
export type { EngineChannel, EngineOptions, PushSink } from './Engine';
export { LiveCaptureError } from './LiveCaptures';
export type { LiveCaptureOptions } from './LiveCaptures';
export { InProcessEngineClient, WorkerEngineClient, SLOW_CALL_MS } from './EngineClient';
export type { EngineClient } from './EngineClient';
export { filterVocabulary } from './filterVocabulary';
export { captureContext } from './captureContext';
// Live capture (backends, helper, what a capture writes) for the CLI and, later, the app.
export * from '../capture';
