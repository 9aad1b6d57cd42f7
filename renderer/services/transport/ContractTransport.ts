/**
 * What the renderer needs of a transport beyond the contract's `ContractClient`: its connection
 * status (browser mode can lose its WebSocket) and a way to shut it down.
 */
import type { ContractClient } from '../../../shared/contract';

/** Connection status of a transport. IPC is always `open`. */
export type TransportStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A `ContractClient` with a connection status. */
export interface ContractTransport extends ContractClient {
  /** Which mechanism carries the calls. */
  readonly kind: 'ipc' | 'websocket';
  /** The current connection status. */
  status(): TransportStatus;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus(listener: (status: TransportStatus) => void): () => void;
  /** Closes the connection for good; pending calls are rejected. */
  dispose(): void;
}
