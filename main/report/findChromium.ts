/**
 * Finds a Chromium (or Chrome) executable for printing reports to PDF.
 *
 * Order: `DROPSCOPE_CHROMIUM` (when set, it must be executable — no silent fallback), then
 * `/usr/bin/chromium`, then `chromium`, `chromium-browser`, `google-chrome` on `PATH`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { err, ok, type Result } from '../../shared/util';

/** What the user reads when no Chromium is found. */
export const NO_CHROMIUM_MESSAGE =
  'no headless Chromium found for PDF output (install chromium, or set DROPSCOPE_CHROMIUM); the HTML report renders the same content';

/** Names searched on `PATH`, in order. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    // Missing or not executable: not a candidate.
    return false;
  }
}

/**
 * The Chromium to use, or the message to show when there is none.
 *
 * Synchronous and cheap (a few `stat` calls). `env` is `process.env` and `systemPath` Debian's
 * `/usr/bin/chromium` unless a test passes its own.
 */
export function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
  systemPath = '/usr/bin/chromium',
): Result<string> {
  const override = env.DROPSCOPE_CHROMIUM;
  if (override !== undefined && override !== '') {
    return isExecutable(override)
      ? ok(override)
      : err(`DROPSCOPE_CHROMIUM=${override} is not an executable file; ${NO_CHROMIUM_MESSAGE}`);
  }
  if (isExecutable(systemPath)) return ok(systemPath);
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  const directories = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of PATH_NAMES)
    for (const directory of directories)
      for (const suffix of suffixes) {
        const candidate = join(directory, name + suffix);
        if (isExecutable(candidate)) return ok(candidate);
      }
  return err(NO_CHROMIUM_MESSAGE);
}
