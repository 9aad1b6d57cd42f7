/**
 * The sandboxed preload (built to out/preload/index.cjs): exposes `window.bridge`, the renderer's
 * only way to main, built from the contract's lists. `invoke` accepts only the contract's
 * channels, `on` only its push events (an allowlist plus a `domain:` prefix check); listeners
 * never see Electron's event object, and subscribing returns the unsubscribe function.
 *
 * Runs in a sandbox: it may use electron's contextBridge, ipcRenderer and webUtils only.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNELS, PUSH_EVENTS, type RendererBridge } from '../../../shared/contract';

/** What main answers (mirrors IpcOutcome of main/app/ipc/registerIpc.ts). */
type IpcOutcome = { ok: true; value: unknown } | { ok: false; error: string };

const NAME = /^([a-z]+):[A-Za-z]+$/;
const channels = new Set<string>(CHANNELS);
const pushEvents = new Set<string>(PUSH_EVENTS);
const domains = new Set([...CHANNELS, ...PUSH_EVENTS].map((name) => name.split(':')[0]));

/** Whether a name is well-formed, of a known domain, and in the list. */
function isAllowed(name: unknown, list: ReadonlySet<string>): name is string {
  if (typeof name !== 'string') return false;
  const match = NAME.exec(name);
  return match !== null && domains.has(match[1]) && list.has(name);
}

const bridge: RendererBridge = {
  async invoke(channel, request) {
    if (!isAllowed(channel, channels)) throw new Error(`unknown channel ${String(channel)}`);
    const outcome = (await ipcRenderer.invoke(channel, request)) as IpcOutcome;
    if (outcome.ok) return outcome.value;
    throw new Error(outcome.error);
  },
  on(event, listener) {
    if (!isAllowed(event, pushEvents)) throw new Error(`unknown push event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('bridge', bridge);
