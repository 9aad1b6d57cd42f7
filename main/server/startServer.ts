/**
 * Browser mode: one HTTP server on loopback that serves the renderer build, carries the contract
 * over a WebSocket and accepts uploads (routes and messages: shared/contract/wsProtocol.ts).
 *
 * Every request is checked in the same order: Host header (loopback binding only: refuses DNS
 * rebinding), token (`?token=` or the cookie set by the index page), Origin (when the browser
 * sends one, it must be this server). Only then is it routed: `/ws` upgrade, `POST /api/upload`,
 * `GET /api/download` (an export's file), `GET`/`HEAD` of a file of the renderer build.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { DOWNLOAD_PATH, UPLOAD_PATH, WS_PATH } from '../../shared/contract';
import type { Api } from '../api';
import { DownloadStore } from './DownloadStore';
import { PathAllowlist } from './PathAllowlist';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadError, UploadStore } from './receiveUpload';
import {
  cleanHostHeader,
  createToken,
  isLoopbackHost,
  isSameOrigin,
  loopbackHostHeaders,
  tokenCookie,
  tokenProof,
} from './requestAuth';
import { COMMON_HEADERS, contentSecurityPolicy, sendText, serveFile } from './staticFiles';
import { WsBridge } from './WsBridge';

/** What startServer needs. */
export interface ServerOptions {
  /** The implemented contract (browser mode: its canOpen asks `allowlist`). */
  api: Api;
  /** Address to bind; loopback by default. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** The renderer build (out/renderer, holding index.html). */
  rendererDir: string;
  /** The access token; a fresh random one by default. */
  token?: string;
  /** Where uploads are allowlisted (share it with the API's canOpen). */
  allowlist?: PathAllowlist;
  /** Size limit of one upload in bytes (8 GiB by default). */
  maxUploadBytes?: number;
  /**
   * Must be true to bind a non-loopback address: the token is then the only protection, so the
   * caller has to ask for it explicitly (and warn the user).
   */
  allowRemote?: boolean;
  /** Where unexpected errors are logged (stderr by default). */
  log?: (message: string) => void;
  /** Exports for download (share it with the API's `downloads`); a private one by default. */
  downloads?: DownloadStore;
}

/** A running server. */
export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  /** Files the API may open (command-line files and uploads). */
  allowlist: PathAllowlist;
  /** Disconnects every page, stops listening and deletes the uploads. */
  close(): Promise<void>;
}

/** Formats a host for a URL (brackets around IPv6). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Starts the browser-mode server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.allowRemote !== true)
    throw new Error(`refusing to listen on ${host}: not a loopback address (pass allowRemote)`);
  const token = options.token ?? createToken();
  const rendererDir = resolve(options.rendererDir);
  const allowlist = options.allowlist ?? new PathAllowlist();
  const log = options.log ?? ((message: string) => console.error(message));
  const uploads = new UploadStore(options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  const downloads = options.downloads ?? new DownloadStore();
  const bridge = new WsBridge(options.api, log);
  let allowedHosts: Set<string> | null = null;

  /** Null when the request may go on, else the refusal's status and text. */
  const refusal = (request: IncomingMessage, url: URL): [number, string] | null => {
    if (allowedHosts && !allowedHosts.has((request.headers.host ?? '').toLowerCase()))
      return [403, 'forbidden: unexpected Host header'];
    if (tokenProof(url, request.headers, token) === null)
      return [403, 'forbidden: open the URL that dropscope serve printed (it carries the token)'];
    if (!isSameOrigin(request.headers)) return [403, 'forbidden: cross-origin request'];
    return null;
  };

  const handleUpload = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> => {
    try {
      const uploaded = await uploads.receive(request, url.searchParams.get('name') ?? 'upload');
      allowlist.add(uploaded.path);
      const body = JSON.stringify(uploaded);
      response.writeHead(200, {
        ...COMMON_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(body)),
        'Cache-Control': 'no-store',
      });
      response.end(body);
    } catch (error) {
      const status = error instanceof UploadError ? error.status : 500;
      if (!(error instanceof UploadError)) log(`dropscope serve: upload failed: ${String(error)}`);
      // The rest of a refused body is not read: close the connection instead.
      sendText(response, status, (error as Error).message, { Connection: 'close' });
    }
  };

  const handleRequest = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refused = refusal(request, url);
    // A refused request's body (maybe a large upload) is not read: the connection is closed.
    if (refused) return sendText(response, refused[0], refused[1], { Connection: 'close' });
    if (url.pathname === UPLOAD_PATH) {
      if (request.method !== 'POST')
        return sendText(response, 405, 'method not allowed', {
          Allow: 'POST',
          Connection: 'close',
        });
      return handleUpload(request, response, url);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendText(response, 405, 'method not allowed', {
        Allow: 'GET, HEAD',
        Connection: 'close',
      });
    if (url.pathname === WS_PATH) return sendText(response, 426, 'upgrade to a WebSocket');
    if (url.pathname === DOWNLOAD_PATH) return downloads.serve(request, response, url);
    const isIndex = url.pathname === '/' || url.pathname === '/index.html';
    const hostHeader = cleanHostHeader(request.headers.host) ?? `${urlHost(host)}:${port}`;
    return serveFile(request, response, {
      root: rendererDir,
      urlPath: isIndex ? '/index.html' : url.pathname,
      isIndex,
      headers: isIndex
        ? {
            'Content-Security-Policy': contentSecurityPolicy(hostHeader),
            'Set-Cookie': tokenCookie(token),
          }
        : {},
    });
  };

  const handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refused =
      url.pathname === WS_PATH ? refusal(request, url) : ([404, 'not found'] as [number, string]);
    if (refused) {
      const [status, text] = refused;
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Forbidden'}\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text) + 1}\r\n` +
          `Connection: close\r\n\r\n${text}\n`,
      );
      return;
    }
    bridge.upgrade(request, socket, head);
  };

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log(`dropscope serve: ${request.method} ${request.url}: ${String(error)}`);
      if (!response.headersSent) sendText(response, 500, 'internal error');
      else response.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (isLoopbackHost(host)) allowedHosts = loopbackHostHeaders(host, port);

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost(host)}:${port}/?token=${token}`,
    port,
    token,
    allowlist,
    close() {
      closing ??= (async () => {
        await bridge.close();
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await uploads.dispose();
        await downloads.dispose();
      })();
      return closing;
    },
  };
}
