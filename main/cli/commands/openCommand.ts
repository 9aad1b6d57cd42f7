/**
 * `dropscope open FILE…`: opens the files in the desktop app (`electron APP_DIR -- FILE…`; from
 * an installed package, the app's own executable), detached, so the terminal is free again. Where Electron's binary is missing (it cannot be
 * downloaded on some machines), says so and points at `dropscope serve`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { findUp } from '../findUp';

/** The app folder: the repository (or install) holding the built main (out/main/main.js). */
function findAppDir(): string | null {
  const main = findUp(join('out', 'main', 'main.js'));
  const root = main ? dirname(dirname(dirname(main))) : null;
  return root && existsSync(join(root, 'package.json')) ? root : null;
}

/**
 * The Electron binary, found the way the `electron` package finds it (its path.txt, or
 * ELECTRON_OVERRIDE_DIST_PATH) but without requiring the package, whose require would start a
 * download when the binary is missing.
 */
function findElectron(): string | null {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const pathFile = join(packageDir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
    const binary = override
      ? join(override, relative ?? 'electron')
      : relative
        ? join(packageDir, 'dist', relative)
        : null;
    return binary && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(args: string[], io: CliIo): Promise<number> {
  const files = args.filter((arg) => arg !== '--');
  const unknown = files.find((arg) => arg.startsWith('-'));
  if (unknown) throw new UsageError(`open takes only files, not ${unknown}`);
  const missing = files.find((file) => !existsSync(file));
  if (missing) {
    io.stderr.write(`dropscope: ${missing}: no such file\n`);
    return Promise.resolve(EXIT.unreadable);
  }
  if (process.versions.electron !== undefined) {
    // The installed command (resources/bin/dropscope): this process is the packaged app's own
    // Electron running as Node; started without ELECTRON_RUN_AS_NODE it is the desktop app.
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(
      process.execPath,
      files.map((file) => resolve(file)),
      {
        detached: true,
        stdio: 'ignore',
        env,
      },
    );
    child.unref();
    return Promise.resolve(EXIT.ok);
  }
  const appDir = findAppDir();
  if (!appDir) {
    io.stderr.write('dropscope: the desktop app is not built: run npm run build first\n');
    return Promise.resolve(EXIT.unreadable);
  }
  const electron = findElectron();
  if (!electron) {
    io.stderr.write(
      "dropscope: Electron's binary is not installed here; use `dropscope serve FILE…` to explore in a browser\n",
    );
    return Promise.resolve(EXIT.unreadable);
  }
  const child = spawn(electron, [appDir, '--', ...files.map((file) => resolve(file))], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return Promise.resolve(EXIT.ok);
}

/** The open command. */
export const openCommand: CliCommand = {
  name: 'open',
  usage: 'open FILE…',
  summary: 'open the files in the desktop app',
  run,
};
