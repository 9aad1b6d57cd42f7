/**
 * An endian-aware cursor over bytes already in memory, for the small structured parts of binary
 * traces (headers, options, feature sections, tracing data). Hot loops read their DataView
 * directly instead.
 *
 * Reading past the end throws `TruncatedError`, so a parser can wrap a whole structure in one
 * try/catch and report where the data ran out.
 */

/** Thrown when a structure needs more bytes than the buffer holds. */
export class TruncatedError extends Error {
  constructor(
    /** What was being read (`option 3`, `event format skb/kfree_skb`). */
    readonly what: string,
    /** Position (within the reader's bytes) where the read started. */
    readonly at: number,
  ) {
    super(`data ends inside ${what} (at byte ${at})`);
    this.name = 'TruncatedError';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });
const TWO_32 = 4294967296;

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD). */
export function decodeText(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

/** Decodes bytes up to the first NUL as UTF-8. */
export function decodeCString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return UTF8.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** `0x` + lower-case hex of a 64-bit value given as two unsigned 32-bit halves (`%p` style). */
export function hexAddress(high: number, low: number): string {
  if (high === 0) return `0x${low.toString(16)}`;
  return `0x${high.toString(16)}${low.toString(16).padStart(8, '0')}`;
}

/** A sequential reader over `bytes` in the file's byte order. Not thread-safe; cheap to create. */
export class ByteReader {
  readonly view: DataView;
  /** Current position within `bytes`. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    start = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  /** Bytes left after `pos`. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws `TruncatedError` unless `length` bytes are left. */
  need(length: number, what: string): void {
    if (length < 0 || this.pos + length > this.bytes.length)
      throw new TruncatedError(what, this.pos);
  }

  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u16(what = 'a 16-bit number'): number {
    this.need(2, what);
    const value = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return value;
  }

  u32(what = 'a 32-bit number'): number {
    this.need(4, what);
    const value = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return value;
  }

  i32(what = 'a 32-bit number'): number {
    this.need(4, what);
    const value = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return value;
  }

  /**
   * An unsigned 64-bit number as a JS number: exact up to 2^53, rounded above (offsets, sizes and
   * nanosecond times stay far below that).
   */
  u64(what = 'a 64-bit number'): number {
    this.need(8, what);
    const value = readU64(this.view, this.pos, this.littleEndian);
    this.pos += 8;
    return value;
  }

  /** An unsigned 64-bit number as a bigint (addresses, ids that may use the top bits). */
  u64n(what = 'a 64-bit number'): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return value;
  }

  /** The next `length` bytes (a view, not a copy). */
  bytesOf(length: number, what = 'a block'): Uint8Array {
    this.need(length, what);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** A NUL-terminated string (the NUL is consumed); throws when no NUL is left. */
  cstring(what = 'a string'): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) throw new TruncatedError(what, this.pos);
    const text = UTF8.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  skip(length: number, what = 'a block'): void {
    this.need(length, what);
    this.pos += length;
  }
}

/** Reads an unsigned 64-bit number at `offset` as a JS number (see `ByteReader.u64`). */
export function readU64(view: DataView, offset: number, littleEndian: boolean): number {
  const first = view.getUint32(offset, littleEndian);
  const second = view.getUint32(offset + 4, littleEndian);
  return littleEndian ? second * TWO_32 + first : first * TWO_32 + second;
}
