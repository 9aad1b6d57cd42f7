/**
 * Walks the records of a perf.data data section (or a pipe-mode stream) in fixed-size chunks.
 *
 * Each record starts with `struct perf_event_header` (u32 type, u16 misc, u16 size). The walker
 * reads 4 MiB at a time into one reused buffer, hands every complete record to the handler
 * synchronously (no await per record), and carries a record cut by the chunk end over to the
 * next chunk. A few records are followed by bytes their size does not cover (pipe-mode
 * tracing data, AUX data): the handler announces those and receives them separately.
 *
 * Motivation: an await per record costs more than decoding the record; reading by chunks keeps
 * memory bounded whatever the file size (the 87 MB bench capture is read in 21 chunks).
 */
import type { BinaryFile } from '../traceDat/BinaryFile';

/** Size of the perf_event_header. */
export const RECORD_HEADER_BYTES = 8;

/** What the handler says about a record. */
export const RECORD_DONE = 0;
/** The handler must finish async work (`prepare`) before this record can be handled. */
export const RECORD_RETRY = -1;

/** Receives the records. All calls happen on the caller's thread, in file order. */
export interface RecordHandler {
  /**
   * One complete record `bytes[pos, pos + size)` starting at `fileOffset`. Returns
   * `RECORD_DONE`, `RECORD_RETRY`, or a positive count of bytes after the record that belong to
   * it (they are passed to `trailing`).
   */
  record(
    view: DataView,
    bytes: Uint8Array,
    pos: number,
    type: number,
    size: number,
    fileOffset: number,
  ): number;
  /** The bytes announced by `record`; `complete` is false when the file ended first. */
  trailing(bytes: Uint8Array, complete: boolean): void;
  /** Async work a `RECORD_RETRY` asked for. */
  prepare(): Promise<void>;
  /** After each chunk; returning false stops the walk (cancellation). */
  chunkDone(fileOffset: number): boolean;
}

/** How the walk ended. */
export interface WalkResult {
  /** File offset just past the last complete record handled. */
  endOffset: number;
  /** Why it stopped before `end` (truncation, corrupt header); null when it reached `end`. */
  problem: string | null;
  stopped: boolean;
}

const CHUNK_BYTES = 4 << 20;
/** Records are at most 64 KiB (u16 size), so this much room always holds a carried record. */
const MAX_RECORD_BYTES = 1 << 16;

/** Walks `[start, end)` of `file`; see the file overview. */
export async function walkRecords(
  file: BinaryFile,
  start: number,
  end: number,
  littleEndian: boolean,
  handler: RecordHandler,
): Promise<WalkResult> {
  const buffer = new Uint8Array(CHUNK_BYTES + MAX_RECORD_BYTES);
  const view = new DataView(buffer.buffer);
  let filled = 0; // bytes of `buffer` holding data
  let bufferOffset = start; // file offset of buffer[0]
  let readOffset = start;
  const limit = Math.min(end, file.size);
  for (;;) {
    const want = Math.min(CHUNK_BYTES, limit - readOffset);
    if (want > 0) {
      const got = await file.readInto(buffer, filled, want, readOffset);
      filled += got;
      readOffset += got;
    }
    let pos = 0;
    while (pos + RECORD_HEADER_BYTES <= filled) {
      const size = view.getUint16(pos + 6, littleEndian);
      const type = view.getUint32(pos, littleEndian);
      const fileOffset = bufferOffset + pos;
      if (size < RECORD_HEADER_BYTES) {
        return stop(
          fileOffset,
          `corrupt record header at byte ${fileOffset} (type ${type}, size ${size})`,
        );
      }
      if (pos + size > filled) break;
      let verdict = handler.record(view, buffer, pos, type, size, fileOffset);
      if (verdict === RECORD_RETRY) {
        await handler.prepare();
        verdict = handler.record(view, buffer, pos, type, size, fileOffset);
      }
      pos += size;
      if (verdict > 0) {
        const after = bufferOffset + pos;
        const extra = await file.read(after, verdict);
        handler.trailing(extra, extra.length === verdict);
        if (extra.length < verdict) {
          return stop(
            after,
            `the file ends inside the ${verdict} bytes that follow the record at byte ${fileOffset}`,
          );
        }
        // Continue after the trailing bytes: drop the buffer and read from there.
        bufferOffset = after + verdict;
        readOffset = bufferOffset;
        filled = 0;
        pos = 0;
        break;
      }
    }
    if (filled > 0) {
      buffer.copyWithin(0, pos, filled);
      filled -= pos;
      bufferOffset += pos;
    }
    if (!handler.chunkDone(bufferOffset))
      return { endOffset: bufferOffset, problem: null, stopped: true };
    if (readOffset >= limit) break;
  }
  if (filled > 0 || limit < end) {
    const where = bufferOffset;
    return stop(
      where,
      limit < end
        ? `the file ends at byte ${file.size}, inside the data section (which should end at byte ${end}); ` +
            `records from byte ${where} on are lost`
        : `the data section ends inside a record at byte ${where}`,
    );
  }
  return { endOffset: bufferOffset, problem: null, stopped: false };

  function stop(at: number, problem: string): WalkResult {
    return { endOffset: at, problem, stopped: false };
  }
}
