/**
 * Follows the system's colour scheme (`prefers-color-scheme`) into the view store, and puts the
 * scheme in effect on `<html data-theme>` where the CSS variables pick it up.
 */
import { useEffect } from 'react';
import { useResolvedTheme, useViewActions } from '../state';

/** Keeps the theme current; call once at the root. */
export function useSystemTheme(): void {
  const { setSystemTheme } = useViewActions();
  const resolved = useResolvedTheme();

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return undefined;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setSystemTheme(query.matches ? 'dark' : 'light');
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [setSystemTheme]);

  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
    document.documentElement.style.colorScheme = resolved;
  }, [resolved]);
}
