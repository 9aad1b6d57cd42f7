import { describe, expect, it } from 'vitest';
import {
  WebSocketTransport,
  defaultWebSocketUrl,
  type TransportTimers,
  type WebSocketLike,
} from '../../../../renderer/services';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  answer(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  lastRequest(): { id: number; channel: string; request: unknown } {
    return JSON.parse(this.sent[this.sent.length - 1]!) as never;
  }
}

function fakeTimers() {
  const scheduled: { callback: () => void; delayMs: number }[] = [];
  const timers: TransportTimers = {
    setTimeout: (callback, delayMs) => scheduled.push({ callback, delayMs }),
    clearTimeout: () => undefined,
  };
  return { timers, scheduled };
}

function setup() {
  const sockets: FakeSocket[] = [];
  const { timers, scheduled } = fakeTimers();
  const transport = new WebSocketTransport({
    url: 'ws://host/ws',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    retryDelaysMs: [100, 200, 400],
    timers,
  });
  return { transport, sockets, scheduled };
}

describe('WebSocketTransport', () => {
  it('sends calls made before the socket opens once it opens, with increasing ids', async () => {
    const { transport, sockets } = setup();
    const info = transport.call('app:info', {});
    const list = transport.call('trace:list', {});
    expect(sockets[0]!.sent).toEqual([]);

    sockets[0]!.open();
    const sent = sockets[0]!.sent.map(
      (text) => JSON.parse(text) as { id: number; channel: string },
    );
    expect(sent.map((message) => message.channel)).toEqual(['app:info', 'trace:list']);
    expect(sent[1]!.id).toBeGreaterThan(sent[0]!.id);

    sockets[0]!.answer({ id: sent[1]!.id, ok: true, value: [] });
    sockets[0]!.answer({ id: sent[0]!.id, ok: true, value: { mode: 'browser' } });
    await expect(info).resolves.toEqual({ mode: 'browser' });
    await expect(list).resolves.toEqual([]);
    expect(transport.status()).toBe('open');
  });

  it('rejects a call with the server error message', async () => {
    const { transport, sockets } = setup();
    sockets[0]!.open();
    const call = transport.call('trace:close', { traceId: 't9' });
    sockets[0]!.answer({ id: sockets[0]!.lastRequest().id, ok: false, error: 'no open trace t9' });
    await expect(call).rejects.toThrow('no open trace t9');
  });

  it('rejects pending calls when the socket closes and reconnects with growing delays', async () => {
    const { transport, sockets, scheduled } = setup();
    const statuses: string[] = [];
    transport.onStatus((status) => statuses.push(status));
    sockets[0]!.open();
    const call = transport.call('app:info', {});
    sockets[0]!.drop();
    await expect(call).rejects.toThrow('app:info: the connection to the Dropscope server was lost');
    expect(statuses).toEqual(['open', 'reconnecting']);
    expect(scheduled.map((timer) => timer.delayMs)).toEqual([100]);

    scheduled[0]!.callback();
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    expect(scheduled.map((timer) => timer.delayMs)).toEqual([100, 200]);

    scheduled[1]!.callback();
    sockets[2]!.open();
    expect(transport.status()).toBe('open');
    const again = transport.call('app:recent', {});
    sockets[2]!.answer({ id: sockets[2]!.lastRequest().id, ok: true, value: ['/a'] });
    await expect(again).resolves.toEqual(['/a']);
  });

  it('delivers push events to subscribers until they unsubscribe', () => {
    const { transport, sockets } = setup();
    sockets[0]!.open();
    const seen: number[] = [];
    const unsubscribe = transport.subscribe('trace:loadProgress', (event) =>
      seen.push(event.events),
    );
    const progress = {
      loadId: 'l1',
      file: '/f',
      bytesRead: 1,
      totalBytes: 2,
      events: 5,
      done: false,
    };
    sockets[0]!.answer({ push: 'trace:loadProgress', payload: progress });
    unsubscribe();
    sockets[0]!.answer({ push: 'trace:loadProgress', payload: { ...progress, events: 9 } });
    expect(seen).toEqual([5]);
  });

  it('rejects everything and stops reconnecting once disposed', async () => {
    const { transport, sockets, scheduled } = setup();
    const call = transport.call('app:info', {});
    transport.dispose();
    await expect(call).rejects.toThrow('the connection was closed');
    await expect(transport.call('app:info', {})).rejects.toThrow('closed');
    expect(scheduled).toEqual([]);
    expect(sockets[0]!.readyState).toBe(3);
    expect(transport.status()).toBe('closed');
  });
});

describe('defaultWebSocketUrl', () => {
  it('uses the page host, wss for https, and passes the token on', () => {
    expect(defaultWebSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '' })).toBe(
      'ws://127.0.0.1:5000/ws',
    );
    expect(
      defaultWebSocketUrl({ protocol: 'https:', host: 'box:8443', search: '?token=a b' }),
    ).toBe('wss://box:8443/ws?token=a%20b');
  });
});
