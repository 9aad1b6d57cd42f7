/**
 * The contract implemented once, transport-neutral: validates every request with the contract's
 * zod schemas, applies the policy of the host (which files may be opened), and forwards the
 * `trace:*` work to the engine. Used by the Electron IPC adapter and the browser-mode server.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isChannel,
  requestSchemas,
  type Channel,
  type PushEvents,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract';
import { EngineError, type EngineClient } from '../engine';

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
