/**
 * Entry of the Electron main process (built to out/main/main.js): the desktop composition root.
 *
 * Keeps one instance (a second launch hands its files to the first), starts the engine in a
 * worker thread (out/main/engine.worker.js: no trace work on this thread), the API with desktop
 * policy (any regular file may be opened; recent files in the user-data folder), the IPC
 * handlers, the menu and the window. The renderer opens the launch files itself (`app:info`'s
 * `initialFiles`); later files reach it as `app:menu` `open-files` push events.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, Menu, session, shell, type BrowserWindow } from 'electron';
import { createApi } from '../api';
import { WorkerEngineClient } from '../engine';
import { captureHelperProgram } from './captureHelperProgram';
import { desktopContentSecurityPolicy } from './desktopContentSecurityPolicy';
import { chooseSavePath, chooseTraceFiles, showAboutDialog, showFatalError } from './dialogs';
import { push, registerIpc, type RendererLocation } from './ipc';
import { jsonRecentFiles } from './jsonRecentFiles';
import { appMenuTemplate, type MenuCommand } from './menus';
import { launchCwd, parseLaunchArgs } from './parseLaunchArgs';
import { electronHtmlToPdf } from './printToPdf';
import { createMainWindow, hardenWebContents, installSessionPolicy } from './windows';

/** The bundled sample under assets/samples/ (extraResources `samples/` when packaged). */
const SAMPLE_FILE = 'sample-perf-script.txt';

/** out/main: the preload and the renderer are its siblings. */
const mainDir = dirname(fileURLToPath(import.meta.url));

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The bundled sample: beside the resources when packaged, else in the repository's assets/. */
function findSample(): string | null {
  const inApp = join(app.getAppPath(), 'assets', 'samples', SAMPLE_FILE);
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'samples', SAMPLE_FILE), inApp]
    : [inApp];
  return candidates.find(isRegularFile) ?? null;
}

/** The files a second launch handed over (its additionalData), if well-formed. */
function filesOf(additionalData: unknown): string[] | null {
  if (typeof additionalData !== 'object' || additionalData === null) return null;
  const files = (additionalData as { files?: unknown }).files;
  return Array.isArray(files) && files.every((file) => typeof file === 'string') ? files : null;
}

/** Files named on this launch's command line. */
const launchFiles = parseLaunchArgs({
  argv: process.argv,
  defaultApp: process.defaultApp === true,
  cwd: launchCwd(process.env, process.cwd()),
});

function start(): void {
  let window: BrowserWindow | null = null;
  // Given to the API by reference: files arriving before the window (macOS open-file) join them.
  const initialFiles = [...launchFiles];

  const sendToRenderer = (command: MenuCommand): void => push(window, 'app:menu', command);
  const openInRenderer = (paths: string[]): void => {
    if (paths.length === 0) return;
    if (window) sendToRenderer({ command: 'open-files', paths });
    else initialFiles.push(...paths.filter((path) => !initialFiles.includes(path)));
  };

  app.on('second-instance', (_event, commandLine, workingDirectory, additionalData) => {
    const files =
      filesOf(additionalData) ??
      parseLaunchArgs({
        argv: commandLine,
        defaultApp: process.defaultApp === true,
        cwd: workingDirectory,
      });
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    openInRenderer(files);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openInRenderer([path]);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  const ready = async (): Promise<void> => {
    await app.whenReady();
    const devServerUrl =
      !app.isPackaged && process.env.ELECTRON_RENDERER_URL
        ? process.env.ELECTRON_RENDERER_URL
        : null;
    const renderer: RendererLocation = devServerUrl
      ? { kind: 'url', url: devServerUrl }
      : { kind: 'file', indexFile: join(mainDir, '..', 'renderer', 'index.html') };
    installSessionPolicy(session.defaultSession, desktopContentSecurityPolicy(devServerUrl));

    const userData = app.getPath('userData');
    const sample = findSample();
    const readme = join(app.getAppPath(), 'README.md');
    const helper = captureHelperProgram({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      execPath: process.execPath,
      mainDir,
      exists: isRegularFile,
    });
    const engine = new WorkerEngineClient(
      new URL('./engine.worker.js', import.meta.url),
      (message) => console.warn(message),
      {
        capture: {
          helperProgram: helper.ok ? helper.program : null,
          unavailableWhy: helper.ok ? undefined : helper.why,
        },
      },
    );
    app.on('will-quit', () => {
      engine.close().catch((error: unknown) => console.warn(`engine: ${String(error)}`));
    });

    const rebuildMenu = (): void => {
      const template = appMenuTemplate({
        platform: process.platform,
        appName: app.name,
        recent: recent.list(),
        isDev: !app.isPackaged,
        hasSample: sample !== null,
        hasReadme: existsSync(readme),
        actions: {
          openFiles: () => {
            chooseTraceFiles(window).then(openInRenderer, (error: unknown) =>
              console.error(`open dialog: ${String(error)}`),
            );
          },
          command: sendToRenderer,
          clearRecent: () => recent.clear(),
          showAbout: () => {
            showAboutDialog(window, {
              appName: app.name,
              version: app.getVersion(),
              electron: process.versions.electron,
              chrome: process.versions.chrome,
              node: process.versions.node,
            }).catch((error: unknown) => console.error(`about: ${String(error)}`));
          },
          openReadme: () => {
            shell
              .openPath(readme)
              .catch((error: unknown) => console.error(`readme: ${String(error)}`));
          },
        },
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(template));
    };
    const recent = jsonRecentFiles(join(userData, 'recent-files.json'), { onChange: rebuildMenu });

    const api = createApi({
      engine,
      mode: 'desktop',
      version: app.getVersion(),
      initialFiles,
      samplePath: sample,
      recent: {
        list: () => recent.list(),
        add: (path) => {
          recent.add(path);
          app.addRecentDocument(path);
        },
      },
      canOpen: isRegularFile,
      canOpenPaths: true,
      // Exports: the save dialog picks the file; PDFs are printed by Electron's own Chromium.
      chooseSavePath: (defaultName, extension) => chooseSavePath(window, defaultName, extension),
      htmlToPdf: electronHtmlToPdf,
      // Capture asks for root through polkit (pkexec) when it starts; the app never runs as root.
      capture: helper.ok ? { allowed: true, why: '' } : { allowed: false, why: helper.why },
    });
    registerIpc(api, renderer);
    api.onPush((event, payload) => push(window, event, payload));

    rebuildMenu();
    window = createMainWindow({
      preloadFile: join(mainDir, '..', 'preload', 'index.cjs'),
      renderer,
      stateFile: join(userData, 'window-state.json'),
    });
    window.on('closed', () => {
      window = null;
    });
  };

  ready().catch((error: unknown) => {
    showFatalError(error instanceof Error ? (error.stack ?? error.message) : String(error));
    app.exit(1);
  });
}

if (app.requestSingleInstanceLock({ files: launchFiles })) start();
else app.quit();
