/**
 * A growable column of numbers kept in fixed-size typed-array chunks.
 *
 * Appending never copies earlier data (chunks are 64 Ki entries). A chunk whose values are all
 * the column's `empty` value is never allocated, so sparse columns (rx_sk, callchains, numeric
 * reasons in text formats) cost nothing for formats that lack them.
 */

/** log2 of the chunk length. */
export const CHUNK_BITS = 16;
/** Entries per chunk (65,536). */
export const CHUNK_SIZE = 1 << CHUNK_BITS;
/** Mask of the offset inside a chunk. */
export const CHUNK_MASK = CHUNK_SIZE - 1;

type NumericArray = Float64Array | Int32Array | Int16Array | Uint32Array;

/** Constructor of the typed array backing a column. */
export type ArrayKind = 'f64' | 'i32' | 'i16' | 'u32';

function allocate(kind: ArrayKind, length: number): NumericArray {
  switch (kind) {
    case 'f64':
      return new Float64Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'u32':
      return new Uint32Array(length);
  }
}

/** A chunked numeric column; `length` is shared with the store, which appends to every column. */
export class Column {
  /** Chunks by index; `undefined` means every entry of that chunk is `empty`. */
  readonly chunks: (NumericArray | undefined)[] = [];

  constructor(
    readonly kind: ArrayKind,
    /** Value of entries never written (-1 for ids, NaN for time). */
    readonly empty: number,
  ) {}

  /** Writes `value` at `index` (indexes are written in increasing order by the store). */
  set(index: number, value: number): void {
    const chunkIndex = index >>> CHUNK_BITS;
    let chunk = this.chunks[chunkIndex];
    if (chunk === undefined) {
      if (value === this.empty || (Number.isNaN(value) && Number.isNaN(this.empty))) return;
      while (this.chunks.length < chunkIndex) this.chunks.push(undefined);
      chunk = allocate(this.kind, CHUNK_SIZE);
      if (this.empty !== 0) chunk.fill(this.empty);
      this.chunks[chunkIndex] = chunk;
    }
    chunk[index & CHUNK_MASK] = value;
  }

  /** Value at `index`. */
  get(index: number): number {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    return chunk === undefined ? this.empty : (chunk[index & CHUNK_MASK] ?? this.empty);
  }

  /** Removes the first `count` chunks (the store evicts its oldest events); later ids shift down. */
  dropFirstChunks(count: number): void {
    this.chunks.splice(0, count);
  }

  /** Whether any chunk holds data. */
  get hasData(): boolean {
    return this.chunks.some((chunk) => chunk !== undefined);
  }

  /** Bytes held by the allocated chunks. */
  get byteLength(): number {
    return this.chunks.reduce((sum, chunk) => sum + (chunk?.byteLength ?? 0), 0);
  }
}
