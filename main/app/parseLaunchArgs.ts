/**
 * The trace files a launch names: `electron . FILE…`, `npm start -- FILE…` (electron-vite
 * preview runs `electron . FILE…`), `dropscope open FILE…` (`electron APP_DIR -- FILE…`) and the
 * packaged binary (`dropscope-app FILE…`). Pure: no electron, so it is unit-tested under Node.
 */
import { resolve } from 'node:path';

/** What a launch looked like. */
export interface LaunchArgs {
  /** The process's argv (Electron's `process.argv`, or a second instance's command line). */
  argv: readonly string[];
  /** Electron's `process.defaultApp`: true when run as `electron APP …` (argv[1] is the app). */
  defaultApp: boolean;
  /** Folder relative paths are resolved against. */
  cwd: string;
}

/**
 * The absolute paths of the files named on the command line, without duplicates. Arguments
 * starting with `-` are Electron's and Chromium's switches (`--no-sandbox`,
 * `--inspect=9229`, macOS `-psn_…`) and are skipped, except after `--`, where everything is a
 * file.
 */
export function parseLaunchArgs({ argv, defaultApp, cwd }: LaunchArgs): string[] {
  const args = argv.slice(defaultApp ? 2 : 1);
  const files: string[] = [];
  let afterDashes = false;
  for (const arg of args) {
    if (!afterDashes && arg === '--') {
      afterDashes = true;
      continue;
    }
    if (arg === '' || (!afterDashes && arg.startsWith('-'))) continue;
    const file = resolve(cwd, arg);
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

/**
 * The folder the user launched from. `npm start` runs electron from the package folder; npm keeps
 * the user's folder in INIT_CWD, so relative paths given to `npm start -- FILE` resolve there.
 */
export function launchCwd(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return env.npm_lifecycle_event !== undefined && env.INIT_CWD ? env.INIT_CWD : cwd;
}
