/**
 * How the desktop app runs `dropscope` as its privileged capture helper. Pure, so it is tested
 * without Electron.
 *
 * - Packaged (deb/rpm/AppImage): `resources/bin/dropscope`, the wrapper script that runs the CLI
 *   with the bundled Electron as Node. The deb/rpm install a polkit action naming exactly this
 *   path (assets/packaging), so pkexec shows Dropscope's own prompt.
 * - From the repository (`npm start`): Electron itself as Node on out/cli/dropscope.js. pkexec
 *   clears the environment, so `ELECTRON_RUN_AS_NODE=1` goes through `/usr/bin/env`.
 */
import { join } from 'node:path';
import type { HelperProgram } from '../engine';

/** Where the app runs from. */
export interface AppLocation {
  isPackaged: boolean;
  /** `process.resourcesPath` (packaged). */
  resourcesPath: string;
  /** `process.execPath`: the Electron binary. */
  execPath: string;
  /** The built main bundle's folder (out/main). */
  mainDir: string;
  /** Whether a file exists (tests pass a fake). */
  exists(path: string): boolean;
}

/** The helper program, or why there is none. */
export function captureHelperProgram(
  location: AppLocation,
): { ok: true; program: HelperProgram } | { ok: false; why: string } {
  if (location.isPackaged) {
    const wrapper = join(location.resourcesPath, 'bin', 'dropscope');
    return location.exists(wrapper)
      ? { ok: true, program: { command: wrapper, args: [] } }
      : { ok: false, why: `the capture helper ${wrapper} is missing from this installation` };
  }
  const cli = join(location.mainDir, '..', 'cli', 'dropscope.js');
  if (!location.exists(cli))
    return { ok: false, why: `the CLI is not built (${cli} is missing): run npm run build:cli` };
  return {
    ok: true,
    program: { command: '/usr/bin/env', args: ['ELECTRON_RUN_AS_NODE=1', location.execPath, cli] },
  };
}
