/**
 * The app's keyboard shortcuts: Ctrl/Cmd+O open, Ctrl/Cmd+F quick search, Escape clears the
 * filter, + and − zoom the timeline. A key a focused widget already handled (default prevented)
 * is left alone, and typing in a text field never triggers the single-key shortcuts.
 */
import { useEffect, useRef } from 'react';

/** What the shortcuts do. */
export interface ShortcutHandlers {
  onOpen: () => void;
  onFind: () => void;
  onClearFilter: () => void;
  onZoom: (direction: 'in' | 'out') => void;
}

/** Ids of inputs whose Escape (when they did not use it) still clears the filter. */
const FILTER_INPUT_CLASSES = ['filter-input', 'quick-search'];

function isEditable(target: EventTarget | null): target is HTMLElement {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select') !== null;
}

/** Installs the shortcuts on `window` for the life of the component. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const { onOpen, onFind, onClearFilter, onZoom } = latest.current;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && !event.altKey && !event.shiftKey && key === 'o') {
        event.preventDefault();
        onOpen();
        return;
      }
      if (mod && !event.altKey && !event.shiftKey && key === 'f') {
        event.preventDefault();
        onFind();
        return;
      }
      if (mod || event.altKey) return;
      if (event.key === 'Escape') {
        const target = event.target;
        if (
          isEditable(target) &&
          !FILTER_INPUT_CLASSES.some((name) => target.classList.contains(name))
        ) {
          return;
        }
        onClearFilter();
        return;
      }
      if (isEditable(event.target)) return;
      if (event.key === '+' || event.key === '=') {
        event.preventDefault();
        onZoom('in');
      } else if (event.key === '-' || event.key === '_') {
        event.preventDefault();
        onZoom('out');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
