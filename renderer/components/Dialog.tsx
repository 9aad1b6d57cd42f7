/**
 * A modal dialog: overlay, title, close button; Escape and a click outside close it. Focus moves
 * into the dialog when it opens and back to where it was when it closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';

/** Props of `Dialog`. */
export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** For tests and e2e. */
  testId?: string;
  /** Wider dialogs for tables. */
  isWide?: boolean;
}

/** A modal dialog (see the file overview). */
export function Dialog({ title, onClose, children, testId, isWide = false }: DialogProps) {
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panelRef.current?.focus();
    return () => previous?.focus();
  }, []);

  return (
    <div
      className="dialog-overlay"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panelRef}
        className={isWide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            // Handled here: the app's Escape (clear the filter) must not fire as well.
            event.preventDefault();
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            data-testid="dialog-close"
            onClick={onClose}
          >
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
