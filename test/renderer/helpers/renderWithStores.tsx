/**
 * Renders a component inside the app's providers (API and stores over a fake client) in jsdom,
 * with react-dom/client and `act`.
 */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { ApiProvider, createDropscopeApi, memoryStorage } from '../../../renderer/services';
import { StoresProvider, createStores, type Stores } from '../../../renderer/state';
import { createFakeClient, type FakeClient, type FakeHandlers } from './fakeClient';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

/** What a rendered test tree gives the test. */
export interface Rendered {
  client: FakeClient;
  stores: Stores;
  container: HTMLElement;
  /** Lets pending promises (fake calls) settle and React re-render. */
  settle: () => Promise<void>;
  /** Runs a store change inside `act`, then settles. */
  change: (run: () => void) => Promise<void>;
  unmount: () => void;
}

/** Renders `element(stores)` with providers over a fake client answering with `handlers`. */
export async function renderWithStores(
  handlers: FakeHandlers,
  element: (stores: Stores) => ReactNode,
  options: { download?: (url: string, fileName: string) => void } = {},
): Promise<Rendered> {
  const client = createFakeClient(handlers);
  const api = createDropscopeApi(client);
  const stores = createStores({
    api,
    resolveFilePath: () => Promise.reject(new Error('no files in this test')),
    storage: memoryStorage(),
    scheduleFlush: (flush) => flush(),
    ...(options.download ? { download: options.download } : {}),
  });
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root | null = null;
  const settle = async () => {
    await act(async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    });
  };
  await act(async () => {
    root = createRoot(container);
    root.render(
      <ApiProvider api={api}>
        <StoresProvider stores={stores}>{element(stores)}</StoresProvider>
      </ApiProvider>,
    );
    await Promise.resolve();
  });
  await settle();
  return {
    client,
    stores,
    container,
    settle,
    change: async (run) => {
      await act(async () => {
        run();
        await Promise.resolve();
      });
      await settle();
    },
    unmount: () => {
      act(() => root?.unmount());
      container.remove();
    },
  };
}

/** Clicks an element inside `act`, with modifier keys. */
export async function click(element: Element | null, init: MouseEventInit = {}): Promise<void> {
  if (!element) throw new Error('nothing to click');
  await act(async () => {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ...init }));
    await Promise.resolve();
  });
}

/** Types `value` into an input the way React sees it (native setter + input event). */
export async function typeInto(input: Element | null, value: string): Promise<void> {
  if (!(input instanceof HTMLInputElement)) throw new Error('not an input');
  // React tracks the value an input had; the prototype's setter goes around that tracking, so
  // React sees the change as typing.
  await act(async () => {
    Reflect.set(HTMLInputElement.prototype, 'value', value, input);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await Promise.resolve();
  });
}

/** Presses a key on an element inside `act`. */
export async function pressKey(element: Element | null, key: string): Promise<void> {
  if (!element) throw new Error('no element for the key');
  await act(async () => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    await Promise.resolve();
  });
}
