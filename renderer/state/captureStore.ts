/**
 * Live captures as the UI sees them: the status of each capture (by the trace it fills), the
 * Record dialog's backend list, whether the timeline follows the present, and a data version per
 * trace that panels put in their query keys so that they ask again as drops arrive.
 *
 * Progress arrives as `capture:progress` push events (a few a second at most): each updates the
 * trace's tab info in the session store and bumps the trace's data version. The events
 * themselves stay in main; panels pull what they show.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CaptureProgress } from '../../shared/contract';
import type {
  CaptureBackendName,
  CaptureBackendsInfo,
  CaptureStatus,
  FilterExpr,
} from '../../shared/model';
import { isCaptureEnded } from '../../shared/model';
import { errorMessage, type DropscopeApi } from '../services';
import type { SessionStore } from './sessionStore';
import { useStores } from './StoresContext';

/** What the Record dialog asks for. */
export interface RecordOptions {
  backend: CaptureBackendName | null;
  filter: FilterExpr | null;
  filterText: string | null;
  ringLimit: number;
}

/** The default ring limit: a million drops (~50 MB of columns). */
export const DEFAULT_RING_LIMIT = 1_000_000;

/** The capture store's state and actions. */
export interface CaptureStoreState {
  /** Captures by the trace they fill. */
  readonly byTrace: Readonly<Record<string, CaptureStatus>>;
  /** Bumped on every progress of a trace: queries of that trace ask again. */
  readonly dataVersions: Readonly<Record<string, number>>;
  /** Whether the timeline of a capture trace follows the present (default: yes). */
  readonly following: Readonly<Record<string, boolean>>;
  /** The Record dialog's backend list (null until asked). */
  readonly backends: CaptureBackendsInfo | null;
  readonly backendsError: string | null;
  /** Whether a start is in flight (the dialog's button waits). */
  readonly isStarting: boolean;
  /** Asks main for the backends (the dialog opens). */
  loadBackends: () => Promise<void>;
  /** Starts a capture; resolves to an error message, or null when it started. */
  start: (options: RecordOptions) => Promise<string | null>;
  stop: (traceId: string) => Promise<void>;
  setFollowing: (traceId: string, isFollowing: boolean) => void;
  /** Adopts the captures main already runs (a reloaded page). */
  initialize: () => Promise<void>;
  forgetTrace: (traceId: string) => void;
}

/** A capture store. */
export type CaptureStore = StoreApi<CaptureStoreState>;

/** Services of the capture store. */
export interface CaptureStoreServices {
  api: DropscopeApi;
  session: SessionStore;
}

/** Creates the capture store and subscribes it to capture progress. */
export function createCaptureStore(services: CaptureStoreServices): CaptureStore {
  const { api, session } = services;
  const closed = new Set<string>();

  /**
   * Applies a capture's progress: its status, its tab's info, a new data version. A late
   * progress never undoes a final state; a closed trace's progress is ignored.
   */
  const apply = (progress: CaptureProgress, shouldActivate: boolean): void => {
    const { status, info } = progress;
    if (closed.has(status.traceId)) return;
    const known = store.getState().byTrace[status.traceId];
    if (known && isCaptureEnded(known.state) && !isCaptureEnded(status.state)) return;
    session.getState().adoptTrace(info, shouldActivate);
    store.setState((state) => ({
      byTrace: { ...state.byTrace, [status.traceId]: status },
      dataVersions: {
        ...state.dataVersions,
        [status.traceId]: (state.dataVersions[status.traceId] ?? 0) + 1,
      },
    }));
  };

  const store: CaptureStore = createStore<CaptureStoreState>()((set, get) => {
    return {
      byTrace: {},
      dataVersions: {},
      following: {},
      backends: null,
      backendsError: null,
      isStarting: false,

      loadBackends: async () => {
        try {
          set({ backends: await api.captureBackends(), backendsError: null });
        } catch (error) {
          set({ backendsError: errorMessage(error) });
        }
      },

      start: async (options) => {
        if (get().isStarting) return 'a capture is already starting';
        set({ isStarting: true });
        try {
          const progress = await api.startCapture({
            backend: options.backend,
            filter: options.filter as Parameters<DropscopeApi['startCapture']>[0]['filter'],
            filterText: options.filterText,
            ringLimit: options.ringLimit,
          });
          apply(progress, true);
          return progress.status.state === 'failed' ? (progress.status.error ?? 'failed') : null;
        } catch (error) {
          return errorMessage(error);
        } finally {
          set({ isStarting: false });
        }
      },

      stop: async (traceId) => {
        const status = get().byTrace[traceId];
        if (!status || isCaptureEnded(status.state)) return;
        set((state) => ({
          byTrace: { ...state.byTrace, [traceId]: { ...status, state: 'stopping' } },
        }));
        try {
          apply(await api.stopCapture(status.captureId), false);
        } catch (error) {
          session.getState().reportError(`Cannot stop the capture: ${errorMessage(error)}`);
        }
      },

      setFollowing: (traceId, isFollowing) =>
        set((state) =>
          state.following[traceId] === isFollowing
            ? state
            : { following: { ...state.following, [traceId]: isFollowing } },
        ),

      initialize: async () => {
        try {
          for (const progress of await api.listCaptures()) apply(progress, false);
        } catch (error) {
          console.warn('Dropscope: captures unavailable', error);
        }
      },

      forgetTrace: (traceId) => {
        closed.add(traceId);
        set((state) => {
          const byTrace = { ...state.byTrace };
          const dataVersions = { ...state.dataVersions };
          const following = { ...state.following };
          delete byTrace[traceId];
          delete dataVersions[traceId];
          delete following[traceId];
          return { byTrace, dataVersions, following };
        });
      },
    };
  });

  // Progress of captures this page did not start (another window) shows once their tab is open.
  api.onCaptureProgress((progress) => apply(progress, false));
  return store;
}

/** The capture filling a trace, or null when the trace is a file. */
export function useCaptureOfTrace(traceId: string | null): CaptureStatus | null {
  return useStore(useStores().captures, (state) =>
    traceId === null ? null : (state.byTrace[traceId] ?? null),
  );
}

/** A trace's data version: 0 for a file, growing while a capture fills it. */
export function useTraceDataVersion(traceId: string | null): number {
  return useStore(useStores().captures, (state) =>
    traceId === null ? 0 : (state.dataVersions[traceId] ?? 0),
  );
}

/** Whether a capture trace's timeline follows the present (true until the user looks back). */
export function useIsFollowing(traceId: string | null): boolean {
  return useStore(useStores().captures, (state) =>
    traceId === null ? false : (state.following[traceId] ?? true),
  );
}

/** The Record dialog's data. */
export function useCaptureBackends(): Pick<
  CaptureStoreState,
  'backends' | 'backendsError' | 'isStarting'
> {
  return useStore(
    useStores().captures,
    useShallow((state) => ({
      backends: state.backends,
      backendsError: state.backendsError,
      isStarting: state.isStarting,
    })),
  );
}

/** The capture store's actions. */
export function useCaptureActions(): Pick<
  CaptureStoreState,
  'loadBackends' | 'start' | 'stop' | 'setFollowing' | 'initialize'
> {
  return useStore(
    useStores().captures,
    useShallow((state) => ({
      loadBackends: state.loadBackends,
      start: state.start,
      stop: state.stop,
      setFollowing: state.setFollowing,
      initialize: state.initialize,
    })),
  );
}
