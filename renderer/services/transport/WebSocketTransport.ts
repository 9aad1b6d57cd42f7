/**
 * The browser-mode transport: contract calls over one WebSocket at `/ws` (see
 * shared/contract/wsProtocol.ts).
 *
 * Each call gets a request id; the answer with that id settles it. When the socket closes, every
 * call still waiting is rejected (the server forgets calls of a closed socket) and the transport
 * reconnects with a growing delay; calls made while it is disconnected wait for the next
 * connection (and are rejected if that attempt fails too). Push events go to subscribers by name.
 */
import {
  WS_PATH,
  type Channel,
  type PushEvent,
  type PushEvents,
  type RequestOf,
  type ResponseOf,
  type WsRequest,
} from '../../../shared/contract';
import type { ContractTransport, TransportStatus } from './ContractTransport';

/** The part of the DOM `WebSocket` the transport uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** Timer functions (tests pass fake ones). */
export interface TransportTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of `WebSocketTransport`. */
export interface WebSocketTransportOptions {
  /** `ws://host/ws` (see `defaultWebSocketUrl`). */
  url: string;
  /** Opens a socket; defaults to the DOM `WebSocket`. */
  createSocket?: (url: string) => WebSocketLike;
  /** Delays before reconnect attempts 1, 2, …; the last one repeats. */
  retryDelaysMs?: readonly number[];
  timers?: TransportTimers;
}

/** `WebSocket.OPEN`, spelled out so that fakes need not define the constant. */
const OPEN = 1;

const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];

interface PendingCall {
  channel: Channel;
  /** The encoded request, until it is sent. */
  unsent: string | null;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The WebSocket URL of the server that served this page (`ws:` or `wss:` like the page). */
export function defaultWebSocketUrl(
  location: Pick<Location, 'protocol' | 'host' | 'search'>,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // The server set the token cookie when it served the page; passing the token on as well keeps
  // the connection working where cookies are blocked.
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}://${location.host}${WS_PATH}${query}`;
}

/** A `ContractClient` over a reconnecting WebSocket. */
export class WebSocketTransport implements ContractTransport {
  readonly kind = 'websocket';
  private socket: WebSocketLike | null = null;
  private currentStatus: TransportStatus = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private retryTimer: unknown = null;
  private disposed = false;
  private readonly pending = new Map<number, PendingCall>();
  private readonly pushListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(status: TransportStatus) => void>();
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly retryDelaysMs: readonly number[];
  private readonly timers: TransportTimers;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.createSocket =
      options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timers = options.timers ?? {
      setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
    };
    this.connect();
  }

  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (this.disposed) return Promise.reject(new Error(`${channel}: the connection is closed`));
    const id = this.nextId++;
    const message: WsRequest = { id, channel, request };
    return new Promise<ResponseOf<C>>((resolve, reject) => {
      const call: PendingCall = {
        channel,
        unsent: JSON.stringify(message),
        resolve: (value) => resolve(value as ResponseOf<C>),
        reject,
      };
      this.pending.set(id, call);
      this.flush();
    });
  }

  subscribe<E extends PushEvent>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    let listeners = this.pushListeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this.pushListeners.set(event, listeners);
    }
    const wrapped = (payload: unknown): void => listener(payload as PushEvents[E]);
    listeners.add(wrapped);
    return () => {
      listeners.delete(wrapped);
    };
  }

  status(): TransportStatus {
    return this.currentStatus;
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this.rejectAll('the connection was closed');
    this.setStatus('closed');
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.disposed) return;
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch (error) {
      console.error('Dropscope: cannot open the WebSocket', error);
      this.rejectAll('cannot connect to the Dropscope server');
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
      this.flush();
    };
    socket.onmessage = (event) => this.receive(event.data);
    // A failed connection fires `error` and then `close`; `close` does the work.
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.rejectAll('the connection to the Dropscope server was lost');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    this.setStatus('reconnecting');
    const delays = this.retryDelaysMs;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt++;
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  /** Sends every unsent call when the socket is open. */
  private flush(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    for (const call of this.pending.values()) {
      if (call.unsent === null) continue;
      socket.send(call.unsent);
      call.unsent = null;
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch (error) {
      console.error('Dropscope: unreadable message from the server', error);
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if ('push' in message && typeof message.push === 'string') {
      const payload = 'payload' in message ? message.payload : undefined;
      for (const listener of this.pushListeners.get(message.push) ?? []) listener(payload);
      return;
    }
    if (!('id' in message) || typeof message.id !== 'number') return;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if ('ok' in message && message.ok === true) {
      call.resolve('value' in message ? message.value : undefined);
    } else {
      const text = 'error' in message && typeof message.error === 'string' ? message.error : '';
      call.reject(new Error(text || `${call.channel} failed`));
    }
  }

  private rejectAll(why: string): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(new Error(`${call.channel}: ${why}`));
  }

  private setStatus(status: TransportStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
