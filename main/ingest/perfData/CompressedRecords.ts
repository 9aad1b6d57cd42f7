/**
 * PERF_RECORD_COMPRESSED (81) and COMPRESSED2 (83), written by `perf record -z`: together they
 * hold one zstd stream of further records (perf flushes the compressor at each write rather than
 * ending a frame), so they are decompressed with one streaming decompressor, in file order. A
 * record may start in one piece and end in the next: the undecoded tail is carried over.
 */
import { Decompress } from 'fzstd';
import { readU64 } from '../traceDat/ByteReader';

/** Receives each record found inside the frames. */
export type InnerRecord = (
  view: DataView,
  bytes: Uint8Array,
  pos: number,
  type: number,
  size: number,
) => void;

/** Decompresses COMPRESSED records in file order; see the file overview. */
export class CompressedRecords {
  private carry: Uint8Array = new Uint8Array(0);
  private readonly output: Uint8Array[] = [];
  private stream = new Decompress((chunk) => this.output.push(chunk));

  constructor(private readonly littleEndian: boolean) {}

  /**
   * Inflates the record at `bytes[pos, pos + size)` (`version2`: COMPRESSED2, whose header is
   * followed by the u64 data size) and passes every complete inner record to `each`. Returns
   * null, or why the frame could not be read (its records are lost).
   */
  inflate(
    view: DataView,
    bytes: Uint8Array,
    pos: number,
    size: number,
    version2: boolean,
    each: InnerRecord,
  ): string | null {
    const le = this.littleEndian;
    const start = version2 ? pos + 16 : pos + 8;
    const length = version2
      ? Math.min(readU64(view, pos + 8, le), pos + size - start)
      : pos + size - start;
    try {
      this.stream.push(bytes.slice(start, start + length));
    } catch (error) {
      // Start over: the next frame (if any) can still be read.
      this.stream = new Decompress((chunk) => this.output.push(chunk));
      this.output.length = 0;
      this.carry = new Uint8Array(0);
      return `compressed records cannot be decompressed (${(error as Error).message})`;
    }
    const inflated = this.output.reduce((sum, chunk) => sum + chunk.length, 0);
    const data = new Uint8Array(this.carry.length + inflated);
    data.set(this.carry);
    let at = this.carry.length;
    for (const chunk of this.output) {
      data.set(chunk, at);
      at += chunk.length;
    }
    this.output.length = 0;
    const inner = new DataView(data.buffer);
    let p = 0;
    while (p + 8 <= data.length) {
      const innerSize = inner.getUint16(p + 6, le);
      if (innerSize < 8) {
        this.carry = new Uint8Array(0);
        return `a compressed record holds a corrupt record header (size ${innerSize})`;
      }
      if (p + innerSize > data.length) break;
      each(inner, data, p, inner.getUint32(p, le), innerSize);
      p += innerSize;
    }
    this.carry = data.slice(p);
    return null;
  }
}
