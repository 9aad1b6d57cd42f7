/**
 * Hands the one `DropscopeApi` of the page to panels (the app creates it once, at the root).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { DropscopeApi } from './api';

const ApiContext = createContext<DropscopeApi | null>(null);

/** Provides `api` to everything below. */
export function ApiProvider({ api, children }: { api: DropscopeApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The page's API. Throws when used outside `ApiProvider` (a wiring bug). */
export function useApi(): DropscopeApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
