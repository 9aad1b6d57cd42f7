/**
 * The desktop transport: contract calls through the preload's `window.bridge`.
 */
import type {
  Channel,
  PushEvent,
  PushEvents,
  RendererBridge,
  RequestOf,
  ResponseOf,
} from '../../../shared/contract';
import type { ContractTransport, TransportStatus } from './ContractTransport';

/** Electron prefixes errors thrown by a handler with this; the user needs only the message. */
const ELECTRON_INVOKE_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** The message of a failed call, without Electron's "Error invoking remote method" wrapper. */
export function cleanIpcError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(ELECTRON_INVOKE_PREFIX, ''));
}

/**
 * Creates a transport over the preload's bridge.
 *
 * Responses are trusted to match the contract: main validated the request with the same schemas
 * and answered from the one typed API. Status is always `open` (IPC cannot disconnect).
 */
export function createIpcTransport(bridge: RendererBridge): ContractTransport {
  return {
    kind: 'ipc',
    async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      try {
        return (await bridge.invoke(channel, request)) as ResponseOf<C>;
      } catch (error) {
        throw cleanIpcError(error);
      }
    },
    subscribe<E extends PushEvent>(
      event: E,
      listener: (payload: PushEvents[E]) => void,
    ): () => void {
      return bridge.on(event, (payload) => listener(payload as PushEvents[E]));
    },
    status: (): TransportStatus => 'open',
    onStatus: () => () => undefined,
    dispose: () => undefined,
  };
}
