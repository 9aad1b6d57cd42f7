/**
 * The contract implemented once, transport-neutral: validates every request with the contract's
 * zod schemas, applies the policy of the host (which files may be opened), and forwards the
 * `trace:*` work to the engine. Used by the Electron IPC adapter and the browser-mode server.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import {
  isChannel,
  requestSchemas,
  type Channel,
  type PushEvents,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract';
import { exportFileName } from '../../shared/model';
import { EngineError, type EngineClient, type HtmlToPdf } from '../engine';
import type { ExportDownloads, ReservedDownload } from './ExportDownloads';

/** A failure meant for the user, carried back through the transport as a message. */
export class ApiError extends Error {}

/** Where recently opened files are remembered (a JSON file in the app, memory in browser mode). */
export interface RecentFiles {
  list(): string[];
  add(path: string): void;
}

/** Keeps recent files in memory, newest first, at most `limit`. */
export function memoryRecentFiles(limit = 10): RecentFiles {
  let files: string[] = [];
  return {
    list: () => [...files],
    add: (path) => {
      files = [path, ...files.filter((f) => f !== path)].slice(0, limit);
    },
  };
}

/** What the host decides. */
export interface ApiOptions {
  engine: EngineClient;
  mode: 'desktop' | 'browser';
  version: string;
  /** Files given on the command line. */
  initialFiles: string[];
  /** The bundled sample trace, or null. */
  samplePath: string | null;
  recent: RecentFiles;
  /**
   * Whether a path may be opened. Desktop: any readable file the user picked or typed; browser
   * mode: only the files given on the command line and uploads.
   */
  canOpen(path: string): boolean;
  /** Whether the UI may offer opening by path (desktop: yes; browser: only uploads). */
  canOpenPaths: boolean;
  /**
   * Desktop: asks the user where to save a file (a save dialog); null when cancelled. Absent in
   * browser mode, where `app:chooseSavePath` answers null and exports go to `downloads`.
   */
  chooseSavePath?: (defaultName: string, extension: string) => Promise<string | null>;
  /**
   * Prints the HTML report to PDF (desktop: Electron's printToPDF; browser mode: headless
   * Chromium); null or absent when none can, and `noPdfMessage` says why.
   */
  htmlToPdf?: HtmlToPdf | null;
  /** What a PDF export answers when `htmlToPdf` is missing. */
  noPdfMessage?: string;
  /** Browser mode: private files that exports are written to and downloaded from. */
  downloads?: ExportDownloads;
  /**
   * Whether the UI may start live captures, and why not. Desktop: yes (the helper asks for
   * root through polkit); browser mode: only when the server was started with `--capture`,
   * since anyone holding the page's token could otherwise record the host's drops.
   */
  capture?: { allowed: boolean; why: string };
}

/** The implemented contract. */
export interface Api {
  /** Validates and runs one call. Throws ApiError with a user-facing message on failure. */
  handle(channel: string, payload: unknown): Promise<unknown>;
  /** Typed call for in-process use. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Push events (load progress) for the transports to forward. */
  onPush(
    listener: <E extends keyof PushEvents>(event: E, payload: PushEvents[E]) => void,
  ): () => void;
}

/** Builds the API over an engine. */
export function createApi(options: ApiOptions): Api {
  const { engine } = options;

  const open = async (
    path: string,
    request: RequestOf<'trace:open'>,
  ): Promise<ResponseOf<'trace:open'>> => {
    const absolute = resolve(path);
    if (!options.canOpen(absolute))
      throw new ApiError(
        `${path}: not allowed here (open it through the file picker or upload it)`,
      );
    if (!existsSync(absolute) || !statSync(absolute).isFile())
      throw new ApiError(`${path}: no such file`);
    const info = await engine.call('trace:open', { ...request, path: absolute });
    options.recent.add(absolute);
    return info;
  };

  /** Prints the HTML report of `request`'s view to `target` through options.htmlToPdf. */
  const exportPdf = async (
    request: RequestOf<'report:export'>,
    target: string,
  ): Promise<{ path: string; bytes: number }> => {
    const htmlToPdf = options.htmlToPdf;
    if (!htmlToPdf)
      throw new ApiError(
        options.noPdfMessage ?? 'PDF export is not available here; export the HTML report instead',
      );
    // The engine writes the HTML report (it has the data); this thread prints it.
    const folder = await mkdtemp(join(tmpdir(), 'dropscope-pdf-'));
    try {
      const htmlPath = join(folder, 'report.html');
      await engine.call('report:export', { ...request, format: 'html', path: htmlPath });
      let pdf: Uint8Array;
      try {
        pdf = await htmlToPdf(await readFile(htmlPath, 'utf8'));
      } catch (error) {
        throw new ApiError(
          `PDF output failed: ${(error as Error).message.split('\n')[0] ?? ''}; the HTML report renders the same content`,
        );
      }
      try {
        await writeFile(target, pdf);
      } catch (error) {
        throw new ApiError(`${target}: cannot write: ${(error as Error).message}`);
      }
      return { path: target, bytes: (await stat(target)).size };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  const exportView = async (
    request: RequestOf<'report:export'>,
  ): Promise<ResponseOf<'report:export'>> => {
    const traces = await engine.call('trace:list', {});
    const trace = traces.find((info) => info.traceId === request.traceId);
    if (!trace) throw new ApiError(`no open trace ${request.traceId} (it was closed?)`);
    let fileName = exportFileName(trace.name, request.format);
    let target: string;
    let reserved: ReservedDownload | null = null;
    if (request.path) {
      // Only the desktop app writes where the caller says (the path comes from its save dialog);
      // a browser page must never choose a path on the server's disk.
      if (!options.canOpenPaths)
        throw new ApiError('exports cannot be written to a path here; they are downloaded');
      if (!isAbsolute(request.path)) throw new ApiError(`${request.path}: not an absolute path`);
      target = request.path;
      fileName = basename(target);
    } else if (options.downloads) {
      reserved = await options.downloads.reserve(fileName);
      target = reserved.path;
    } else {
      throw new ApiError('choose where to save the export');
    }
    try {
      if (request.format === 'pdf') {
        const written = await exportPdf(request, target);
        return { ...written, downloadId: reserved?.id ?? null, fileName };
      }
      const written = await engine.call('report:export', { ...request, path: target });
      return { ...written, path: target, downloadId: reserved?.id ?? null, fileName };
    } catch (error) {
      if (reserved) await options.downloads?.discard(reserved.id);
      throw error;
    }
  };

  const run = async <C extends Channel>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<ResponseOf<C>> => {
    if (channel === 'app:info') {
      const info: ResponseOf<'app:info'> = {
        mode: options.mode,
        version: options.version,
        canOpenPaths: options.canOpenPaths,
        initialFiles: options.initialFiles,
        hasSample: options.samplePath !== null && existsSync(options.samplePath),
        canCapture: options.capture?.allowed ?? false,
      };
      return info as ResponseOf<C>;
    }
    if (channel === 'app:recent') {
      const recent = options.recent
        .list()
        .filter((file) => existsSync(file) && options.canOpen(file));
      return recent as ResponseOf<C>;
    }
    if (channel === 'trace:open') {
      const typed = request as RequestOf<'trace:open'>;
      return (await open(typed.path, typed)) as ResponseOf<C>;
    }
    if (channel === 'app:chooseSavePath') {
      const typed = request as RequestOf<'app:chooseSavePath'>;
      const chosen = options.chooseSavePath
        ? await options.chooseSavePath(typed.defaultName, typed.extension)
        : null;
      return chosen as ResponseOf<C>;
    }
    if (channel === 'report:export') {
      return (await exportView(request as RequestOf<'report:export'>)) as ResponseOf<C>;
    }
    if (channel === 'capture:backends' || channel === 'capture:start') {
      const policy = options.capture ?? { allowed: false, why: 'live capture is off here' };
      if (!policy.allowed) {
        if (channel === 'capture:start') throw new ApiError(policy.why);
        const refused: ResponseOf<'capture:backends'> = {
          allowed: false,
          why: policy.why,
          launch: null,
          backends: [],
        };
        return refused as ResponseOf<C>;
      }
    }
    if (channel === 'trace:openSample') {
      if (!options.samplePath) throw new ApiError('no bundled sample in this build');
      return (await engine.call('trace:open', { path: options.samplePath })) as ResponseOf<C>;
    }
    // Every other channel is the engine's, already validated above.
    const forward = engine.call.bind(engine) as (
      channel: string,
      request: unknown,
    ) => Promise<unknown>;
    return (await forward(channel, request)) as ResponseOf<C>;
  };

  return {
    async handle(channel, payload) {
      if (!isChannel(channel)) throw new ApiError(`unknown channel ${channel}`);
      const parsed = requestSchemas[channel].safeParse(payload ?? {});
      if (!parsed.success) {
        throw new ApiError(
          `invalid ${channel} request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      try {
        return await run(channel, parsed.data as RequestOf<typeof channel>);
      } catch (error) {
        if (error instanceof EngineError) throw new ApiError(error.message);
        throw error;
      }
    },
    call(channel, request) {
      return this.handle(channel, request) as Promise<ResponseOf<typeof channel>>;
    },
    onPush: (listener) => engine.onPush(listener),
  };
}
