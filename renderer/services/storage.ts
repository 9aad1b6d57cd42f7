/**
 * Small JSON values in `localStorage` (layout, filter history), failing soft: a private window,
 * a full quota or a corrupt value never breaks the UI, it only forgets.
 */

/** Where remembered values live (tests pass an in-memory one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** `window.localStorage` when usable, else null. */
export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Some sandboxed pages throw on the mere access; they get no memory.
    return null;
  }
}

/** An in-memory storage (for tests and when localStorage is missing). */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/** Reads a JSON value; `fallback` when missing or unreadable. */
export function readJson<T>(storage: KeyValueStorage | null, key: string, fallback: T): T {
  const text = safely(() => storage?.getItem(key) ?? null, null);
  if (text === null) return fallback;
  return safely(() => JSON.parse(text) as T, fallback);
}

/** Writes a JSON value; failures (quota, privacy mode) are logged and ignored. */
export function writeJson(storage: KeyValueStorage | null, key: string, value: unknown): void {
  safely(() => storage?.setItem(key, JSON.stringify(value)), undefined);
}

function safely<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    console.warn('Dropscope: local storage is not usable', error);
    return fallback;
  }
}
