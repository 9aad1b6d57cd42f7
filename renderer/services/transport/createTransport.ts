/**
 * Picks the transport: the preload's bridge in the desktop app, the server's WebSocket otherwise.
 * The rest of the renderer never knows which one it has.
 */
import type { RendererBridge } from '../../../shared/contract';
import { createIpcTransport } from './ipcTransport';
import type { ContractTransport } from './ContractTransport';
import { defaultWebSocketUrl, WebSocketTransport } from './WebSocketTransport';

/**
 * Creates the transport for this page.
 *
 * `ipcTransport` when `window.bridge` exists (Electron), else a `WebSocketTransport` to
 * `/ws` of the host that served the page (browser mode; the token cookie is already set).
 */
export function createTransport(target: Window = window): ContractTransport {
  const bridge = findBridge(target);
  if (bridge) return createIpcTransport(bridge);
  return new WebSocketTransport({ url: defaultWebSocketUrl(target.location) });
}

/**
 * The preload's bridge of `target`, or undefined in browser mode.
 *
 * Reads the property through a local type rather than the global `Window` augmentation of
 * env.d.ts, so that code compiled without that declaration (tests) still type-checks.
 */
export function findBridge(target: Window): RendererBridge | undefined {
  return (target as Window & { bridge?: RendererBridge }).bridge;
}
