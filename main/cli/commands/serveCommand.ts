/**
 * `dropscope serve [FILE…]`: browser mode. Starts the engine in a worker thread, the API with
 * browser-mode policy (only the given files and uploads may be opened) and the HTTP + WebSocket
 * server over the renderer build; prints the URL (with its token) and runs until SIGINT/SIGTERM.
 *
 * Runs from the built CLI (out/cli/dropscope.js): the engine worker is out/cli/engine.worker.js,
 * the renderer out/renderer, the bundled sample assets/samples/ of the repository.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApi, memoryRecentFiles } from '../../api';
import { chromiumHtmlToPdf, findChromium, WorkerEngineClient } from '../../engine';
import {
  DownloadStore,
  isLoopbackHost,
  PathAllowlist,
  startServer,
  type RunningServer,
} from '../../server';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { findUp } from '../findUp';

/** Name of the bundled sample under assets/samples/. */
const SAMPLE_FILE = 'sample-perf-script.txt';

/** The renderer build (out/renderer of the repository), or null when not built. */
function findRendererDir(): string | null {
  const index = findUp(join('out', 'renderer', 'index.html'));
  return index ? dirname(index) : null;
}

/**
 * The built engine worker: beside the running script (out/cli/engine.worker.js), or one folder up
 * when this code was bundled into a chunk in a sub-folder.
 */
function findWorkerFile(): string | null {
  for (const relative of ['./engine.worker.js', '../engine.worker.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}

/** The package version (package.json above the script), for app:info. */
function packageVersion(): string {
  const file = findUp('package.json');
  if (!file) return '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port: not a port number: ${text}`);
  return port;
}

/**
 * How the server runs this CLI as the capture helper. Under the packaged app's Electron-as-Node
 * (`resources/bin/dropscope serve`), `ELECTRON_RUN_AS_NODE` must reach the helper through sudo or
 * pkexec, which clear the environment: it goes on the command line through `/usr/bin/env`.
 */
function helperProgramFor(cliScript: string): { command: string; args: string[] } {
  return process.versions.electron === undefined
    ? { command: process.execPath, args: [cliScript] }
    : { command: '/usr/bin/env', args: ['ELECTRON_RUN_AS_NODE=1', process.execPath, cliScript] };
}

/** Resolves once the process is asked to stop. */
function untilStopped(): Promise<string> {
  return new Promise((resolveStop) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-open-files': { type: 'boolean' },
      capture: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const port = parsePort(values.port);
  const host = values.host ?? '127.0.0.1';

  const files = positionals.map((file) => resolve(file));
  for (const [i, file] of files.entries()) {
    if (!existsSync(file) || !statSync(file).isFile()) {
      io.stderr.write(`dropscope: ${positionals[i]}: no such file\n`);
      return EXIT.unreadable;
    }
  }

  const rendererDir = process.env.DROPSCOPE_RENDERER_DIR ?? findRendererDir();
  if (!rendererDir || !existsSync(join(rendererDir, 'index.html'))) {
    io.stderr.write(
      'dropscope: the web UI is not built (out/renderer/index.html is missing): run npm run build first\n',
    );
    return EXIT.unreadable;
  }
  const workerFile = findWorkerFile();
  if (!workerFile) {
    io.stderr.write(
      'dropscope: the engine worker is not built (out/cli/engine.worker.js is missing): run npm run build first\n',
    );
    return EXIT.unreadable;
  }

  const allowlist = new PathAllowlist(files);
  const recent = memoryRecentFiles();
  // Offered under "recent" too, so they stay one click away with --no-open-files.
  [...files].reverse().forEach((file) => recent.add(file));
  // Live capture from the page runs this CLI as the privileged helper (directly when root).
  const cliScript = join(dirname(workerFile), 'dropscope.js');
  const canCapture = values.capture === true && existsSync(cliScript);
  const engine = new WorkerEngineClient(workerFile, (message) => io.stderr.write(`${message}\n`), {
    capture: {
      helperProgram: canCapture ? helperProgramFor(cliScript) : null,
      unavailableWhy: 'live capture is off in this server: start it with dropscope serve --capture',
    },
  });
  // Exports are written to private files and downloaded; PDFs are printed by a headless Chromium.
  const downloads = new DownloadStore();
  const chromium = findChromium();
  const api = createApi({
    engine,
    mode: 'browser',
    version: packageVersion(),
    initialFiles: values['no-open-files'] ? [] : files,
    samplePath: findUp(join('assets', 'samples', SAMPLE_FILE)),
    recent,
    canOpen: (path) => allowlist.has(path),
    canOpenPaths: false,
    downloads,
    htmlToPdf: chromium.ok ? chromiumHtmlToPdf(chromium.value) : null,
    noPdfMessage: chromium.ok ? undefined : chromium.error,
    capture: canCapture
      ? { allowed: true, why: 'captures run through this server' }
      : {
          allowed: false,
          why:
            values.capture === true
              ? `live capture needs the built CLI beside the engine worker (${cliScript} is missing)`
              : 'live capture is off in this server: start it with dropscope serve --capture (as root, or where sudo -n works)',
        },
  });

  if (!isLoopbackHost(host))
    io.stderr.write(
      `dropscope: warning: listening on ${host}, reachable from other machines; the token in the URL is the only protection\n`,
    );
  let server: RunningServer;
  try {
    server = await startServer({
      api,
      host,
      port,
      rendererDir,
      allowlist,
      downloads,
      allowRemote: values.host !== undefined,
      log: (message) => io.stderr.write(`${message}\n`),
    });
  } catch (error) {
    await engine.close();
    io.stderr.write(`dropscope: cannot listen on ${host}:${port}: ${(error as Error).message}\n`);
    return EXIT.unreadable;
  }
  io.stdout.write(`Dropscope is serving on ${server.url}\n`);

  const signal = await untilStopped();
  io.stderr.write(`dropscope: ${signal}: stopping\n`);
  await server.close();
  await engine.close();
  return EXIT.ok;
}

/** The serve command. */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [FILE…] [--port N] [--host ADDR] [--no-open-files] [--capture]',
  summary:
    'open the UI in a browser (prints a URL with an access token; --capture allows live capture)',
  run,
};
