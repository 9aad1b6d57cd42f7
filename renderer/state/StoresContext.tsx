/**
 * Hands the page's stores to components. The app composes them once (`createStores`) and every
 * named selector hook finds them here.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { CaptureStore } from './captureStore';
import type { CompareStore } from './compareStore';
import type { ExportStore } from './exportStore';
import type { FilterStore } from './filterStore';
import type { SelectionStore } from './selectionStore';
import type { SessionStore } from './sessionStore';
import type { ViewStore } from './viewStore';

/** One store per concern. */
export interface Stores {
  session: SessionStore;
  filter: FilterStore;
  selection: SelectionStore;
  view: ViewStore;
  compare: CompareStore;
  exports: ExportStore;
  captures: CaptureStore;
}

const StoresContext = createContext<Stores | null>(null);

/** Provides the stores to everything below. */
export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

/** The page's stores. Throws outside `StoresProvider` (a wiring bug). */
export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores() outside <StoresProvider>');
  return stores;
}
