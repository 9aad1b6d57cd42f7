/**
 * Splits a byte stream into text lines, with a cap on line length.
 *
 * Lines end at `\n`; a trailing `\r` is dropped; bytes are decoded as UTF-8. A line longer than
 * `maxLineBytes` is never buffered whole: once it passes the cap its bytes are only counted, and
 * it is reported through `onOverlong` with its first bytes, so a 10 MB line costs no memory.
 * A last line without `\n` is still delivered, flagged `unterminated` (a truncated file).
 */

/** A complete line handed to the consumer. */
export type LineHandler = (text: string, lineNumber: number, unterminated: boolean) => void;

/** An over-long line: its number, its start (decoded) and its full length in bytes. */
export type OverlongHandler = (lineNumber: number, start: string, lengthBytes: number) => void;

const NEWLINE = 0x0a;
const PREVIEW_BYTES = 200;

/** Stateful splitter: `push` chunks, then `end`. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlongBytes = -1;
  private overlongPreview = '';
  private lineNumber = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: OverlongHandler,
    private readonly maxLineBytes = 1 << 20,
  ) {}

  /** Number of lines delivered so far (including over-long ones). */
  get lines(): number {
    return this.lineNumber;
  }

  /** Feeds a chunk of bytes. */
  push(chunk: Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.keep(buffer.subarray(start));
        return;
      }
      this.finishLine(buffer.subarray(start, newline), false);
      start = newline + 1;
    }
  }

  /** Flushes the last line when the input did not end with a newline. */
  end(): void {
    if (this.pendingBytes > 0 || this.overlongBytes >= 0) this.finishLine(Buffer.alloc(0), true);
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    if (this.overlongBytes >= 0) {
      this.overlongBytes += part.length;
      return;
    }
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      const joined = Buffer.concat([...this.pending, part]);
      this.overlongPreview = this.decode(joined.subarray(0, PREVIEW_BYTES));
      this.overlongBytes = joined.length;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the chunk's memory may be reused by the stream.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private finishLine(tail: Buffer, unterminated: boolean): void {
    this.lineNumber++;
    if (this.overlongBytes >= 0) {
      this.onOverlong(this.lineNumber, this.overlongPreview, this.overlongBytes + tail.length);
      this.overlongBytes = -1;
      this.overlongPreview = '';
      return;
    }
    if (this.pendingBytes + tail.length > this.maxLineBytes) {
      const joined = Buffer.concat([...this.pending, tail]);
      this.pending = [];
      this.pendingBytes = 0;
      this.onOverlong(
        this.lineNumber,
        this.decode(joined.subarray(0, PREVIEW_BYTES)),
        joined.length,
      );
      return;
    }
    let bytes = tail;
    if (this.pendingBytes > 0) {
      bytes = Buffer.concat([...this.pending, tail]);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    this.onLine(this.decode(bytes.subarray(0, end)), this.lineNumber, unterminated);
  }

  private decode(bytes: Buffer): string {
    return bytes.toString('utf8');
  }
}
