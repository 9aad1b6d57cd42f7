/**
 * Opens a trace file as a stream of decompressed bytes, whatever its compression.
 *
 * Compression is recognised by magic bytes, not by file name: gzip (node:zlib, multi-member),
 * zstd (fzstd, pure JS) and xz (xz-decompress, WebAssembly). A stream that ends early or is
 * corrupt stops the iteration cleanly and leaves a message in `problems`, so everything decoded
 * before the damage still loads. Binary trace formats (perf.data, trace.dat) are recognised so
 * they can be refused with a clear message instead of being parsed as garbage text.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { createRequire } from 'node:module';
import type * as XzModuleNamespace from 'xz-decompress';

type XzModule = typeof XzModuleNamespace;

/** Compression of a trace file. */
export type Compression = 'none' | 'gzip' | 'zstd' | 'xz';

/** A binary trace format recognised by its magic. */
export type BinaryKind = 'perf.data' | 'trace.dat';

/** An opened trace. Iterate `chunks` once; then read `problems`. */
export interface TraceStream {
  compression: Compression;
  /** Set when the (decompressed) content starts with a binary trace magic. */
  binaryKind: BinaryKind | null;
  /** Size of the file on disk in bytes. */
  fileBytes: number;
  /** Decompressed content, in chunks. */
  chunks: AsyncIterable<Uint8Array>;
  /** Problems met while decompressing (truncated or corrupt data), filled during iteration. */
  problems: string[];
  /** Compressed bytes read so far (for progress). */
  bytesRead(): number;
}

// xz-decompress is CommonJS without an ESM entry: load it through require so that it works the
// same under Vitest, the built CLI and Electron.
const { XzReadableStream } = createRequire(import.meta.url)('xz-decompress') as XzModule;

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const XZ = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/** Recognises a binary trace format from its first bytes. */
export function binaryKindOf(head: Uint8Array): BinaryKind | null {
  const text = Buffer.from(head.subarray(0, 10)).toString('latin1');
  if (text.startsWith('PERFILE2') || text.startsWith('2ELIFREP')) return 'perf.data';
  if (text.startsWith('\u0017\u0008\u0044tracing')) return 'trace.dat';
  return null;
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Opens `path`. Rejects only when the file cannot be opened (missing, unreadable, a directory);
 * damage inside the data is reported through `problems`.
 */
export async function openTraceStream(path: string): Promise<TraceStream> {
  const info = await stat(path);
  if (info.isDirectory()) throw new Error(`${path} is a directory, not a trace file`);
  const head = await readHead(path, 16);
  const compression: Compression = startsWith(head, GZIP)
    ? 'gzip'
    : startsWith(head, ZSTD)
      ? 'zstd'
      : startsWith(head, XZ)
        ? 'xz'
        : 'none';
  let read = 0;
  const source = (): Readable => {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk: Buffer | string) => (read += chunk.length));
    return stream;
  };
  const problems: string[] = [];
  const label = { gzip: 'gzip', zstd: 'zstd', xz: 'xz', none: '' }[compression];
  const guard = async function* (inner: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    try {
      yield* inner;
    } catch (error) {
      problems.push(
        `${path}: the ${label} data ends early or is corrupt after ${read} compressed bytes ` +
          `(${(error as Error).message}); everything decoded before that point is loaded`,
      );
    }
  };
  let chunks: AsyncIterable<Uint8Array>;
  switch (compression) {
    case 'none':
      chunks = source() as AsyncIterable<Buffer>;
      break;
    case 'gzip':
      chunks = guard(source().pipe(createGunzip()) as AsyncIterable<Buffer>);
      break;
    case 'zstd':
      chunks = guard(zstdChunks(source()));
      break;
    case 'xz':
      chunks = guard(xzChunks(source()));
      break;
  }
  let binaryKind: BinaryKind | null = compression === 'none' ? binaryKindOf(head) : null;
  if (compression !== 'none') {
    // Peek at the decompressed start for a binary magic (a gzipped perf.data …).
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    const firstChunk = first.done ? new Uint8Array(0) : first.value;
    binaryKind = binaryKindOf(firstChunk);
    chunks = (async function* () {
      if (!first.done) yield firstChunk;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })();
  }
  return { compression, binaryKind, fileBytes: info.size, chunks, problems, bytesRead: () => read };
}

async function* zstdChunks(input: Readable): AsyncIterable<Uint8Array> {
  const output: Uint8Array[] = [];
  const decompressor = new Decompress((chunk) => output.push(chunk));
  for await (const chunk of input as AsyncIterable<Buffer>) {
    decompressor.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    while (output.length > 0) yield output.shift() as Uint8Array;
  }
  decompressor.push(new Uint8Array(0), true);
  while (output.length > 0) yield output.shift() as Uint8Array;
}

async function* xzChunks(input: Readable): AsyncIterable<Uint8Array> {
  const web = Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
  const stream = new XzReadableStream(web);
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
