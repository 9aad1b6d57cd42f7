/**
 * How the explorer is laid out and shown: theme, timeline split, time column mode, hidden grid
 * columns, panel sizes, the main view. Remembered in local storage, so the layout survives a
 * restart.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EVENT_FIELDS, type EventField } from '../../shared/model';
import { readJson, writeJson, type KeyValueStorage } from '../services';
import { useStores } from './StoresContext';

/** The theme the user chose; `system` follows `prefers-color-scheme`. */
export type ThemePreference = 'system' | 'light' | 'dark';

/** Time column: tracer clock seconds, or seconds since the first event. */
export type TimeMode = 'absolute' | 'relative';

/** The main area of an open trace. */
export type MainView = 'explorer' | 'breakdown' | 'compare';

/** Resizable panels and their size in CSS pixels. */
export type PanelName = 'sidebarWidth' | 'detailsWidth' | 'timelineHeight';

/** The remembered part of the view. */
export interface ViewSettings {
  readonly themePreference: ThemePreference;
  readonly splitBy: EventField;
  readonly timeMode: TimeMode;
  /** Grid column ids the user hid. */
  readonly hiddenColumns: readonly string[];
  readonly sidebarWidth: number;
  readonly detailsWidth: number;
  readonly timelineHeight: number;
  readonly isDetailsOpen: boolean;
  readonly mainView: MainView;
}

/** The view store's state and actions. */
export interface ViewState extends ViewSettings {
  /** The system's scheme (`prefers-color-scheme`), kept current by the app; not remembered. */
  readonly systemTheme: 'light' | 'dark';
  setSystemTheme: (theme: 'light' | 'dark') => void;
  setThemePreference: (preference: ThemePreference) => void;
  /** system → light → dark → system. */
  cycleTheme: () => void;
  setSplitBy: (field: EventField) => void;
  setTimeMode: (mode: TimeMode) => void;
  /** Shows or hides a grid column. */
  setColumnHidden: (columnId: string, isHidden: boolean) => void;
  /** Sets a panel size (clamped to its limits). */
  setPanelSize: (panel: PanelName, sizePx: number) => void;
  setDetailsOpen: (isOpen: boolean) => void;
  setMainView: (view: MainView) => void;
}

/** A view store. */
export type ViewStore = StoreApi<ViewState>;

const STORAGE_KEY = 'dropscope.view';

/** Limits of each panel size, px. */
export const PANEL_LIMITS: Readonly<Record<PanelName, { min: number; max: number }>> = {
  sidebarWidth: { min: 180, max: 520 },
  detailsWidth: { min: 260, max: 760 },
  timelineHeight: { min: 90, max: 480 },
};

/** The view before anything is remembered. */
export const DEFAULT_VIEW: ViewSettings = {
  themePreference: 'system',
  splitBy: 'reason',
  timeMode: 'relative',
  hiddenColumns: ['rx_sk'],
  sidebarWidth: 230,
  detailsWidth: 340,
  timelineHeight: 260,
  isDetailsOpen: true,
  mainView: 'explorer',
};

function clampPanel(panel: PanelName, sizePx: number): number {
  const { min, max } = PANEL_LIMITS[panel];
  return Math.round(Math.min(max, Math.max(min, sizePx)));
}

/** Remembered settings, each checked (a stale or edited value falls back to the default). */
function readSettings(storage: KeyValueStorage | null): ViewSettings {
  const saved = readJson<Partial<Record<keyof ViewSettings, unknown>>>(storage, STORAGE_KEY, {});
  const pick = <K extends keyof ViewSettings>(
    key: K,
    isValid: (value: unknown) => boolean,
  ): ViewSettings[K] => (isValid(saved[key]) ? (saved[key] as ViewSettings[K]) : DEFAULT_VIEW[key]);
  const isSize = (panel: PanelName) => (value: unknown) =>
    typeof value === 'number' && value === clampPanel(panel, value);
  return {
    themePreference: pick(
      'themePreference',
      (v) => v === 'system' || v === 'light' || v === 'dark',
    ),
    splitBy: pick('splitBy', (v) => (EVENT_FIELDS as readonly unknown[]).includes(v)),
    timeMode: pick('timeMode', (v) => v === 'absolute' || v === 'relative'),
    hiddenColumns: pick(
      'hiddenColumns',
      (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'),
    ),
    sidebarWidth: pick('sidebarWidth', isSize('sidebarWidth')),
    detailsWidth: pick('detailsWidth', isSize('detailsWidth')),
    timelineHeight: pick('timelineHeight', isSize('timelineHeight')),
    isDetailsOpen: pick('isDetailsOpen', (v) => typeof v === 'boolean'),
    mainView: pick('mainView', (v) => v === 'explorer' || v === 'breakdown' || v === 'compare'),
  };
}

function settingsOf(state: ViewState): ViewSettings {
  return {
    themePreference: state.themePreference,
    splitBy: state.splitBy,
    timeMode: state.timeMode,
    hiddenColumns: state.hiddenColumns,
    sidebarWidth: state.sidebarWidth,
    detailsWidth: state.detailsWidth,
    timelineHeight: state.timelineHeight,
    isDetailsOpen: state.isDetailsOpen,
    mainView: state.mainView,
  };
}

/** Creates the view store, reading and writing its settings in `storage` (null: not kept). */
export function createViewStore(storage: KeyValueStorage | null = null): ViewStore {
  const store = createStore<ViewState>()((set, get) => ({
    ...readSettings(storage),
    systemTheme: 'light',
    setSystemTheme: (systemTheme) => set({ systemTheme }),
    setThemePreference: (themePreference) => set({ themePreference }),
    cycleTheme: () => {
      const order: ThemePreference[] = ['system', 'light', 'dark'];
      const next = order[(order.indexOf(get().themePreference) + 1) % order.length] ?? 'system';
      set({ themePreference: next });
    },
    setSplitBy: (splitBy) => set({ splitBy }),
    setTimeMode: (timeMode) => set({ timeMode }),
    setColumnHidden: (columnId, isHidden) =>
      set((state) => {
        const others = state.hiddenColumns.filter((id) => id !== columnId);
        return { hiddenColumns: isHidden ? [...others, columnId] : others };
      }),
    setPanelSize: (panel, sizePx) => set({ [panel]: clampPanel(panel, sizePx) }),
    setDetailsOpen: (isDetailsOpen) => set({ isDetailsOpen }),
    setMainView: (mainView) => set({ mainView }),
  }));
  store.subscribe((state) => writeJson(storage, STORAGE_KEY, settingsOf(state)));
  return store;
}

/** Reads one setting of the view. */
export function useViewSetting<K extends keyof ViewSettings>(key: K): ViewSettings[K] {
  return useStore(useStores().view, (state) => state[key]);
}

/** The theme preference. */
export function useThemePreference(): ThemePreference {
  return useViewSetting('themePreference');
}

/** The colour scheme in effect: the user's choice, or the system's for `system`. */
export function useResolvedTheme(): 'light' | 'dark' {
  return useStore(useStores().view, (state) =>
    state.themePreference === 'system' ? state.systemTheme : state.themePreference,
  );
}

/** The timeline's split field. */
export function useSplitBy(): EventField {
  return useViewSetting('splitBy');
}

/** The time column mode. */
export function useTimeMode(): TimeMode {
  return useViewSetting('timeMode');
}

/** The hidden grid columns. */
export function useHiddenColumns(): readonly string[] {
  return useViewSetting('hiddenColumns');
}

/** The panel sizes. */
export function usePanelSizes(): Pick<ViewSettings, PanelName> {
  return useStore(
    useStores().view,
    useShallow((state) => ({
      sidebarWidth: state.sidebarWidth,
      detailsWidth: state.detailsWidth,
      timelineHeight: state.timelineHeight,
    })),
  );
}

/** The view store's actions (stable functions). */
export function useViewActions(): Omit<ViewState, keyof ViewSettings | 'systemTheme'> {
  return useStore(
    useStores().view,
    useShallow((state) => ({
      setThemePreference: state.setThemePreference,
      setSystemTheme: state.setSystemTheme,
      cycleTheme: state.cycleTheme,
      setSplitBy: state.setSplitBy,
      setTimeMode: state.setTimeMode,
      setColumnHidden: state.setColumnHidden,
      setPanelSize: state.setPanelSize,
      setDetailsOpen: state.setDetailsOpen,
      setMainView: state.setMainView,
    })),
  );
}
