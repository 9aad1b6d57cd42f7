/**
 * The one place that sends to the renderer (`webContents.send`): typed by the contract's push
 * events, and held until the page has loaded so that an early event (files passed to a second
 * launch) is not lost.
 */
import type { BrowserWindow } from 'electron';
import type { PushEvent, PushEvents } from '../../../shared/contract';

/** Sends one push event to a window's page (dropped when the window is gone). */
export function push<E extends PushEvent>(
  window: BrowserWindow | null,
  event: E,
  payload: PushEvents[E],
): void {
  if (!window || window.isDestroyed()) return;
  const contents = window.webContents;
  const send = (): void => {
    if (!contents.isDestroyed()) contents.send(event, payload);
  };
  if (contents.isLoading()) contents.once('did-finish-load', send);
  else send();
}
