/**
 * Exports of the current view: the active trace under exactly the filter the explorer shows
 * (chips, quick search and brushed range — the filter store's `spec`, printed as one expression
 * for the report). Desktop: the save dialog picks the file and the result names it; browser mode:
 * the server writes a private file and the page downloads it. Progress comes from the
 * `report:exportProgress` push event. One export at a time.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EXPORT_FORMAT_INFO, exportFileName, type ExportFormat } from '../../shared/model';
import { downloadUrl, errorMessage, type DropscopeApi } from '../services';
import { printWholeFilter } from './filterClauses';
import { EMPTY_TRACE_FILTER, type FilterStore } from './filterStore';
import type { SessionStore } from './sessionStore';
import { useStores } from './StoresContext';

/** An export being written. */
export interface ExportJob {
  readonly exportId: string;
  readonly format: ExportFormat;
  readonly traceName: string;
  readonly rows: number;
  readonly total: number;
}

/** A finished export. */
export interface ExportOutcome {
  readonly format: ExportFormat;
  readonly fileName: string;
  /** Where it was written (desktop: the chosen file). */
  readonly path: string;
  readonly bytes: number;
  readonly rows: number | null;
  /** Browser mode: where it is downloaded from; null on the desktop. */
  readonly downloadUrl: string | null;
}

/** The export store's state and actions. */
export interface ExportState {
  readonly job: ExportJob | null;
  readonly result: ExportOutcome | null;
  readonly error: string | null;
  /** Exports the active trace's current view as `format` (asks where first on the desktop). */
  exportView: (format: ExportFormat) => Promise<void>;
  /**
   * Saves every event of the active trace (a live capture) in Dropscope's own JSON lines, with
   * what the capture said about itself, whatever the view's filter.
   */
  saveCapture: () => Promise<void>;
  /** Hides the result or error. */
  dismiss: () => void;
}

/** An export store. */
export type ExportStore = StoreApi<ExportState>;

/** Services of the export store. */
export interface ExportStoreServices {
  api: DropscopeApi;
  session: SessionStore;
  filter: FilterStore;
  /** Starts a browser download (tests record it); an `<a download>` click by default. */
  download?: (url: string, fileName: string) => void;
}

/** Starts a download of `url` as `fileName` with a temporary link. */
export function clickDownload(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** Creates the export store and subscribes it to export progress. */
export function createExportStore(services: ExportStoreServices): ExportStore {
  const { api, session, filter } = services;
  const download = services.download ?? clickDownload;
  let nextId = 1;

  const store = createStore<ExportState>()((set, get) => {
    const run = async (format: ExportFormat, wholeTrace: boolean): Promise<void> => {
      if (get().job !== null) {
        set({ error: 'An export is already running; wait for it to finish.' });
        return;
      }
      const { activeTraceId, traces, appInfo } = session.getState();
      const trace = traces.find((info) => info.traceId === activeTraceId);
      if (!trace) {
        set({ error: 'Open a trace to export it.', result: null });
        return;
      }
      const view = wholeTrace
        ? EMPTY_TRACE_FILTER
        : (filter.getState().byTrace[trace.traceId] ?? EMPTY_TRACE_FILTER);
      const filterText =
        printWholeFilter(view.clauses, view.quickSearch, view.timeRange, trace.firstNs) || null;
      set({ result: null, error: null });
      try {
        const info = EXPORT_FORMAT_INFO[format];
        const path = await api.chooseSavePath(exportFileName(trace.name, format), info.extension);
        // On the desktop no path means the user cancelled; browser mode never has one.
        if (path === null && appInfo?.mode !== 'browser') return;
        const exportId = `export-${nextId++}`;
        set({ job: { exportId, format, traceName: trace.name, rows: 0, total: 0 } });
        const written = await api.exportView({
          traceId: trace.traceId,
          filter: view.spec,
          filterText,
          format,
          exportId,
          path,
        });
        const url = written.downloadId === null ? null : downloadUrl(written.downloadId);
        set({
          job: null,
          result: {
            format,
            fileName: written.fileName,
            path: written.path,
            bytes: written.bytes,
            rows: written.rows ?? null,
            downloadUrl: url,
          },
        });
        if (url !== null) download(url, written.fileName);
      } catch (error) {
        set({ job: null, error: `Export failed: ${errorMessage(error)}` });
      }
    };
    return {
      job: null,
      result: null,
      error: null,
      dismiss: () => set({ result: null, error: null }),
      exportView: (format) => run(format, false),
      saveCapture: () => run('jsonl', true),
    };
  });

  api.onExportProgress((progress) => {
    const job = store.getState().job;
    if (job && job.exportId === progress.exportId)
      store.setState({ job: { ...job, rows: progress.rows, total: progress.total } });
  });
  return store;
}

/** The running export, its result and its error. */
export function useExportStatus(): Pick<ExportState, 'job' | 'result' | 'error'> {
  return useStore(
    useStores().exports,
    useShallow((state) => ({ job: state.job, result: state.result, error: state.error })),
  );
}

/** The export store's actions. */
export function useExportActions(): Pick<ExportState, 'exportView' | 'saveCapture' | 'dismiss'> {
  return useStore(
    useStores().exports,
    useShallow((state) => ({
      exportView: state.exportView,
      saveCapture: state.saveCapture,
      dismiss: state.dismiss,
    })),
  );
}
