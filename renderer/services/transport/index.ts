/**
 * Transports of the contract: IPC through the preload bridge, or a WebSocket in browser mode.
 */
export type { ContractTransport, TransportStatus } from './ContractTransport';
export { createIpcTransport, cleanIpcError } from './ipcTransport';
export { WebSocketTransport, defaultWebSocketUrl } from './WebSocketTransport';
export type {
  WebSocketLike,
  WebSocketTransportOptions,
  TransportTimers,
} from './WebSocketTransport';
export { createTransport, findBridge } from './createTransport';
