/**
 * The contract over Electron IPC: one `ipcMain.handle` per channel of the contract. Each call is
 * checked in order: sender (the app's own renderer, top frame), then the payload's schema and the
 * policy (inside `api.handle`). Outcomes travel as `{ ok, value | error }` so that the preload
 * can reject with the plain message (Electron would prefix a thrown error's message with
 * "Error invoking remote method …").
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../../../shared/contract';
import { ApiError, type Api } from '../../api';
import { isTrustedSender, type RendererLocation } from './isTrustedSender';

/** What a handler answers (the preload turns `ok: false` into a rejected promise). */
export type IpcOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** The user-facing message of a failure; unexpected ones are logged and marked internal. */
function messageOf(error: unknown, log: (message: string) => void): string {
  if (error instanceof ApiError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  log(`ipc: internal error: ${error instanceof Error ? (error.stack ?? message) : message}`);
  return `internal error: ${message}`;
}

/** The frame of an IPC event as isTrustedSender sees it. */
function senderOf(event: IpcMainInvokeEvent): { url: string; isTopFrame: boolean } | null {
  const frame = event.senderFrame;
  return frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
}

/** Registers every channel; returns the function that removes the handlers. */
export function registerIpc(
  api: Api,
  renderer: RendererLocation,
  log: (message: string) => void = (message) => console.error(message),
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcOutcome> => {
      const sender = senderOf(event);
      if (!isTrustedSender(sender, renderer)) {
        log(`ipc: refused ${channel} from ${sender?.url ?? 'a destroyed frame'}`);
        return { ok: false, error: 'refused: this page may not call the app' };
      }
      try {
        return { ok: true, value: (await api.handle(channel, payload)) ?? null };
      } catch (error) {
        return { ok: false, error: messageOf(error, log) };
      }
    });
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}
