/**
 * The one typed list of channels between the renderer and main, for both transports (Electron
 * IPC and browser-mode WebSocket). Request types are inferred from the zod schemas in
 * schemas.ts; response types are declared here. Names are `domain:verb`.
 */
import type { z } from 'zod';
import type {
  CaptureBackendsInfo,
  CaptureStatus,
  Counts,
  CrossCounts,
  DropRow,
  ExportFormat,
  KernelInfo,
  Page,
  SkippedSummary,
  TraceFormatName,
  TraceMeta,
  TraceStats,
  TraceSummary,
} from '../model';
import type { requestSchemas } from './schemas';

/** What the renderer knows about an open trace (no events: those stay in main). */
export interface TraceInfo {
  traceId: string;
  file: string;
  /** File name without folders, for tabs. */
  name: string;
  format: TraceFormatName;
  formatLabel: string;
  events: number;
  firstNs: number | null;
  lastNs: number | null;
  kernel: KernelInfo;
  meta: TraceMeta;
  skipped: SkippedSummary;
  warnings: string[];
  aggregates: { drops: number; locations: Record<string, number> };
  /** Whether any event carries a number that a kernel table decodes (the kernel picker matters). */
  hasNumericReasons: boolean;
  /** Whether any event has a callchain. */
  hasCallchains: boolean;
}

/** A histogram as it crosses the boundary (counts as plain arrays). */
export interface HistogramResult {
  startNs: number;
  bucketNs: number;
  buckets: number;
  series: { key: string; total: number; counts: number[] }[];
  outside: number;
}

/** One row of a comparison between two traces. */
export interface CompareRow {
  key: string;
  a: number;
  b: number;
  /** b - a. */
  delta: number;
}

/** Per-reason and per-location differences between two traces under one filter. */
export interface CompareResult {
  a: { traceId: string; name: string; events: number };
  b: { traceId: string; name: string; events: number };
  reasons: CompareRow[];
  locations: CompareRow[];
}

/** What the app is running as. */
export interface AppInfo {
  mode: 'desktop' | 'browser';
  version: string;
  /** Whether `trace:open` may be called with a path typed or chosen on this machine. */
  canOpenPaths: boolean;
  /** Files given on the command line (opened at start). */
  initialFiles: string[];
  /** Whether a bundled sample exists (`trace:openSample`). */
  hasSample: boolean;
  /** Whether live capture may be started from the UI (`capture:backends` says why not). */
  canCapture: boolean;
}

/** A kernel table the user can pick to re-decode. */
export interface KernelTableInfo {
  kernel: string;
  kind: string;
}

/** What an export wrote. */
export interface ExportResult {
  /** The file written (desktop: where the user chose; browser mode: a private file on the server). */
  path: string;
  bytes: number;
  /** Rows written (data exports); absent for reports. */
  rows?: number;
  /** Browser mode: the id to fetch the file with (`GET /api/download?id=…`); null on desktop. */
  downloadId: string | null;
  /** The file name to offer for the download. */
  fileName: string;
}

/** A live capture's status and the info of the trace it fills. */
export interface CaptureProgress {
  status: CaptureStatus;
  info: TraceInfo;
}

/** A command that exports the current view (`export-html`, `export-csv`, …). */
export type ExportMenuCommand = `export-${ExportFormat}`;

/** Response type of each channel. */
export interface ResponseTypes {
  'app:info': AppInfo;
  'app:recent': string[];
  'kernel:tables': KernelTableInfo[];
  'trace:open': TraceInfo;
  'trace:openSample': TraceInfo;
  'trace:list': TraceInfo[];
  'trace:close': null;
  'trace:cancel': null;
  'trace:summary': TraceSummary;
  'trace:page': Page;
  'trace:histogram': HistogramResult;
  'trace:counts': Counts;
  'trace:crossCounts': CrossCounts;
  'trace:packet': DropRow[];
  'trace:rawLine': string | null;
  'trace:redecode': TraceInfo;
  'trace:compare': CompareResult;
  'trace:stats': TraceStats;
  'report:export': ExportResult;
  'app:chooseSavePath': string | null;
  'capture:backends': CaptureBackendsInfo;
  'capture:start': CaptureProgress;
  'capture:stop': CaptureProgress;
  'capture:list': CaptureProgress[];
}

/** A channel name. */
export type Channel = keyof typeof requestSchemas & keyof ResponseTypes;

/** The request payload of a channel. */
export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;

/** The response of a channel. */
export type ResponseOf<C extends Channel> = ResponseTypes[C];

/** Push events from main to the renderer, by name. */
export interface PushEvents {
  /** Progress of a load (also sent once with `done: true`). */
  'trace:loadProgress': {
    loadId: string;
    file: string;
    bytesRead: number;
    totalBytes: number;
    events: number;
    done: boolean;
  };
  /**
   * A command chosen in the desktop app's menu, for the renderer to carry out (browser mode never
   * sends it). `open-files`: open these paths (File > Open…, Open Recent, files passed to a second
   * launch); `open-sample`: open the bundled sample; `close-tab`: close the active trace; `find`:
   * focus the filter bar; `record`: open the Record dialog; `export-FORMAT` (File > Export): export the current view as FORMAT.
   */
  'app:menu':
    | { command: 'open-files'; paths: string[] }
    | { command: 'open-sample' }
    | { command: 'close-tab' }
    | { command: 'find' }
    | { command: 'record' }
    | { command: ExportMenuCommand };
  /** Progress of a `report:export` (rows written of `total`; sent once more with `done: true`). */
  'report:exportProgress': { exportId: string; rows: number; total: number; done: boolean };
  /**
   * A live capture's status with its trace's info (event count, time bounds), at most a few
   * times a second while it records and once more when it ends. Events themselves never travel
   * here: the renderer pulls pages, histograms and counts of the trace as it wants them, so a
   * slow page cannot fall behind a fast capture (flow control by pulling).
   */
  'capture:progress': CaptureProgress;
}

/** A push event name. */
export type PushEvent = keyof PushEvents;

/** A contract call's failure as it crosses a boundary: a message for the user. */
export interface ContractError {
  message: string;
}

/**
 * The client side of the contract, implemented by each transport (IPC in Electron, WebSocket in
 * browser mode).
 */
export interface ContractClient {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  subscribe<E extends PushEvent>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}

/** What the Electron preload exposes as `window.bridge` (built from the channel list). */
export interface RendererBridge {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Absolute path of a dropped File (Electron's webUtils), or '' when none. */
  pathForFile(file: unknown): string;
}
