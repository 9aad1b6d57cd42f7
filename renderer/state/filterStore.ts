/**
 * The filter of each open trace: chips (clauses), the typed expression, the quick search, the
 * brushed time range — and the `FilterSpec` they make, which every query of that trace uses.
 *
 * The typed text and the chips are two views of one state: applying text replaces the chips with
 * its clauses; any chip edit rewrites the text with `formatFilter`. Text that does not parse
 * leaves the chips (the last valid filter) applied and shows the error with its caret.
 * Derived values (`expr`, `spec`, `specWithoutTime`) are computed on each edit and stored, so
 * selectors return stable objects.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type {
  FilterExpr,
  FilterSpec,
  FilterValue,
  EventField,
  TimeRange,
} from '../../shared/model';
import {
  formatFilter,
  parseFilter,
  type FilterError,
  type FilterVocabulary,
} from '../../shared/filter';
import { readJson, writeJson, type KeyValueStorage } from '../services';
import {
  joinClauses,
  quickSearchExpr,
  setColumnFilter as setColumnClause,
  splitClauses,
  toggleValue as toggleClauseValue,
} from './filterClauses';
import { catalogueVocabulary } from './filterVocabulary';
import { useStores } from './StoresContext';

/** The filter state of one trace. */
export interface TraceFilter {
  /** Chips: all must hold. */
  readonly clauses: readonly FilterExpr[];
  /** What the filter bar shows (the chips printed, or what the user is typing). */
  readonly text: string;
  /** Why the last applied text was rejected; null when it was not. */
  readonly error: FilterError | null;
  /** Brushed range (tracer clock), or null for the whole trace. */
  readonly timeRange: TimeRange | null;
  /** Quick search text (location, comm or reason contains it, any case). */
  readonly quickSearch: string;
  /** Chips and quick search as one expression (null: no expression). */
  readonly expr: FilterExpr | null;
  /** What queries use: `expr` and `timeRange`. */
  readonly spec: FilterSpec;
  /** `expr` without the time range (the timeline shows the whole trace and draws the brush). */
  readonly specWithoutTime: FilterSpec;
}

/** A filter expression saved under a name (remembered in local storage). */
export interface SavedFilter {
  readonly name: string;
  readonly text: string;
}

/** The filter store's state and actions. */
export interface FilterState {
  readonly byTrace: Readonly<Record<string, TraceFilter>>;
  /** Applied filter texts, newest first (remembered in local storage). */
  readonly history: readonly string[];
  /** Named filters, by name (remembered in local storage). */
  readonly savedFilters: readonly SavedFilter[];
  /**
   * Saves `text` under `name` (replacing a filter of that name); false (nothing saved) when the
   * name is blank or the text does not parse.
   */
  saveFilter: (name: string, text: string) => boolean;
  /** Forgets the saved filter `name`. */
  deleteSavedFilter: (name: string) => void;
  /** Puts `text` in the bar of `traceId` and applies it (false when it does not parse). */
  applyFilterText: (traceId: string, text: string) => boolean;
  /** Include (or with `exclude`, exclude) a facet value; again to remove it. Null means "(none)". */
  toggleValue: (
    traceId: string,
    field: EventField,
    value: FilterValue | null,
    exclude: boolean,
  ) => void;
  /** Removes chip `index`. */
  removeClause: (traceId: string, index: number) => void;
  /** Updates the bar's text without applying it. */
  setText: (traceId: string, text: string) => void;
  /** Applies the bar's text; false (and `error` set) when it does not parse. */
  applyText: (traceId: string) => boolean;
  /** Sets the brushed range (null: whole trace). */
  setTimeRange: (traceId: string, range: TimeRange | null) => void;
  setQuickSearch: (traceId: string, text: string) => void;
  /** Sets a grid column's filter (null or '' removes it). */
  setColumnFilter: (traceId: string, field: EventField, text: string | null) => void;
  /** Clears chips, text, quick search and time range. */
  clearFilter: (traceId: string) => void;
  /** Drops a closed trace's filter. */
  forgetTrace: (traceId: string) => void;
}

/** A filter store. */
export type FilterStore = StoreApi<FilterState>;

/** Services of the filter store. */
export interface FilterStoreServices {
  vocabulary?: FilterVocabulary;
  /** Where the history is remembered (null: not remembered). */
  storage?: KeyValueStorage | null;
}

const HISTORY_KEY = 'dropscope.filterHistory';
const HISTORY_LIMIT = 30;
const SAVED_KEY = 'dropscope.savedFilters';
const SAVED_LIMIT = 100;

/** Saved filters read back from storage, keeping only well-formed entries. */
function readSavedFilters(storage: KeyValueStorage | null): SavedFilter[] {
  const value = readJson<unknown>(storage, SAVED_KEY, []);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is SavedFilter =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as SavedFilter).name === 'string' &&
      typeof (entry as SavedFilter).text === 'string',
  );
}

function derive(
  base: Pick<TraceFilter, 'clauses' | 'text' | 'error' | 'timeRange' | 'quickSearch'>,
  previous?: TraceFilter,
): TraceFilter {
  // Typing in the bar changes only the text: keep the same spec objects so nothing refetches.
  if (
    previous &&
    previous.clauses === base.clauses &&
    previous.quickSearch === base.quickSearch &&
    previous.timeRange === base.timeRange
  ) {
    return { ...previous, text: base.text, error: base.error };
  }
  const expr =
    previous && previous.clauses === base.clauses && previous.quickSearch === base.quickSearch
      ? previous.expr
      : joinClauses([...base.clauses, quickSearchExpr(base.quickSearch)]);
  const specWithoutTime =
    previous && previous.expr === expr ? previous.specWithoutTime : { expr, timeRange: null };
  return {
    ...base,
    expr,
    spec: { expr, timeRange: base.timeRange },
    specWithoutTime,
  };
}

/** The filter of a trace nobody filtered yet (one shared object). */
export const EMPTY_TRACE_FILTER: TraceFilter = derive({
  clauses: [],
  text: '',
  error: null,
  timeRange: null,
  quickSearch: '',
});

/** The text the bar shows for chips. */
function printClauses(clauses: readonly FilterExpr[]): string {
  const expr = joinClauses(clauses);
  return expr === null ? '' : formatFilter(expr);
}

/** Creates the filter store. */
export function createFilterStore(services: FilterStoreServices = {}): FilterStore {
  const vocabulary = services.vocabulary ?? catalogueVocabulary();
  const storage = services.storage ?? null;

  return createStore<FilterState>()((set, get) => {
    const current = (traceId: string): TraceFilter => get().byTrace[traceId] ?? EMPTY_TRACE_FILTER;
    const update = (traceId: string, next: TraceFilter): void => {
      set((state) => ({ byTrace: { ...state.byTrace, [traceId]: next } }));
    };
    /** Replaces the chips; the text follows them. */
    const setClauses = (traceId: string, clauses: readonly FilterExpr[]): void => {
      const filter = current(traceId);
      update(
        traceId,
        derive({ ...filter, clauses, text: printClauses(clauses), error: null }, filter),
      );
    };
    const remember = (text: string): void => {
      if (text.trim() === '') return;
      const history = [text, ...get().history.filter((entry) => entry !== text)].slice(
        0,
        HISTORY_LIMIT,
      );
      set({ history });
      writeJson(storage, HISTORY_KEY, history);
    };

    return {
      byTrace: {},
      history: readJson<string[]>(storage, HISTORY_KEY, []).filter(
        (entry) => typeof entry === 'string',
      ),
      savedFilters: readSavedFilters(storage),
      saveFilter: (name, text) => {
        const trimmedName = name.trim().slice(0, 100);
        if (trimmedName === '' || !parseFilter(text, vocabulary).ok) return false;
        const others = get().savedFilters.filter((entry) => entry.name !== trimmedName);
        const savedFilters = [...others, { name: trimmedName, text: text.trim() }]
          .sort((a, b) => a.name.localeCompare(b.name))
          .slice(0, SAVED_LIMIT);
        set({ savedFilters });
        writeJson(storage, SAVED_KEY, savedFilters);
        return true;
      },
      deleteSavedFilter: (name) => {
        const savedFilters = get().savedFilters.filter((entry) => entry.name !== name);
        set({ savedFilters });
        writeJson(storage, SAVED_KEY, savedFilters);
      },
      applyFilterText: (traceId, text) => {
        get().setText(traceId, text);
        return get().applyText(traceId);
      },
      toggleValue: (traceId, field, value, exclude) =>
        setClauses(traceId, toggleClauseValue(current(traceId).clauses, field, value, exclude)),
      removeClause: (traceId, index) =>
        setClauses(
          traceId,
          current(traceId).clauses.filter((_, i) => i !== index),
        ),
      setText: (traceId, text) => {
        const filter = current(traceId);
        update(traceId, derive({ ...filter, text, error: null }, filter));
      },
      applyText: (traceId) => {
        const filter = current(traceId);
        const parsed = parseFilter(filter.text, vocabulary);
        if (!parsed.ok) {
          update(traceId, derive({ ...filter, error: parsed.error }, filter));
          return false;
        }
        const clauses = splitClauses(parsed.expr);
        setClauses(traceId, clauses);
        remember(printClauses(clauses));
        return true;
      },
      setTimeRange: (traceId, range) => {
        const filter = current(traceId);
        const same =
          range === filter.timeRange ||
          (range !== null &&
            filter.timeRange !== null &&
            range.startNs === filter.timeRange.startNs &&
            range.endNs === filter.timeRange.endNs);
        if (!same) update(traceId, derive({ ...filter, timeRange: range }, filter));
      },
      setQuickSearch: (traceId, quickSearch) => {
        const filter = current(traceId);
        if (quickSearch !== filter.quickSearch) {
          update(traceId, derive({ ...filter, quickSearch }, filter));
        }
      },
      setColumnFilter: (traceId, field, text) => {
        const before = current(traceId).clauses;
        const after = setColumnClause(before, field, text);
        const changed =
          after.length !== before.length || after.some((clause, i) => clause !== before[i]);
        if (changed) setClauses(traceId, after);
      },
      clearFilter: (traceId) => update(traceId, EMPTY_TRACE_FILTER),
      forgetTrace: (traceId) =>
        set((state) => {
          const { [traceId]: _forgotten, ...rest } = state.byTrace;
          return { byTrace: rest };
        }),
    };
  });
}

/** The filter state of a trace (the shared empty one for none). */
export function useTraceFilter(traceId: string | null): TraceFilter {
  return useStore(useStores().filter, (state) =>
    traceId === null ? EMPTY_TRACE_FILTER : (state.byTrace[traceId] ?? EMPTY_TRACE_FILTER),
  );
}

/** The `FilterSpec` queries of a trace use (stable until the filter changes). */
export function useFilterSpec(traceId: string | null): FilterSpec {
  return useTraceFilter(traceId).spec;
}

/** The filter without its time range (for the timeline). */
export function useFilterSpecWithoutTime(traceId: string | null): FilterSpec {
  return useTraceFilter(traceId).specWithoutTime;
}

/** The applied filter texts, newest first. */
export function useFilterHistory(): readonly string[] {
  return useStore(useStores().filter, (state) => state.history);
}

/** The saved filters, by name. */
export function useSavedFilters(): readonly SavedFilter[] {
  return useStore(useStores().filter, (state) => state.savedFilters);
}

/** The filter store's actions (stable functions). */
export function useFilterActions(): Omit<FilterState, 'byTrace' | 'history' | 'savedFilters'> {
  return useStore(
    useStores().filter,
    useShallow((state) => ({
      toggleValue: state.toggleValue,
      removeClause: state.removeClause,
      setText: state.setText,
      applyText: state.applyText,
      setTimeRange: state.setTimeRange,
      setQuickSearch: state.setQuickSearch,
      setColumnFilter: state.setColumnFilter,
      clearFilter: state.clearFilter,
      forgetTrace: state.forgetTrace,
      saveFilter: state.saveFilter,
      deleteSavedFilter: state.deleteSavedFilter,
      applyFilterText: state.applyFilterText,
    })),
  );
}
