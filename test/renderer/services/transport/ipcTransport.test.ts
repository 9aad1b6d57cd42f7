import { describe, expect, it } from 'vitest';
import type { RendererBridge } from '../../../../shared/contract';
import { createIpcTransport, createTransport } from '../../../../renderer/services';

function fakeBridge(answer: (channel: string, request: unknown) => Promise<unknown>) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge: RendererBridge = {
    invoke: answer,
    on: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    pathForFile: () => '/home/me/drops.txt',
  };
  return { bridge, listeners };
}

describe('ipcTransport', () => {
  it('invokes the channel through the bridge and returns its answer', async () => {
    const seen: [string, unknown][] = [];
    const { bridge } = fakeBridge((channel, request) => {
      seen.push([channel, request]);
      return Promise.resolve({ mode: 'desktop' });
    });
    const transport = createIpcTransport(bridge);
    await expect(transport.call('app:info', {})).resolves.toEqual({ mode: 'desktop' });
    expect(seen).toEqual([['app:info', {}]]);
    expect(transport.status()).toBe('open');
  });

  it("strips Electron's remote-method wrapper from error messages", async () => {
    const { bridge } = fakeBridge(() =>
      Promise.reject(
        new Error("Error invoking remote method 'trace:open': Error: /x: no such file"),
      ),
    );
    await expect(createIpcTransport(bridge).call('trace:open', { path: '/x' })).rejects.toThrow(
      /^\/x: no such file$/,
    );
  });

  it('subscribes to push events through the bridge', () => {
    const { bridge, listeners } = fakeBridge(() => Promise.resolve(null));
    const seen: string[] = [];
    const unsubscribe = createIpcTransport(bridge).subscribe('trace:loadProgress', (event) =>
      seen.push(event.loadId),
    );
    listeners.get('trace:loadProgress')!({ loadId: 'l7' });
    expect(seen).toEqual(['l7']);
    unsubscribe();
    expect(listeners.has('trace:loadProgress')).toBe(false);
  });

  it('is the transport chosen when the page has a bridge', () => {
    const { bridge } = fakeBridge(() => Promise.resolve(null));
    const page = { bridge, location: window.location } as unknown as Window;
    expect(createTransport(page).kind).toBe('ipc');
  });
});
