/**
 * The contract over WebSocket (shared/contract/wsProtocol.ts): each `WsRequest` goes to
 * `api.handle` and its outcome comes back as a `WsResponse` with the same id; every push event of
 * the API goes to every connected page as a `WsPush`. Authentication happens before the upgrade
 * (startServer); this class only moves messages.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { PushEvent, PushEvents, WsPush, WsResponse } from '../../shared/contract';
import { ApiError, type Api } from '../api';

/** Largest message a page may send (filters with many values stay far below). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The user-facing message of a failed call; unexpected errors are logged and marked internal. */
export function errorMessageOf(error: unknown, log: (message: string) => void): string {
  if (error instanceof ApiError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  log(
    `dropscope serve: internal error: ${error instanceof Error ? (error.stack ?? message) : message}`,
  );
  return `internal error: ${message}`;
}

/** The text of a message (ws hands over a Buffer, a fragment list or an ArrayBuffer). */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** Parses one message into a call, or says why it is not one. */
function parseRequest(
  data: RawData,
  isBinary: boolean,
): { id: number; channel: string; request: unknown } | { id: number; error: string } {
  if (isBinary) return { id: -1, error: 'binary messages are not part of the protocol' };
  let message: unknown;
  try {
    message = JSON.parse(rawText(data));
  } catch {
    return { id: -1, error: 'a message must be JSON' };
  }
  if (typeof message !== 'object' || message === null)
    return { id: -1, error: 'a message must be an object' };
  const { id, channel, request } = message as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    return { id: -1, error: 'a message needs an integer id' };
  if (typeof channel !== 'string') return { id, error: 'a message needs a channel' };
  return { id, channel, request };
}

/** Connected pages and the API they talk to. */
/** Above this many unsent bytes on a socket, superseded progress pushes are skipped. */
export const MAX_BUFFERED_PUSH_BYTES = 1 << 20;

/**
 * Whether a push is intermediate progress that a later push of the same kind replaces (load,
 * export and capture progress before their end), so a slow page may miss it without losing
 * anything.
 */
export function isSupersededPush<E extends PushEvent>(event: E, payload: PushEvents[E]): boolean {
  switch (event) {
    case 'trace:loadProgress':
      return !(payload as PushEvents['trace:loadProgress']).done;
    case 'report:exportProgress':
      return !(payload as PushEvents['report:exportProgress']).done;
    case 'capture:progress': {
      const state = (payload as PushEvents['capture:progress']).status.state;
      return state === 'recording' || state === 'starting';
    }
    case 'app:menu':
      return false;
  }
}

export class WsBridge {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly unsubscribe: () => void;

  constructor(
    private readonly api: Api,
    private readonly log: (message: string) => void,
  ) {
    this.wss.on('connection', (socket: WebSocket) => this.attach(socket));
    this.unsubscribe = api.onPush((event, payload) => this.broadcast(event, payload));
  }

  /** Completes an upgrade that startServer has already authenticated. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  /** Number of connected pages. */
  get clientCount(): number {
    return this.wss.clients.size;
  }

  private attach(socket: WebSocket): void {
    socket.on('error', (error) => this.log(`dropscope serve: websocket error: ${error.message}`));
    socket.on('message', (data, isBinary) => {
      const parsed = parseRequest(data, isBinary);
      if ('error' in parsed) {
        this.send(socket, { id: parsed.id, ok: false, error: parsed.error });
        return;
      }
      this.api.handle(parsed.channel, parsed.request).then(
        (value) => this.send(socket, { id: parsed.id, ok: true, value: value ?? null }),
        (error: unknown) =>
          this.send(socket, { id: parsed.id, ok: false, error: errorMessageOf(error, this.log) }),
      );
    });
  }

  private send(socket: WebSocket, message: WsResponse | WsPush): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  private broadcast<E extends PushEvent>(event: E, payload: PushEvents[E]): void {
    const message: WsPush<E> = { push: event, payload };
    const text = JSON.stringify(message);
    const droppable = isSupersededPush(event, payload);
    for (const socket of this.wss.clients) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      // Flow control: a page that does not keep up skips intermediate progress (the next one
      // supersedes it); final states always go out.
      if (droppable && socket.bufferedAmount > MAX_BUFFERED_PUSH_BYTES) continue;
      socket.send(text);
    }
  }

  /** Stops listening to the API and disconnects every page. */
  close(): Promise<void> {
    this.unsubscribe();
    for (const socket of this.wss.clients) socket.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
