/**
 * The comparison of two open traces: which two, whether the active filter expression applies,
 * and the last result (per-reason and per-location counts, a few hundred rows at most).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CompareResult } from '../../shared/contract';
import type { FilterSpec } from '../../shared/model';
import { errorMessage, type DropscopeApi } from '../services';
import { useStores } from './StoresContext';

/** The compare store's state and actions. */
export interface CompareState {
  readonly traceA: string | null;
  readonly traceB: string | null;
  readonly status: 'idle' | 'loading' | 'done' | 'error';
  readonly result: CompareResult | null;
  readonly error: string | null;
  setTraces: (traceA: string | null, traceB: string | null) => void;
  /** Runs `trace:compare` for the chosen traces under `filter`. */
  runCompare: (filter: FilterSpec) => Promise<void>;
  /** Forgets a closed trace (and a result that involved it). */
  forgetTrace: (traceId: string) => void;
}

/** A compare store. */
export type CompareStore = StoreApi<CompareState>;

/** Creates the compare store. */
export function createCompareStore(api: DropscopeApi): CompareStore {
  let runId = 0;
  return createStore<CompareState>()((set, get) => ({
    traceA: null,
    traceB: null,
    status: 'idle',
    result: null,
    error: null,
    setTraces: (traceA, traceB) => set({ traceA, traceB }),
    runCompare: async (filter) => {
      const { traceA, traceB } = get();
      if (traceA === null || traceB === null) {
        set({ status: 'error', error: 'pick two traces to compare', result: null });
        return;
      }
      const id = ++runId;
      set({ status: 'loading', error: null });
      try {
        const result = await api.compare(traceA, traceB, filter);
        if (id === runId) set({ status: 'done', result });
      } catch (error) {
        if (id === runId) set({ status: 'error', error: errorMessage(error), result: null });
      }
    },
    forgetTrace: (traceId) => {
      const { traceA, traceB, result } = get();
      const involved =
        result !== null && (result.a.traceId === traceId || result.b.traceId === traceId);
      set({
        traceA: traceA === traceId ? null : traceA,
        traceB: traceB === traceId ? null : traceB,
        ...(involved ? { result: null, status: 'idle' as const } : {}),
      });
    },
  }));
}

/** The comparison state (without actions). */
export function useComparison(): Pick<
  CompareState,
  'traceA' | 'traceB' | 'status' | 'result' | 'error'
> {
  return useStore(
    useStores().compare,
    useShallow((state) => ({
      traceA: state.traceA,
      traceB: state.traceB,
      status: state.status,
      result: state.result,
      error: state.error,
    })),
  );
}

/** The compare store's actions. */
export function useCompareActions(): Pick<CompareState, 'setTraces' | 'runCompare'> {
  return useStore(
    useStores().compare,
    useShallow((state) => ({ setTraces: state.setTraces, runCompare: state.runCompare })),
  );
}
