/**
 * Composes the page's stores once, wiring what one store must tell another (a closed trace is
 * forgotten by the filter, selection and compare stores).
 */
import type { DropscopeApi, FilePathResolver, KeyValueStorage } from '../services';
import { createCaptureStore } from './captureStore';
import { createCompareStore } from './compareStore';
import { createExportStore } from './exportStore';
import { createFilterStore } from './filterStore';
import { createSelectionStore } from './selectionStore';
import { createSessionStore } from './sessionStore';
import type { Stores } from './StoresContext';
import { createViewStore } from './viewStore';

/** What the stores need. */
export interface StoreServices {
  api: DropscopeApi;
  resolveFilePath: FilePathResolver;
  /** Where layout and filter history are remembered (null: nowhere). */
  storage: KeyValueStorage | null;
  /** Starts a browser download of an export (tests record it). */
  download?: (url: string, fileName: string) => void;
  /** Passed to the session store (tests run flushes at once). */
  scheduleFlush?: (flush: () => void) => void;
}

/** Creates every store. */
export function createStores(services: StoreServices): Stores {
  const filter = createFilterStore({ storage: services.storage });
  const selection = createSelectionStore();
  const compare = createCompareStore(services.api);
  const view = createViewStore(services.storage);
  // Assigned right below; the session store tells it about closed traces.
  let captures: ReturnType<typeof createCaptureStore> | null = null;
  const session = createSessionStore({
    api: services.api,
    resolveFilePath: services.resolveFilePath,
    ...(services.scheduleFlush ? { scheduleFlush: services.scheduleFlush } : {}),
    onTraceChanged: (traceId, change) => {
      selection.getState().forgetTrace(traceId);
      if (change === 'closed') {
        filter.getState().forgetTrace(traceId);
        compare.getState().forgetTrace(traceId);
        captures?.getState().forgetTrace(traceId);
      }
    },
  });
  const exports = createExportStore({
    api: services.api,
    session,
    filter,
    ...(services.download ? { download: services.download } : {}),
  });
  captures = createCaptureStore({ api: services.api, session });
  return { session, filter, selection, view, compare, exports, captures };
}
