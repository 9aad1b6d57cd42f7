/**
 * The renderer's composition root: picks the transport, builds the typed API and the stores
 * once, and lays out the window — top bar, loads, the welcome screen or the active trace's
 * workspace — with the shortcuts, file drop and theme wired at the top.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ExportFormat } from '../../shared/model';
import { RecordDialog } from '../panels/capture';
import { QUICK_SEARCH_INPUT_ID } from '../panels/grid';
import {
  ApiProvider,
  browserStorage,
  createDropscopeApi,
  createFilePathResolver,
  createTransport,
  findBridge,
  type ContractTransport,
  type DropscopeApi,
  type KeyValueStorage,
} from '../services';
import {
  StoresProvider,
  createStores,
  useActiveTrace,
  useSessionActions,
  useStores,
  useViewActions,
  type Stores,
} from '../state';
import { ErrorBoundary } from './ErrorBoundary';
import { ExportStatus } from './ExportMenu';
import { LoadProgressList, MessageList } from './StatusArea';
import { TopBar } from './TopBar';
import { TraceWorkspace } from './TraceWorkspace';
import { useFileDrop } from './useFileDrop';
import { useShortcuts } from './useShortcuts';
import { useSystemTheme } from './useSystemTheme';
import { WelcomeScreen } from './WelcomeScreen';

/** Props of the app (tests inject a transport and storage; the page uses the defaults). */
export interface AppProps {
  transport?: ContractTransport;
  storage?: KeyValueStorage | null;
}

interface Composition {
  transport: ContractTransport;
  api: DropscopeApi;
  stores: Stores;
}

function compose(props: AppProps): Composition {
  const transport = props.transport ?? createTransport();
  const api = createDropscopeApi(transport);
  const stores = createStores({
    api,
    resolveFilePath: createFilePathResolver(findBridge(window)),
    storage: props.storage === undefined ? browserStorage() : props.storage,
  });
  return { transport, api, stores };
}

/** The whole UI. */
export function App(props: AppProps) {
  const [{ transport, api, stores }] = useState(() => compose(props));
  return (
    <ErrorBoundary area="Dropscope">
      <ApiProvider api={api}>
        <StoresProvider stores={stores}>
          <AppLayout transport={transport} api={api} />
        </StoresProvider>
      </ApiProvider>
    </ErrorBoundary>
  );
}

/** Focuses an input by id on the next frame (after a view switch rendered it). */
function focusSoon(id: string): void {
  requestAnimationFrame(() => {
    const input = document.getElementById(id);
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
  });
}

/**
 * Zooms the timeline as its own `+`/`-` keys do (the panel owns its viewport; the keys are its
 * interface).
 */
function zoomTimeline(direction: 'in' | 'out'): void {
  const canvas = document.querySelector('[data-testid="timeline-canvas"]');
  canvas?.dispatchEvent(
    new KeyboardEvent('keydown', {
      key: direction === 'in' ? '+' : '-',
      bubbles: true,
      cancelable: true,
    }),
  );
}

function AppLayout({ transport, api }: { transport: ContractTransport; api: DropscopeApi }) {
  const stores = useStores();
  const activeTrace = useActiveTrace();
  const { openFiles, openPath, openSample, closeTrace, initialize } = useSessionActions();
  const { setMainView } = useViewActions();
  const fileInput = useRef<HTMLInputElement>(null);
  const connection = useSyncExternalStore(
    (listener) => transport.onStatus(listener),
    () => transport.status(),
  );
  useSystemTheme();

  const [isRecordOpen, setRecordOpen] = useState(false);
  const openRecord = useCallback(() => setRecordOpen(true), []);

  useEffect(() => {
    // Captures main already runs (a reloaded page) are adopted once their tabs are known.
    void initialize().then(() => stores.captures.getState().initialize());
  }, [initialize, stores]);

  const openPicker = useCallback(() => fileInput.current?.click(), []);
  const find = useCallback(() => {
    if (stores.session.getState().activeTraceId === null) return;
    setMainView('explorer');
    focusSoon(QUICK_SEARCH_INPUT_ID);
  }, [stores, setMainView]);

  // Commands from the desktop menu.
  useEffect(
    () =>
      api.onMenuCommand((command) => {
        switch (command.command) {
          case 'open-files':
            void (async () => {
              for (const path of command.paths) await openPath(path);
            })();
            break;
          case 'open-sample':
            void openSample();
            break;
          case 'close-tab': {
            const active = stores.session.getState().activeTraceId;
            if (active !== null) void closeTrace(active);
            break;
          }
          case 'find':
            find();
            break;
          case 'record':
            openRecord();
            break;
          case 'export-html':
          case 'export-pdf':
          case 'export-md':
          case 'export-csv':
          case 'export-jsonl':
          case 'export-breakdown-csv':
            // File > Export > FORMAT.
            void stores.exports
              .getState()
              .exportView(command.command.slice('export-'.length) as ExportFormat);
            break;
        }
      }),
    [api, openPath, openSample, closeTrace, stores, find, openRecord],
  );

  useShortcuts({
    onOpen: openPicker,
    onFind: find,
    onClearFilter: () => {
      const active = stores.session.getState().activeTraceId;
      if (active !== null) stores.filter.getState().clearFilter(active);
    },
    onZoom: zoomTimeline,
  });

  const isDragging = useFileDrop((files) => void openFiles(files));

  return (
    <div className="app">
      <TopBar onOpen={openPicker} onRecord={openRecord} connection={connection} />
      <LoadProgressList />
      <ExportStatus />
      {activeTrace ? (
        <TraceWorkspace trace={activeTrace} />
      ) : (
        <WelcomeScreen onOpen={openPicker} onRecord={openRecord} />
      )}
      {isRecordOpen && <RecordDialog onClose={() => setRecordOpen(false)} />}
      <MessageList />
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="open-file-input"
        aria-label="Open trace files"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Reset so that picking the same file again fires `change` again.
          event.target.value = '';
          if (files.length > 0) void openFiles(files);
        }}
      />
      {isDragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop trace files to open them
        </div>
      )}
    </div>
  );
}
