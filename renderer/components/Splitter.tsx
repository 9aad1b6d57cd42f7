/**
 * A drag handle between two panels. Reports the new size of the panel it belongs to; arrow keys
 * move it by 16 px for keyboard users.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** Props of `Splitter`. */
export interface SplitterProps {
  /** `vertical`: a vertical bar resizing widths; `horizontal`: a bar resizing heights. */
  orientation: 'vertical' | 'horizontal';
  /** The panel's current size, px. */
  sizePx: number;
  /** +1 when dragging right/down grows the panel, -1 when it shrinks it. */
  direction: 1 | -1;
  onResize: (sizePx: number) => void;
  label: string;
}

/** A drag handle (see the file overview). */
export function Splitter({ orientation, sizePx, direction, onResize, label }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const axis = (event: PointerEvent) =>
    orientation === 'vertical' ? event.clientX : event.clientY;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { start: axis(event), size: sizePx };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(drag.current.size + direction * (axis(event) - drag.current.start));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    event.currentTarget.releasePointerCapture(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const grow = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    const shrink = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    if (event.key === grow) onResize(sizePx + 16 * direction);
    else if (event.key === shrink) onResize(sizePx - 16 * direction);
    else return;
    event.preventDefault();
  };

  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={sizePx}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
