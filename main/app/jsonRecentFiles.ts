/**
 * The desktop app's recent files: a small JSON file in the user-data folder
 * (`{"version":1,"files":[…]}`, newest first). Pure Node (no electron), unit-tested.
 */
import { readFileSync } from 'node:fs';
import type { RecentFiles } from '../api';
import { writeJsonAtomically } from './writeJsonAtomically';

/** Recent files that can also be cleared (File > Open Recent > Clear). */
export interface RecentFileStore extends RecentFiles {
  clear(): void;
}

/** Options of jsonRecentFiles. */
export interface JsonRecentFilesOptions {
  /** How many files are kept (10 by default). */
  limit?: number;
  /** Called after every change (the menu rebuilds its Open Recent list). */
  onChange?: (files: string[]) => void;
  /** Where problems are reported (a broken or unwritable file never stops the app). */
  warn?: (message: string) => void;
}

function readFiles(file: string, warn: (message: string) => void): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { files?: unknown };
    return Array.isArray(data.files)
      ? data.files.filter((entry): entry is string => typeof entry === 'string')
      : [];
  } catch {
    warn(`${file}: not valid JSON; starting with no recent files`);
    return [];
  }
}

/** Recent files kept in `file` (read once now, written on every change). */
export function jsonRecentFiles(
  file: string,
  options: JsonRecentFilesOptions = {},
): RecentFileStore {
  const limit = options.limit ?? 10;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let files = readFiles(file, warn).slice(0, limit);
  const save = (next: string[]): void => {
    files = next;
    try {
      writeJsonAtomically(file, { version: 1, files });
    } catch (error) {
      warn(`${file}: cannot save the recent files: ${(error as Error).message}`);
    }
    options.onChange?.([...files]);
  };
  return {
    list: () => [...files],
    add: (path) => save([path, ...files.filter((entry) => entry !== path)].slice(0, limit)),
    clear: () => save([]),
  };
}
