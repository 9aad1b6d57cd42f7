/**
 * Typed calls of the contract, named for what the UI does with them, over any `ContractClient`.
 *
 * Thin on purpose: one method per channel the renderer uses, no caching (panels and stores decide
 * what to keep). Stores receive a `DropscopeApi` so that tests can pass one built on a fake client.
 */
import {
  DOWNLOAD_PATH,
  type AppInfo,
  type CaptureProgress,
  type CompareResult,
  type ContractClient,
  type ExportResult,
  type HistogramResult,
  type KernelTableInfo,
  type PushEvents,
  type RequestOf,
  type TraceInfo,
} from '../../shared/contract';
import type {
  CaptureBackendsInfo,
  Counts,
  CrossCounts,
  DropRow,
  EventField,
  FilterSpec,
  ExportFormat,
  Page,
  SortSpec,
  TraceStats,
} from '../../shared/model';

/** What the renderer asks `report:export` for. */
export interface ExportRequest {
  traceId: string;
  filter: FilterSpec;
  filterText: string | null;
  format: ExportFormat;
  exportId: string;
  /** Desktop: the file the user chose; null in browser mode (the server offers a download). */
  path: string | null;
}

/** What the renderer asks `capture:start` for. */
export type StartCaptureRequest = RequestOf<'capture:start'>;

/** The contract as the renderer uses it. */
export interface DropscopeApi {
  /** The client underneath (for panels that take one, like the timeline). */
  readonly client: ContractClient;
  appInfo: () => Promise<AppInfo>;
  recentFiles: () => Promise<string[]>;
  kernelTables: () => Promise<KernelTableInfo[]>;
  openTrace(path: string, loadId: string): Promise<TraceInfo>;
  openSample: () => Promise<TraceInfo>;
  listTraces: () => Promise<TraceInfo[]>;
  closeTrace(traceId: string): Promise<void>;
  cancelLoad(loadId: string): Promise<void>;
  /** Rows `[start, end)` of the filtered, sorted view and the view's total. */
  page(
    traceId: string,
    filter: FilterSpec,
    sort: SortSpec | null,
    start: number,
    end: number,
  ): Promise<Page>;
  histogram(
    traceId: string,
    filter: FilterSpec,
    startNs: number,
    bucketNs: number,
    buckets: number,
    splitBy: EventField | null,
  ): Promise<HistogramResult>;
  counts(traceId: string, filter: FilterSpec, field: EventField, limit?: number): Promise<Counts>;
  crossCounts(
    traceId: string,
    filter: FilterSpec,
    fieldA: EventField,
    fieldB: EventField,
    limit?: number,
  ): Promise<CrossCounts>;
  /** Every event of one skbaddr, in time order. */
  packet(traceId: string, skbaddr: string): Promise<DropRow[]>;
  /** The source line of an event, or null when the format has no text lines. */
  rawLine(traceId: string, line: number): Promise<string | null>;
  redecode(traceId: string, kernel: string | null): Promise<TraceInfo>;
  compare(a: string, b: string, filter: FilterSpec): Promise<CompareResult>;
  /** Capture statistics (capinfos-like) under a filter. */
  stats(traceId: string, filter: FilterSpec): Promise<TraceStats>;
  /** Writes an export of a view; see `ExportRequest`. */
  exportView(request: ExportRequest): Promise<ExportResult>;
  /** Desktop: asks where to save; null when cancelled or in browser mode. */
  chooseSavePath(defaultName: string, extension: string): Promise<string | null>;
  onExportProgress(listener: (progress: PushEvents['report:exportProgress']) => void): () => void;
  /** Live capture: the backends of this machine and whether the UI may capture. */
  captureBackends: () => Promise<CaptureBackendsInfo>;
  /** Starts a live capture into a new trace. */
  startCapture(request: StartCaptureRequest): Promise<CaptureProgress>;
  stopCapture(captureId: string): Promise<CaptureProgress>;
  listCaptures: () => Promise<CaptureProgress[]>;
  onCaptureProgress(listener: (progress: CaptureProgress) => void): () => void;
  onLoadProgress(listener: (progress: PushEvents['trace:loadProgress']) => void): () => void;
  /** Commands from the desktop app's menu (never sent in browser mode). */
  onMenuCommand(listener: (command: PushEvents['app:menu']) => void): () => void;
}

/** Builds the typed calls over `client`. */
export function createDropscopeApi(client: ContractClient): DropscopeApi {
  return {
    client,
    appInfo: () => client.call('app:info', {}),
    recentFiles: () => client.call('app:recent', {}),
    kernelTables: () => client.call('kernel:tables', {}),
    openTrace: (path, loadId) => client.call('trace:open', { path, loadId }),
    openSample: () => client.call('trace:openSample', {}),
    listTraces: () => client.call('trace:list', {}),
    closeTrace: async (traceId) => {
      await client.call('trace:close', { traceId });
    },
    cancelLoad: async (loadId) => {
      await client.call('trace:cancel', { loadId });
    },
    page: (traceId, filter, sort, start, end) =>
      client.call('trace:page', { traceId, filter: toWire(filter), sort, start, end }),
    histogram: (traceId, filter, startNs, bucketNs, buckets, splitBy) =>
      client.call('trace:histogram', {
        traceId,
        filter: toWire(filter),
        startNs,
        bucketNs,
        buckets,
        splitBy,
      }),
    counts: (traceId, filter, field, limit) =>
      client.call('trace:counts', { traceId, filter: toWire(filter), field, limit }),
    crossCounts: (traceId, filter, fieldA, fieldB, limit) =>
      client.call('trace:crossCounts', { traceId, filter: toWire(filter), fieldA, fieldB, limit }),
    packet: (traceId, skbaddr) => client.call('trace:packet', { traceId, skbaddr }),
    rawLine: (traceId, line) => client.call('trace:rawLine', { traceId, line }),
    redecode: (traceId, kernel) => client.call('trace:redecode', { traceId, kernel }),
    compare: (a, b, filter) => client.call('trace:compare', { a, b, filter: toWire(filter) }),
    stats: (traceId, filter) => client.call('trace:stats', { traceId, filter: toWire(filter) }),
    exportView: (request) =>
      client.call('report:export', { ...request, filter: toWire(request.filter) }),
    chooseSavePath: (defaultName, extension) =>
      client.call('app:chooseSavePath', { defaultName, extension }),
    onExportProgress: (listener) => client.subscribe('report:exportProgress', listener),
    captureBackends: () => client.call('capture:backends', {}),
    startCapture: (request) => client.call('capture:start', request),
    stopCapture: (captureId) => client.call('capture:stop', { captureId }),
    listCaptures: () => client.call('capture:list', {}),
    onCaptureProgress: (listener) => client.subscribe('capture:progress', listener),
    onLoadProgress: (listener) => client.subscribe('trace:loadProgress', listener),
    onMenuCommand: (listener) => client.subscribe('app:menu', listener),
  };
}

/**
 * The filter as the contract's schema types it (its `FilterExpr` arrays are mutable; ours are
 * readonly). Same value, no copy.
 */
function toWire(filter: FilterSpec): WireFilter {
  return filter as WireFilter;
}

/** A filter as the contract's request schema infers it. */
type WireFilter = RequestOf<'trace:page'>['filter'];

/** The URL a browser-mode export is downloaded from (the token cookie goes with it). */
export function downloadUrl(downloadId: string): string {
  return `${DOWNLOAD_PATH}?id=${encodeURIComponent(downloadId)}`;
}

/** A user-facing message for a failed call. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'something went wrong';
}
