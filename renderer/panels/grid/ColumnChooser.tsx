/**
 * A "Columns" menu with one checkbox per grid column.
 */
import { useEffect, useRef, useState } from 'react';
import type { DropColumn } from './dropColumns';

/** Props of `ColumnChooser`. */
export interface ColumnChooserProps {
  columns: readonly DropColumn[];
  hiddenColumns: readonly string[];
  onToggle: (columnId: string, isHidden: boolean) => void;
}

/** The column chooser; closes on a click outside or Escape. */
export function ColumnChooser({ columns, hiddenColumns, onToggle }: ColumnChooserProps) {
  const [isOpen, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return undefined;
    const onDown = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [isOpen]);

  return (
    <div className="menu-root" ref={rootRef}>
      <button
        type="button"
        className="button-small"
        aria-expanded={isOpen}
        data-testid="grid-column-chooser"
        onClick={() => setOpen(!isOpen)}
      >
        Columns ▾
      </button>
      {isOpen && (
        <div
          className="menu"
          role="menu"
          data-testid="grid-column-menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              setOpen(false);
            }
          }}
        >
          {columns.map((column) => {
            const isHidden = hiddenColumns.includes(column.id);
            return (
              <label
                key={column.id}
                className="menu-check"
                role="menuitemcheckbox"
                aria-checked={!isHidden}
              >
                <input
                  type="checkbox"
                  checked={!isHidden}
                  data-testid="grid-column-toggle"
                  data-column={column.id}
                  onChange={() => onToggle(column.id, !isHidden)}
                />
                {column.header}
              </label>
            );
          })}
        </div>
      )}
    </div>
  );
}
