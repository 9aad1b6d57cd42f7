import { describe, expect, it } from 'vitest';
import { createDropscopeApi } from '../../../renderer/services';
import { createStores } from '../../../renderer/state';
import { createFakeClient, traceInfo, type FakeHandlers } from '../helpers/fakeClient';

function setup(handlers: FakeHandlers, resolveFilePath = () => Promise.resolve('/uploaded/x')) {
  const client = createFakeClient({
    'app:recent': () => [],
    'trace:list': () => [],
    ...handlers,
  });
  const flushes: (() => void)[] = [];
  const stores = createStores({
    api: createDropscopeApi(client),
    resolveFilePath,
    storage: null,
    scheduleFlush: (flush) => flushes.push(flush),
  });
  return { client, stores, flushes };
}

const appInfo = {
  mode: 'browser' as const,
  version: '0.1.0',
  canOpenPaths: false,
  initialFiles: ['/data/a.txt', '/data/b.txt'],
  hasSample: true,
  canCapture: false,
};

describe('sessionStore', () => {
  it('opens the command line files at start and keeps the first one in front', async () => {
    let next = 1;
    const { client, stores } = setup({
      'app:info': () => appInfo,
      'trace:open': (request) =>
        traceInfo({ traceId: `t${next++}`, file: request.path, name: request.path.slice(6) }),
    });
    await stores.session.getState().initialize();
    await stores.session.getState().initialize();

    const state = stores.session.getState();
    expect(client.callsOf('trace:open').map((request) => request.path)).toEqual([
      '/data/a.txt',
      '/data/b.txt',
    ]);
    expect(state.traces.map((trace) => trace.name)).toEqual(['a.txt', 'b.txt']);
    expect(state.activeTraceId).toBe('t1');
    expect(state.loads).toEqual([]);
  });

  it('adopts traces main already has instead of opening them again', async () => {
    const { client, stores } = setup({
      'app:info': () => appInfo,
      'trace:list': () => [
        traceInfo({ traceId: 't5', file: '/data/a.txt' }),
        traceInfo({ traceId: 't6', file: '/data/b.txt' }),
      ],
    });
    await stores.session.getState().initialize();
    expect(client.callsOf('trace:open')).toEqual([]);
    expect(stores.session.getState().activeTraceId).toBe('t5');
  });

  it('shows load progress once per frame and cancels a load by its id', async () => {
    let finishOpen: (error: Error) => void = () => undefined;
    const { client, stores, flushes } = setup({
      'trace:open': () =>
        new Promise((_, reject) => {
          finishOpen = reject;
        }),
      'trace:cancel': () => null,
    });
    const opening = stores.session.getState().openPath('/data/big.txt');
    const [load] = stores.session.getState().loads;
    expect(load).toMatchObject({ name: 'big.txt', phase: 'reading' });
    const loadId = load!.loadId;

    for (const bytesRead of [10, 20, 30]) {
      client.push('trace:loadProgress', {
        loadId,
        file: '/data/big.txt',
        bytesRead,
        totalBytes: 100,
        events: bytesRead * 2,
        done: false,
      });
    }
    expect(flushes).toHaveLength(1);
    flushes[0]!();
    expect(stores.session.getState().loads[0]).toMatchObject({ doneBytes: 30, events: 60 });

    stores.session.getState().cancelLoad(loadId);
    expect(client.callsOf('trace:cancel')).toEqual([{ loadId }]);
    finishOpen(new Error('load cancelled'));
    await opening;
    expect(stores.session.getState().loads).toEqual([]);
    expect(stores.session.getState().messages).toEqual([]);
  });

  it('uploads picked files in browser mode and opens the path the server gave', async () => {
    const { client, stores } = setup(
      { 'trace:open': (request) => traceInfo({ traceId: 't2', file: request.path }) },
      () => Promise.resolve('/tmp/upload-1/drops.txt'),
    );
    await stores.session.getState().openFiles([new File(['x'], 'drops.txt')]);
    expect(client.callsOf('trace:open')[0]).toMatchObject({ path: '/tmp/upload-1/drops.txt' });
    expect(stores.session.getState().activeTraceId).toBe('t2');
  });

  it('reports a failed open as a message naming the file', async () => {
    const { stores } = setup({
      'trace:open': () => Promise.reject(new Error('/data/junk.bin: not a trace')),
    });
    await stores.session.getState().openPath('/data/junk.bin');
    expect(stores.session.getState().messages.map((message) => message.text)).toEqual([
      '/data/junk.bin: not a trace',
    ]);
  });

  it('closing a trace forgets its filter and selection and activates a neighbour', async () => {
    let next = 1;
    const { stores } = setup({
      'trace:open': (request) => traceInfo({ traceId: `t${next++}`, file: request.path }),
      'trace:close': () => null,
    });
    await stores.session.getState().openPath('/a');
    await stores.session.getState().openPath('/b');
    stores.filter.getState().toggleValue('t2', 'cpu', 1, false);
    stores.selection.getState().selectDrop('t2', null);

    await stores.session.getState().closeTrace('t2');
    expect(stores.session.getState().activeTraceId).toBe('t1');
    expect(stores.filter.getState().byTrace.t2).toBeUndefined();
    expect('t2' in stores.selection.getState().byTrace).toBe(false);
  });

  it('re-decoding replaces the trace info and bumps its revision', async () => {
    const { stores } = setup({
      'trace:open': () => traceInfo({ traceId: 't1' }),
      'trace:redecode': (request) =>
        traceInfo({
          traceId: 't1',
          kernel: { release: null, table: request.kernel, source: 'cli-release', detail: '' },
        }),
    });
    await stores.session.getState().openPath('/a');
    await stores.session.getState().redecode('t1', '6.1');
    const state = stores.session.getState();
    expect(state.traces[0]!.kernel.table).toBe('6.1');
    expect(state.revisions.t1).toBe(1);
  });
});
