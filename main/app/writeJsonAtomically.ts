/**
 * Writing the app's small JSON files (recent files, window state) so that a crash or a full disk
 * never leaves half a file: write a temporary file beside it, then rename over it.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `data` as pretty JSON to `file` (mode 0600), creating the folder if needed. */
export function writeJsonAtomically(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
