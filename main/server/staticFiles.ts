/**
 * Serving the renderer build (out/renderer) read-only: path resolution that cannot leave the
 * folder, content types, cache headers and the index page's Content-Security-Policy.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The Content-Type of a file name (application/octet-stream when unknown). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The browser-mode page's Content-Security-Policy. `hostHeader` is the validated Host header the
 * page was loaded with, so that the WebSocket source matches what the browser connects to.
 * ag-grid sets inline styles, hence `style-src 'unsafe-inline'`; scripts are only our files.
 */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://${hostHeader}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response carries. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token: never send it to another site as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The file under `root` that a URL path names, or null when the path is malformed or leaves
 * `root` (`..`, encoded or not, NUL bytes). `root` must be absolute and resolved.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const target = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return target === root || target.startsWith(root + sep) ? target : null;
}

/** Cache policy: hashed build assets forever, everything else revalidated, the page never. */
export function cacheControlFor(urlPath: string, isIndex: boolean): string {
  if (isIndex) return 'no-store';
  // Vite names every file under assets/ after its content hash.
  if (urlPath.startsWith('/assets/')) return 'private, max-age=31536000, immutable';
  return 'no-cache';
}

/** What serveFile needs besides the request. */
export interface ServeFileOptions {
  /** Resolved renderer folder. */
  root: string;
  /** The URL path (already routed: `/` means index.html). */
  urlPath: string;
  /** Extra headers (CSP and Set-Cookie on the index page). */
  headers?: Record<string, string>;
  isIndex: boolean;
}

/** Sends one file from the renderer folder (404 when absent, 403 when outside the folder). */
export async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServeFileOptions,
): Promise<void> {
  const file = resolveInside(options.root, options.urlPath);
  if (file === null) return sendText(response, 403, 'forbidden path');
  let size: number;
  try {
    // A symlink inside the build must not lead outside it either.
    const real = await realpath(file);
    const realRoot = await realpath(options.root);
    if (real !== realRoot && !real.startsWith(realRoot + sep))
      return sendText(response, 403, 'forbidden path');
    const info = await stat(real);
    if (!info.isFile()) return sendText(response, 404, 'not found');
    size = info.size;
  } catch {
    return sendText(response, 404, 'not found');
  }
  response.writeHead(200, {
    ...COMMON_HEADERS,
    ...options.headers,
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(size),
    'Cache-Control': cacheControlFor(options.urlPath, options.isIndex),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/** A short plain-text answer. */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const body = `${text}\n`;
  response.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}
