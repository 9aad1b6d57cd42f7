/**
 * Globals of the renderer's runtime: a browser page, plus the Electron preload's bridge when the
 * page runs in the desktop app.
 */
import type { RendererBridge } from '../shared/contract';

declare global {
  interface Window {
    /** Present only in the desktop app (the preload's `contextBridge` object); absent in browser mode. */
    bridge?: RendererBridge;
  }
}

export {};
