import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../shared/contract';
import { WelcomeScreen } from '../../../renderer/app/WelcomeScreen';
import { traceInfo } from '../helpers/fakeClient';
import { click, renderWithStores, type Rendered } from '../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

function appInfo(overrides: Partial<AppInfo>): AppInfo {
  return {
    mode: 'desktop',
    version: '0.1.0',
    canOpenPaths: true,
    initialFiles: [],
    hasSample: true,
    canCapture: true,
    ...overrides,
  };
}

async function renderWelcome(info: AppInfo, onOpen = () => undefined) {
  rendered = await renderWithStores(
    {
      'app:info': () => info,
      'trace:list': () => [],
      'app:recent': () => ['/home/me/drops.txt'],
      'trace:openSample': () => traceInfo({ traceId: 't1', name: 'sample-perf-script.txt' }),
      'trace:open': (request) => traceInfo({ traceId: 't2', file: request.path }),
    },
    () => <WelcomeScreen onOpen={onOpen} onRecord={() => undefined} />,
  );
  await rendered.change(() => void rendered!.stores.session.getState().initialize());
  return rendered;
}

function query(testId: string): Element | null {
  return rendered!.container.querySelector(`[data-testid="${testId}"]`);
}

describe('WelcomeScreen', () => {
  it('opens the bundled sample in one click', async () => {
    const { client, stores, settle } = await renderWelcome(appInfo({}));
    await click(query('welcome-open-sample'));
    await settle();
    expect(client.callsOf('trace:openSample')).toHaveLength(1);
    expect(stores.session.getState().activeTraceId).toBe('t1');
  });

  it('opens a recent file by path on the desktop', async () => {
    const { client, settle } = await renderWelcome(appInfo({}));
    await click(query('welcome-recent-item'));
    await settle();
    expect(client.callsOf('trace:open')[0]).toMatchObject({ path: '/home/me/drops.txt' });
  });

  it('lists recent files without opening them in browser mode, and hides a missing sample', async () => {
    await renderWelcome(appInfo({ mode: 'browser', canOpenPaths: false, hasSample: false }));
    expect(query('welcome-recent-item')?.tagName).toBe('SPAN');
    expect(query('welcome-open-sample')).toBeNull();
  });

  it('asks the app to show the file picker from Open…', async () => {
    let opened = 0;
    await renderWelcome(appInfo({}), () => {
      opened++;
    });
    await click(query('welcome-open'));
    expect(opened).toBe(1);
  });
});
