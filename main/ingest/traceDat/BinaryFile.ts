/**
 * Random access to a binary trace file without loading it whole.
 *
 * perf.data and trace.dat are read by offsets (headers point at sections, sections at per-CPU
 * data), so the reader needs `read(offset, length)`. A plain file is read through a
 * `FileHandle`; a compressed one (a gzipped perf.data …) is first decompressed into a temporary
 * file, which `close()` deletes. `FileCursor` adds a buffered sequential cursor on top, for the
 * headers that are laid out one field after another.
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TraceStream } from '../openTraceStream';
import { ByteReader, TruncatedError, readU64 } from './ByteReader';

/** An open binary trace. Close it when done (also on errors). */
export class BinaryFile {
  private constructor(
    private readonly handle: FileHandle,
    /** Bytes in the (decompressed) file. */
    readonly size: number,
    private readonly tempDir: string | null,
  ) {}

  /**
   * Opens `path` for random access. `stream` is the already opened trace stream: unused for a
   * plain file (its descriptor is released), drained into a temporary file when compressed.
   * Rejects when the file cannot be opened or the temporary copy cannot be written.
   */
  static async open(path: string, stream: TraceStream): Promise<BinaryFile> {
    if (stream.compression === 'none') {
      if (stream.chunks instanceof Readable) stream.chunks.destroy();
      const handle = await open(path, 'r');
      const { size } = await handle.stat();
      return new BinaryFile(handle, size, null);
    }
    const tempDir = await mkdtemp(join(tmpdir(), 'dropscope-binary-'));
    const tempPath = join(tempDir, 'trace.bin');
    let handle: FileHandle | null = null;
    try {
      handle = await open(tempPath, 'w+');
      let size = 0;
      for await (const chunk of stream.chunks) {
        await handle.write(chunk, 0, chunk.length, size);
        size += chunk.length;
      }
      return new BinaryFile(handle, size, tempDir);
    } catch (error) {
      await handle?.close();
      await rm(tempDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Reads up to `length` bytes at `offset`; fewer when the file ends first (never an error for
   * that: callers check the length they got). Returns a fresh buffer.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = new Uint8Array(wanted);
    const filled = await this.readInto(buffer, 0, wanted, offset);
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  /**
   * Reads up to `length` bytes at file offset `offset` into `buffer` at `at` (no allocation);
   * returns the count read, less than `length` only at the end of the file.
   */
  async readInto(buffer: Uint8Array, at: number, length: number, offset: number): Promise<number> {
    let filled = 0;
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(
        buffer,
        at + filled,
        wanted - filled,
        offset + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  }

  /** Releases the descriptor and deletes a temporary copy. Never rejects. */
  async close(): Promise<void> {
    try {
      await this.handle.close();
    } catch (error) {
      // Closing a read-only descriptor fails only if it is already closed: nothing to undo.
      void error;
    }
    if (this.tempDir)
      await rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const WINDOW_BYTES = 1 << 20;

/**
 * A buffered sequential reader over a `BinaryFile`, for layouts read field by field
 * (trace.dat version 6 headers). Every read is async but touches the disk only when the
 * 1 MiB window runs out. Reads past the end reject with `TruncatedError`.
 */
export class FileCursor {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    private readonly file: BinaryFile,
    /** File offset of the next read. */
    public pos: number,
    readonly littleEndian: boolean,
  ) {}

  /** Makes `length` bytes at `pos` available and returns a reader positioned on them. */
  private async take(length: number, what: string): Promise<ByteReader> {
    const inWindow = this.pos - this.windowStart;
    if (inWindow < 0 || inWindow + length > this.window.length) {
      this.window = await this.file.read(this.pos, Math.max(length, WINDOW_BYTES));
      this.windowStart = this.pos;
      if (this.window.length < length) throw new TruncatedError(what, this.pos);
    }
    const reader = new ByteReader(this.window, this.littleEndian, this.pos - this.windowStart);
    this.pos += length;
    return reader;
  }

  async u32(what: string): Promise<number> {
    return (await this.take(4, what)).u32(what);
  }

  async u64(what: string): Promise<number> {
    const reader = await this.take(8, what);
    return readU64(reader.view, reader.pos, this.littleEndian);
  }

  /** The next `length` bytes, copied out of the window. */
  async bytes(length: number, what: string): Promise<Uint8Array> {
    if (length > WINDOW_BYTES) {
      const out = await this.file.read(this.pos, length);
      if (out.length < length) throw new TruncatedError(what, this.pos);
      this.pos += length;
      return out;
    }
    const reader = await this.take(length, what);
    return reader.bytes.slice(reader.pos, reader.pos + length);
  }

  /** Up to `maxBytes` bytes at `pos` (fewer at the end of the file), without advancing. */
  async peek(maxBytes: number): Promise<Uint8Array> {
    return this.file.read(this.pos, maxBytes);
  }

  /** A NUL-terminated string of at most `maxBytes` bytes (NUL included). */
  async cstring(what: string, maxBytes = 4096): Promise<string> {
    const start = this.pos;
    const available = Math.min(maxBytes, this.file.size - start);
    const reader = await this.take(Math.max(0, available), what);
    const end = reader.bytes.indexOf(0, reader.pos);
    if (end < 0 || end - reader.pos >= maxBytes) throw new TruncatedError(what, start);
    this.pos = start + (end - reader.pos) + 1;
    return reader.cstring(what);
  }
}
