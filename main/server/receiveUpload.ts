/**
 * `POST /api/upload?name=FILE`: streams the request body to a file in a private temporary folder
 * (0700, one sub-folder per upload so names never collide), keeping the original file name
 * (sanitised) so that tabs and reports show it. Never buffers the file in memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadResponse } from '../../shared/contract';

/** Default size limit of one upload: 8 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

/** An upload the server refuses, with the HTTP status to answer. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A file name safe to create: no folders, no leading dots, only common characters (others become
 * `_`), at most 200 characters; `upload` when nothing is left.
 */
export function sanitizeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  const cleaned = base
    .replace(/[^A-Za-z0-9._+\-()@, ]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? 'upload' : cleaned;
}

/** Counts bytes and fails the stream once the limit is passed. */
class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes)
      callback(new UploadError(413, `upload larger than ${this.maxBytes} bytes`));
    else callback(null, chunk);
  }
}

/** The private folder of one server's uploads, created on first use. */
export class UploadStore {
  private folder: Promise<string> | null = null;
  private count = 0;

  constructor(readonly maxBytes: number = DEFAULT_MAX_UPLOAD_BYTES) {}

  private root(): Promise<string> {
    // mkdtemp creates the folder with mode 0700: other users cannot list or read uploads.
    this.folder ??= mkdtemp(join(tmpdir(), 'dropscope-uploads-'));
    return this.folder;
  }

  /** Streams one request body to disk; resolves to the stored file. */
  async receive(request: IncomingMessage, name: string): Promise<UploadResponse> {
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes)
      throw new UploadError(413, `upload larger than ${this.maxBytes} bytes`);
    const safeName = sanitizeFileName(name);
    const folder = join(await this.root(), String(++this.count));
    await mkdir(folder, { mode: 0o700 });
    const path = join(folder, safeName);
    const limit = new ByteLimit(this.maxBytes);
    const written = pipeline(limit, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    // The request is piped by hand, not through pipeline(): on failure it must stay open so that
    // the 413 can still be answered (the route then closes the connection).
    request.on('error', (error) => limit.destroy(error));
    request.on('close', () => {
      if (!request.complete) limit.destroy(new Error('the connection closed before the end'));
    });
    request.pipe(limit);
    try {
      await written;
    } catch (error) {
      request.unpipe(limit);
      await rm(folder, { recursive: true, force: true });
      if (error instanceof UploadError) throw error;
      throw new UploadError(400, `upload interrupted: ${(error as Error).message}`);
    }
    return { path, name: safeName, bytes: limit.bytes };
  }

  /** Deletes every upload (on server close). */
  async dispose(): Promise<void> {
    const folder = this.folder;
    this.folder = null;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }
}
