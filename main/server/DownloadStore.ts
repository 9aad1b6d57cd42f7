/**
 * Browser mode's exports: each `report:export` writes to a private file here (a 0700 temporary
 * folder, one sub-folder per export), and the page fetches it with `GET /api/download?id=ID`
 * (token-checked like every route). Ids are random, so one page cannot guess another's file.
 * The oldest files are deleted once more than `limit` are kept; all of them on server close.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportDownloads, ReservedDownload } from '../api';
import { sanitizeFileName } from './receiveUpload';
import { COMMON_HEADERS, sendText } from './staticFiles';

/** Exports kept for download at once. */
export const DEFAULT_DOWNLOAD_LIMIT = 50;

const ID_PATTERN = /^[0-9a-f]{32}$/;

/** The Content-Disposition of an attachment named `fileName` (ASCII fallback + RFC 5987). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Private export files and their download ids. */
export class DownloadStore implements ExportDownloads {
  private folder: Promise<string> | null = null;
  private readonly files = new Map<string, { path: string; fileName: string }>();

  constructor(private readonly limit = DEFAULT_DOWNLOAD_LIMIT) {}

  private root(): Promise<string> {
    // mkdtemp creates the folder with mode 0700: other users cannot list or read exports.
    this.folder ??= mkdtemp(join(tmpdir(), 'dropscope-exports-'));
    return this.folder;
  }

  async reserve(fileName: string): Promise<ReservedDownload> {
    const id = randomBytes(16).toString('hex');
    const safeName = sanitizeFileName(fileName);
    const folder = join(await this.root(), id);
    await mkdir(folder, { mode: 0o700 });
    const path = join(folder, safeName);
    this.files.set(id, { path, fileName: safeName });
    while (this.files.size > this.limit) {
      const oldest = this.files.keys().next().value;
      if (oldest === undefined) break;
      await this.discard(oldest);
    }
    return { id, path };
  }

  async discard(id: string): Promise<void> {
    const entry = this.files.get(id);
    if (!entry) return;
    this.files.delete(id);
    await rm(dirname(entry.path), { recursive: true, force: true });
  }

  /** Answers `GET|HEAD /api/download?id=ID` (the request already passed the token checks). */
  async serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const id = url.searchParams.get('id') ?? '';
    const entry = ID_PATTERN.test(id) ? this.files.get(id) : undefined;
    if (!entry)
      return sendText(response, 404, 'no such download (exports are kept until serve stops)');
    let size: number;
    try {
      size = (await stat(entry.path)).size;
    } catch {
      return sendText(response, 404, 'the export is not written yet or was deleted');
    }
    response.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(entry.fileName),
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    await pipeline(createReadStream(entry.path), response);
  }

  /** Deletes every export (on server close). */
  async dispose(): Promise<void> {
    const folder = this.folder;
    this.folder = null;
    this.files.clear();
    if (folder) await rm(await folder, { recursive: true, force: true });
  }
}
