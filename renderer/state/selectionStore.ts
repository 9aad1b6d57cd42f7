/**
 * The selected drop of each open trace (its id and the row the grid or the packet list gave).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { DropRow } from '../../shared/model';
import { useStores } from './StoresContext';

/** The selection store's state and actions. */
export interface SelectionState {
  /** Selected row by trace id (one row each; events stay in main). */
  readonly byTrace: Readonly<Record<string, DropRow | null>>;
  selectDrop: (traceId: string, row: DropRow | null) => void;
  forgetTrace: (traceId: string) => void;
}

/** A selection store. */
export type SelectionStore = StoreApi<SelectionState>;

/** Creates the selection store. */
export function createSelectionStore(): SelectionStore {
  return createStore<SelectionState>()((set) => ({
    byTrace: {},
    selectDrop: (traceId, row) =>
      set((state) =>
        state.byTrace[traceId] === row ? state : { byTrace: { ...state.byTrace, [traceId]: row } },
      ),
    forgetTrace: (traceId) =>
      set((state) => {
        const { [traceId]: _forgotten, ...rest } = state.byTrace;
        return { byTrace: rest };
      }),
  }));
}

/** The selected drop of a trace, or null. */
export function useSelectedDrop(traceId: string | null): DropRow | null {
  return useStore(useStores().selection, (state) =>
    traceId === null ? null : (state.byTrace[traceId] ?? null),
  );
}

/** The selected drop's id, or null. */
export function useSelectedDropId(traceId: string | null): number | null {
  return useSelectedDrop(traceId)?.id ?? null;
}

/** The selection store's actions. */
export function useSelectionActions(): Pick<SelectionState, 'selectDrop' | 'forgetTrace'> {
  return useStore(
    useStores().selection,
    useShallow((state) => ({ selectDrop: state.selectDrop, forgetTrace: state.forgetTrace })),
  );
}
