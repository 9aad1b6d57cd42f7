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
export { allReasonNames, Kallsyms, loadKernelFormatFile } from '../kernel';
export { Engine, EngineError } from './Engine';
export type { EngineChannel, PushSink } from './Engine';
export { InProcessEngineClient, WorkerEngineClient, SLOW_CALL_MS } from './EngineClient';
export type { EngineClient } from './EngineClient';
export { filterVocabulary } from './filterVocabulary';
