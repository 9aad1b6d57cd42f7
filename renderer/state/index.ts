/**
 * UI state: one zustand store per concern (session, filter, selection, view, compare), created by
 * factories that receive their services, with named selector hooks next to each store.
 */
export * from './StoresContext';
export * from './createStores';
export * from './sessionStore';
export * from './filterStore';
export * from './filterClauses';
export * from './filterVocabulary';
export * from './selectionStore';
export * from './viewStore';
export * from './compareStore';
export * from './exportStore';
export * from './captureStore';
