/**
 * The application menu as a template (File, Edit, View, Help). Pure: it imports electron's types
 * only and receives what it needs (recent files, platform, actions), so it is unit-tested under
 * Node; main.ts turns it into a Menu. Commands the renderer carries out (open these files, close
 * the tab, find, export the current view) go out through the actions as `app:menu` push events.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { PushEvents } from '../../shared/contract';
import { EXPORT_FORMAT_INFO, EXPORT_FORMATS } from '../../shared/model';

/** A command for the renderer (the `app:menu` push event's payload). */
export type MenuCommand = PushEvents['app:menu'];

/** What the menu items do. */
export interface AppMenuActions {
  /** File > Open…: the open dialog. */
  openFiles(): void;
  /** Sends a command to the renderer. */
  command(command: MenuCommand): void;
  clearRecent(): void;
  showAbout(): void;
  openReadme(): void;
}

/** What the menu shows. */
export interface AppMenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Recent files, newest first. */
  recent: readonly string[];
  /** Development build: reload and developer tools are offered. */
  isDev: boolean;
  hasSample: boolean;
  hasReadme: boolean;
  /** A trace is open (File > Export applies to it). */
  hasTrace?: boolean;
  actions: AppMenuActions;
}

/** The menu template. */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const { actions } = options;
  const isMac = options.platform === 'darwin';
  const openRecent: MenuItemConstructorOptions[] =
    options.recent.length === 0
      ? [{ label: 'No Recent Files', enabled: false }]
      : [
          ...options.recent.map((path): MenuItemConstructorOptions => ({
            label: path,
            click: () => actions.command({ command: 'open-files', paths: [path] }),
          })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
      { label: 'Open &Recent', submenu: openRecent },
      {
        label: '&Record Live Drops…',
        accelerator: 'F9',
        click: () => actions.command({ command: 'record' }),
      },
      {
        label: 'Open &Sample Trace',
        enabled: options.hasSample,
        click: () => actions.command({ command: 'open-sample' }),
      },
      { type: 'separator' },
      {
        label: '&Export',
        submenu: EXPORT_FORMATS.map((format): MenuItemConstructorOptions => ({
          label: `${EXPORT_FORMAT_INFO[format].label}…`,
          enabled: options.hasTrace !== false,
          click: () => actions.command({ command: `export-${format}` }),
        })),
      },
      { type: 'separator' },
      {
        label: '&Close Tab',
        accelerator: 'CmdOrCtrl+W',
        click: () => actions.command({ command: 'close-tab' }),
      },
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      {
        label: '&Find…',
        accelerator: 'CmdOrCtrl+F',
        click: () => actions.command({ command: 'find' }),
      },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.isDev
        ? [
            { role: 'reload' } as const,
            { role: 'forceReload' } as const,
            { role: 'toggleDevTools' } as const,
            { type: 'separator' } as const,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: `&About ${options.appName}`, click: () => actions.showAbout() },
      { label: 'Read&me', enabled: options.hasReadme, click: () => actions.openReadme() },
    ],
  };

  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    file,
    edit,
    view,
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    help,
  ];
}
