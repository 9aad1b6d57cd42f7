/**
 * The app's native dialogs: choosing trace files, where to save an export, and About.
 */
import {
  dialog,
  type BrowserWindow,
  type FileFilter,
  type MessageBoxOptions,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';

/** The open dialog's filters: what the formats are usually saved as, then anything. */
export const TRACE_FILE_FILTERS: FileFilter[] = [
  {
    name: 'Traces',
    extensions: [
      'txt',
      'log',
      'out',
      'trace',
      'json',
      'jsonl',
      'csv',
      'gz',
      'zst',
      'xz',
      'data',
      'dat',
    ],
  },
  { name: 'All files', extensions: ['*'] },
];

/** Asks for one or more trace files; resolves to their paths ([] when cancelled). */
export async function chooseTraceFiles(window: BrowserWindow | null): Promise<string[]> {
  const options: OpenDialogOptions = {
    title: 'Open trace',
    properties: ['openFile', 'multiSelections'],
    filters: TRACE_FILE_FILTERS,
  };
  const result = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** Asks where to save a file named `defaultName` by default; resolves to null when cancelled. */
export async function chooseSavePath(
  window: BrowserWindow | null,
  defaultName: string,
  extension: string,
): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Export',
    defaultPath: defaultName,
    filters: [
      { name: extension.toUpperCase(), extensions: [extension] },
      { name: 'All files', extensions: ['*'] },
    ],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const result = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** Versions shown in About. */
export interface AboutDetails {
  appName: string;
  version: string;
  electron: string;
  chrome: string;
  node: string;
}

/** Shows the About box. */
export async function showAboutDialog(
  window: BrowserWindow | null,
  details: AboutDetails,
): Promise<void> {
  const options: MessageBoxOptions = {
    type: 'info',
    title: `About ${details.appName}`,
    message: `${details.appName} ${details.version}`,
    detail:
      'A trace explorer for Linux kernel packet drops (skb:kfree_skb drop reasons).\n\n' +
      `Electron ${details.electron}\nChromium ${details.chrome}\nNode ${details.node}`,
    buttons: ['OK'],
  };
  if (window) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

/** Reports an error that stops the app (before or without a window). */
export function showFatalError(message: string): void {
  dialog.showErrorBox('Dropscope cannot start', message);
}
