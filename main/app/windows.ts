/**
 * The main window and the security settings of every page: sandboxed, context-isolated renderer
 * with the preload's `window.bridge` as its only door; a strict CSP on every response;
 * navigation, new windows, webviews and permission requests denied (https links open in the
 * system browser). The window's bounds are remembered in the user-data folder.
 */
import { BrowserWindow, screen, shell, type Session, type WebContents } from 'electron';
import type { RendererLocation } from './ipc';
import { fitWindowState, loadWindowState, MIN_WINDOW_SIZE, saveWindowState } from './windowState';

/** What the main window needs. */
export interface MainWindowOptions {
  /** The built preload (out/preload/index.cjs). */
  preloadFile: string;
  renderer: RendererLocation;
  /** JSON file remembering bounds and maximized state. */
  stateFile: string;
}

/** Creates and loads the main window (shown once its first paint is ready). */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = fitWindowState(loadWindowState(options.stateFile), workAreas);
  const window = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Dropscope',
    show: false,
    webPreferences: {
      preload: options.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.isMaximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    try {
      saveWindowState(options.stateFile, {
        ...window.getNormalBounds(),
        isMaximized: window.isMaximized(),
      });
    } catch (error) {
      console.warn(`cannot remember the window size: ${(error as Error).message}`);
    }
  });
  const loaded =
    options.renderer.kind === 'url'
      ? window.loadURL(options.renderer.url)
      : window.loadFile(options.renderer.indexFile);
  loaded.catch((error: unknown) =>
    console.error(
      `cannot load the renderer: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  return window;
}

/** Whether a link may open in the system browser: https only. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Applies the navigation rules to a page (called for every web contents the app creates). */
export function hardenWebContents(contents: WebContents): void {
  // The renderer is a single page: any navigation (a dropped file, a link) is refused.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url))
      shell
        .openExternal(url)
        .catch((error: unknown) => console.warn(`cannot open ${url}: ${String(error)}`));
    return { action: 'deny' };
  });
}

/** Permissions the renderer may use: writing to the clipboard (copying rows). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Installs the CSP header on every response and denies permission requests. */
export function installSessionPolicy(session: Session, contentSecurityPolicy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({
      responseHeaders: { ...headers, 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}
