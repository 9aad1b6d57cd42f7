/**
 * The session: what the app is (app:info), which traces are open (tabs) and which one is active,
 * loads in progress (uploading, reading) with their cancel, recent files, and messages for the
 * user.
 *
 * Load progress arrives as `trace:loadProgress` push events, possibly hundreds a second; they are
 * buffered and applied once per animation frame so that a big load never floods React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppInfo, PushEvents, TraceInfo } from '../../shared/contract';
import { errorMessage, isAbortError, type DropscopeApi, type FilePathResolver } from '../services';
import { useStores } from './StoresContext';

/** A load in progress. */
export interface LoadState {
  /** The id passed to `trace:open` (and to `trace:cancel`). */
  readonly loadId: string;
  /** File name shown to the user. */
  readonly name: string;
  /** `uploading` (browser mode, before `trace:open`), then `reading`. */
  readonly phase: 'uploading' | 'reading';
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly events: number;
  /** Whether it can be cancelled (a bundled sample's load cannot be named before it starts). */
  readonly canCancel: boolean;
}

/** A message for the user (an error of a load or a call). */
export interface SessionMessage {
  readonly id: number;
  readonly text: string;
}

/** The session store's state and actions. */
export interface SessionState {
  readonly appInfo: AppInfo | null;
  /** Whether `initialize` finished (the welcome screen waits for it). */
  readonly isReady: boolean;
  readonly recent: readonly string[];
  /** Open traces, in tab order. */
  readonly traces: readonly TraceInfo[];
  readonly activeTraceId: string | null;
  /** Bumped when a trace is re-decoded: everything showing it asks again. */
  readonly revisions: Readonly<Record<string, number>>;
  readonly loads: readonly LoadState[];
  readonly messages: readonly SessionMessage[];
  /** Reads app:info, adopts traces main already has, opens the command line's files. */
  initialize: () => Promise<void>;
  /** Opens a file by path (desktop, or a path the server allows). */
  openPath: (path: string) => Promise<void>;
  /** Opens picked or dropped files (path from the bridge, or upload in browser mode). */
  openFiles: (files: readonly File[]) => Promise<void>;
  openSample: () => Promise<void>;
  cancelLoad: (loadId: string) => void;
  closeTrace: (traceId: string) => Promise<void>;
  activateTrace: (traceId: string) => void;
  /** Re-decodes reason numbers with another kernel's table (null: automatic choice). */
  redecode: (traceId: string, kernel: string | null) => Promise<void>;
  refreshRecent: () => Promise<void>;
  reportError: (text: string) => void;
  dismissMessage: (id: number) => void;
  /** Adds a trace main opened by itself (a live capture), or updates its info; may activate it. */
  adoptTrace: (info: TraceInfo, shouldActivate: boolean) => void;
}

/** A session store. */
export type SessionStore = StoreApi<SessionState>;

/** Services of the session store. */
export interface SessionStoreServices {
  api: DropscopeApi;
  /** Turns a picked or dropped file into an openable path. */
  resolveFilePath: FilePathResolver;
  /** New load ids (tests pass a counter). */
  newLoadId?: () => string;
  /** Runs `flush` soon, once (default: next animation frame). */
  scheduleFlush?: (flush: () => void) => void;
  /** Told when a trace closes or is re-decoded, so other stores can drop what they hold for it. */
  onTraceChanged?: (traceId: string, change: 'closed' | 'redecoded') => void;
}

type LoadProgress = PushEvents['trace:loadProgress'];

function defaultScheduleFlush(flush: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
}

function randomLoadId(): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : Math.random().toString(36).slice(2);
  return `load-${random}`;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Creates the session store and subscribes it to load progress. */
export function createSessionStore(services: SessionStoreServices): SessionStore {
  const { api, resolveFilePath } = services;
  const newLoadId = services.newLoadId ?? randomLoadId;
  const scheduleFlush = services.scheduleFlush ?? defaultScheduleFlush;
  const uploads = new Map<string, AbortController>();
  const cancelled = new Set<string>();
  /** Sample loads: placeholder id → the engine's load id once a progress event names it. */
  const samplePlaceholders = new Map<string, string | null>();
  /** Loads started elsewhere (another window) that this page shows. */
  const foreignLoads = new Set<string>();
  let nextMessageId = 1;
  let initializing: Promise<void> | null = null;
  let nextSampleId = 1;

  const store = createStore<SessionState>()((set, get) => {
    const patchLoad = (loadId: string, patch: Partial<LoadState>): void =>
      set((state) => ({
        loads: state.loads.map((load) => (load.loadId === loadId ? { ...load, ...patch } : load)),
      }));
    const removeLoad = (loadId: string): void => {
      uploads.delete(loadId);
      cancelled.delete(loadId);
      set((state) => ({ loads: state.loads.filter((load) => load.loadId !== loadId) }));
    };
    const report = (text: string): void =>
      set((state) => ({ messages: [...state.messages, { id: nextMessageId++, text }] }));
    /** Adds (or updates) a tab; activates it when asked or when no tab is active. */
    const adopt = (info: TraceInfo, shouldActivate: boolean): void =>
      set((state) => {
        const exists = state.traces.some((trace) => trace.traceId === info.traceId);
        return {
          traces: exists
            ? state.traces.map((trace) => (trace.traceId === info.traceId ? info : trace))
            : [...state.traces, info],
          activeTraceId:
            shouldActivate || state.activeTraceId === null ? info.traceId : state.activeTraceId,
        };
      });
    /** Runs one `trace:open`-like call under a load entry; reports failures unless cancelled. */
    const runLoad = async (
      loadId: string,
      open: () => Promise<TraceInfo>,
      shouldActivate = true,
    ): Promise<void> => {
      try {
        adopt(await open(), shouldActivate);
        void get().refreshRecent();
      } catch (error) {
        const currentId = samplePlaceholders.get(loadId) ?? loadId;
        if (!cancelled.has(currentId) && !isAbortError(error)) report(errorMessage(error));
      } finally {
        removeLoad(loadId);
      }
    };

    const openPathWith = async (path: string, shouldActivate: boolean): Promise<void> => {
      const loadId = newLoadId();
      set((state) => ({
        loads: [
          ...state.loads,
          {
            loadId,
            name: baseName(path),
            phase: 'reading',
            doneBytes: 0,
            totalBytes: 0,
            events: 0,
            canCancel: true,
          },
        ],
      }));
      await runLoad(loadId, () => api.openTrace(path, loadId), shouldActivate);
    };

    const initializeOnce = async (): Promise<void> => {
      const [info, list] = await Promise.allSettled([api.appInfo(), api.listTraces()]);
      if (info.status === 'rejected') report(errorMessage(info.reason));
      const open = list.status === 'fulfilled' ? list.value : [];
      set({
        appInfo: info.status === 'fulfilled' ? info.value : null,
        traces: open,
        activeTraceId: open[0]?.traceId ?? null,
        isReady: true,
      });
      void get().refreshRecent();
      const openFiles = new Set(open.map((trace) => trace.file));
      const initial = info.status === 'fulfilled' ? info.value.initialFiles : [];
      for (const path of initial) {
        // The first file's tab stays in front while the others load.
        if (!openFiles.has(path)) await openPathWith(path, false);
      }
    };

    return {
      appInfo: null,
      isReady: false,
      recent: [],
      traces: [],
      activeTraceId: null,
      revisions: {},
      loads: [],
      messages: [],

      initialize: () => {
        // Once per page, even when React runs effects twice (StrictMode).
        initializing ??= initializeOnce();
        return initializing;
      },

      openPath: (path) => openPathWith(path, true),

      openFiles: async (files) => {
        for (const file of files) {
          const loadId = newLoadId();
          const controller = new AbortController();
          uploads.set(loadId, controller);
          set((state) => ({
            loads: [
              ...state.loads,
              {
                loadId,
                name: file.name,
                phase: 'uploading',
                doneBytes: 0,
                totalBytes: file.size,
                events: 0,
                canCancel: true,
              },
            ],
          }));
          await runLoad(loadId, async () => {
            const path = await resolveFilePath(
              file,
              (progress) =>
                patchLoad(loadId, {
                  doneBytes: progress.sentBytes,
                  totalBytes: progress.totalBytes,
                }),
              controller.signal,
            );
            uploads.delete(loadId);
            if (cancelled.has(loadId)) throw new DOMException('cancelled', 'AbortError');
            patchLoad(loadId, { phase: 'reading', doneBytes: 0, totalBytes: file.size });
            return api.openTrace(path, loadId);
          });
        }
      },

      openSample: async () => {
        const placeholder = `sample-${nextSampleId++}`;
        samplePlaceholders.set(placeholder, null);
        set((state) => ({
          loads: [
            ...state.loads,
            {
              loadId: placeholder,
              name: 'bundled sample',
              phase: 'reading',
              doneBytes: 0,
              totalBytes: 0,
              events: 0,
              canCancel: false,
            },
          ],
        }));
        try {
          await runLoad(placeholder, () => api.openSample());
        } finally {
          // The engine named the load itself; the first progress event told us the name.
          const realId = samplePlaceholders.get(placeholder) ?? null;
          samplePlaceholders.delete(placeholder);
          if (realId !== null) removeLoad(realId);
        }
      },

      cancelLoad: (loadId) => {
        cancelled.add(loadId);
        const upload = uploads.get(loadId);
        if (upload) {
          upload.abort();
          return;
        }
        api.cancelLoad(loadId).catch((error: unknown) => report(errorMessage(error)));
      },

      closeTrace: async (traceId) => {
        set((state) => {
          const index = state.traces.findIndex((trace) => trace.traceId === traceId);
          const traces = state.traces.filter((trace) => trace.traceId !== traceId);
          const neighbour = traces[Math.min(Math.max(index, 0), traces.length - 1)] ?? null;
          return {
            traces,
            activeTraceId:
              state.activeTraceId === traceId ? (neighbour?.traceId ?? null) : state.activeTraceId,
          };
        });
        services.onTraceChanged?.(traceId, 'closed');
        try {
          await api.closeTrace(traceId);
        } catch (error) {
          report(errorMessage(error));
        }
      },

      activateTrace: (traceId) => {
        if (get().traces.some((trace) => trace.traceId === traceId))
          set({ activeTraceId: traceId });
      },

      redecode: async (traceId, kernel) => {
        try {
          const info = await api.redecode(traceId, kernel);
          set((state) => ({
            traces: state.traces.map((trace) => (trace.traceId === traceId ? info : trace)),
            revisions: { ...state.revisions, [traceId]: (state.revisions[traceId] ?? 0) + 1 },
          }));
          services.onTraceChanged?.(traceId, 'redecoded');
        } catch (error) {
          report(errorMessage(error));
        }
      },

      refreshRecent: async () => {
        try {
          set({ recent: await api.recentFiles() });
        } catch (error) {
          console.warn('Dropscope: recent files unavailable', error);
        }
      },

      reportError: report,
      adoptTrace: (info, shouldActivate) => {
        const known = get().traces.find((trace) => trace.traceId === info.traceId);
        // Progress of a tab the user closed must not bring it back.
        if (!known && !shouldActivate) return;
        adopt(info, shouldActivate);
      },
      dismissMessage: (id) =>
        set((state) => ({ messages: state.messages.filter((message) => message.id !== id) })),
    };
  });

  // Progress: keep the latest event per load, apply all of them once per frame.
  const buffered = new Map<string, LoadProgress>();
  let isFlushScheduled = false;
  const applyProgress = (
    loads: readonly LoadState[],
    event: LoadProgress,
  ): readonly LoadState[] => {
    let index = loads.findIndex((load) => load.loadId === event.loadId);
    if (index < 0) {
      // A sample load the engine named: the oldest unnamed sample entry is this one.
      const placeholder = [...samplePlaceholders].find(([, realId]) => realId === null)?.[0];
      if (placeholder !== undefined) {
        samplePlaceholders.set(placeholder, event.loadId);
        index = loads.findIndex((load) => load.loadId === placeholder);
      }
    }
    if (index < 0) {
      if (event.done) return loads;
      // A load this page did not start (another browser window): show it too.
      foreignLoads.add(event.loadId);
      return [
        ...loads,
        {
          loadId: event.loadId,
          name: baseName(event.file),
          phase: 'reading',
          doneBytes: event.bytesRead,
          totalBytes: event.totalBytes,
          events: event.events,
          canCancel: true,
        },
      ];
    }
    const load = loads[index] as LoadState;
    if (event.done && foreignLoads.delete(event.loadId)) {
      return loads.filter((_, i) => i !== index);
    }
    const next: LoadState = event.done
      ? // Keep the bar full until the open call answers (the engine is building its indexes).
        {
          ...load,
          loadId: event.loadId,
          events: event.events,
          doneBytes: load.totalBytes,
          canCancel: false,
        }
      : {
          ...load,
          loadId: event.loadId,
          phase: 'reading',
          doneBytes: event.bytesRead,
          totalBytes: event.totalBytes,
          events: event.events,
          canCancel: true,
        };
    return loads.map((l, i) => (i === index ? next : l));
  };
  const flush = (): void => {
    isFlushScheduled = false;
    const events = [...buffered.values()];
    buffered.clear();
    store.setState((state) => {
      const loads = events.reduce(applyProgress, state.loads);
      return loads === state.loads ? state : { loads };
    });
  };
  services.api.onLoadProgress((event) => {
    buffered.set(event.loadId, event);
    if (!isFlushScheduled) {
      isFlushScheduled = true;
      scheduleFlush(flush);
    }
  });

  return store;
}

/** The app info (null until it arrives). */
export function useAppInfo(): AppInfo | null {
  return useStore(useStores().session, (state) => state.appInfo);
}

/** Whether the session has initialized. */
export function useIsSessionReady(): boolean {
  return useStore(useStores().session, (state) => state.isReady);
}

/** The open traces in tab order. */
export function useOpenTraces(): readonly TraceInfo[] {
  return useStore(useStores().session, (state) => state.traces);
}

/** The active trace's id, or null. */
export function useActiveTraceId(): string | null {
  return useStore(useStores().session, (state) => state.activeTraceId);
}

/** The active trace's info, or null. */
export function useActiveTrace(): TraceInfo | null {
  return useStore(
    useStores().session,
    (state) => state.traces.find((trace) => trace.traceId === state.activeTraceId) ?? null,
  );
}

/** A trace's re-decode revision (0 until re-decoded). */
export function useTraceRevision(traceId: string | null): number {
  return useStore(useStores().session, (state) =>
    traceId === null ? 0 : (state.revisions[traceId] ?? 0),
  );
}

/** Loads in progress. */
export function useLoads(): readonly LoadState[] {
  return useStore(useStores().session, (state) => state.loads);
}

/** Recent files, newest first. */
export function useRecentFiles(): readonly string[] {
  return useStore(useStores().session, (state) => state.recent);
}

/** Messages for the user. */
export function useSessionMessages(): readonly SessionMessage[] {
  return useStore(useStores().session, (state) => state.messages);
}

/** The session store's actions (stable functions). */
export function useSessionActions(): Pick<
  SessionState,
  | 'initialize'
  | 'openPath'
  | 'openFiles'
  | 'openSample'
  | 'cancelLoad'
  | 'closeTrace'
  | 'activateTrace'
  | 'redecode'
  | 'refreshRecent'
  | 'reportError'
  | 'dismissMessage'
> {
  return useStore(
    useStores().session,
    useShallow((state) => ({
      initialize: state.initialize,
      openPath: state.openPath,
      openFiles: state.openFiles,
      openSample: state.openSample,
      cancelLoad: state.cancelLoad,
      closeTrace: state.closeTrace,
      activateTrace: state.activateTrace,
      redecode: state.redecode,
      refreshRecent: state.refreshRecent,
      reportError: state.reportError,
      dismissMessage: state.dismissMessage,
    })),
  );
}
