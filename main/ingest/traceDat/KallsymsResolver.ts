/**
 * Symbolizes a known set of kernel addresses in one streaming pass over kallsyms bytes, without
 * keeping the table: each symbol is offered to the first address at or above it (a binary
 * search), which keeps the greatest offered; an address's symbol is then the greatest kept at it
 * or at a lower address. Only kept symbols' names are copied.
 *
 * It answers exactly like `KallsymsIndex` (same line rules: absolute and zero-address symbols
 * ignored; at one address the text symbol, then a name not starting with `_`, then the first
 * listed wins; offsets of 1 MiB or more resolve to nothing), which the unit test checks on a
 * real /proc/kallsyms, fed in chunks of every size.
 *
 * Motivation: a binary trace has a few hundred distinct code addresses, known only once it is
 * read. Reading /proc/kallsyms into a string and indexing it cost ~0.12 s a load on the
 * 1,009,220-sample bench perf.data (Node 20, 2-vCPU VM: readFile ~63 ms on the main thread, the
 * index ~54 ms) and ~6,000 fresh pages in a new process; this pass reads it in a reused buffer.
 */
import { KALLSYMS_MAX_OFFSET } from '../../kernel';
import { hexValue, symbolPreference } from './KallsymsIndex';

const TWO_32 = 4294967296;
const MAX_OFFSET = Number(KALLSYMS_MAX_OFFSET);
/**
 * Name bytes kept in place per address (a trace with callchains may have tens of thousands of
 * distinct code addresses); a longer name is kept as a string in `longNames`.
 */
const NAME_BYTES = 128;
/** `nameLength` of a slot whose name is in `longNames`. */
const LONG_NAME = 0xffff;

function isNameEnd(code: number): boolean {
  return code === 9 || code === 10 || code === 32 || code === 13;
}

/** See the file overview. Feed it with `feed` (any chunking), then read `symbolOf`. */
export class KallsymsResolver {
  /** Symbols read (valid lines with a non-zero, non-absolute address). */
  symbols = 0;
  private readonly n: number;
  /** The queries sorted by address, as halves, and their positions in the caller's order. */
  private readonly qHigh: Uint32Array;
  private readonly qLow: Uint32Array;
  private readonly qIndex: Uint32Array;
  /** Best symbol so far per sorted query: address halves, preference (-1: none), name bytes. */
  private readonly bestHigh: Uint32Array;
  private readonly bestLow: Uint32Array;
  private readonly bestScore: Int8Array;
  private readonly nameLength: Uint16Array;
  private readonly names: Uint8Array;
  private readonly longNames = new Map<number, string>();
  /** Bytes of a line cut by the end of a chunk. */
  private carry = new Uint8Array(1024);
  private carried = 0;

  /** `high[k]`, `low[k]`: the unsigned halves of the k-th address to symbolize. */
  constructor(high: ArrayLike<number>, low: ArrayLike<number>) {
    const n = high.length;
    this.n = n;
    const order = Array.from({ length: n }, (_, k) => k);
    order.sort(
      (a, b) =>
        (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number),
    );
    this.qHigh = Uint32Array.from(order, (k) => high[k] as number);
    this.qLow = Uint32Array.from(order, (k) => low[k] as number);
    this.qIndex = Uint32Array.from(order);
    this.bestHigh = new Uint32Array(n);
    this.bestLow = new Uint32Array(n);
    this.bestScore = new Int8Array(n).fill(-1);
    this.nameLength = new Uint16Array(n);
    this.names = new Uint8Array(n * NAME_BYTES);
  }

  /** Takes the next `bytes[0, length)` of the text; a line may span chunks. */
  feed(bytes: Uint8Array, length = bytes.length): void {
    let start = 0;
    if (this.carried > 0) {
      const newline = bytes.subarray(0, length).indexOf(10);
      const take = newline < 0 ? length : newline + 1;
      this.keep(bytes, 0, take);
      if (newline < 0) return;
      this.lines(this.carry, 0, this.carried);
      this.carried = 0;
      start = take;
    }
    const lastNewline = bytes.subarray(start, length).lastIndexOf(10);
    const end = lastNewline < 0 ? start : start + lastNewline + 1;
    this.lines(bytes, start, end);
    this.keep(bytes, end, length);
  }

  /** Ends the text (a last line without a newline is read). */
  finish(): void {
    if (this.carried > 0) this.lines(this.carry, 0, this.carried);
    this.carried = 0;
  }

  /** `sym+0xoff` for the k-th address given to the constructor; null when nothing covers it. */
  symbolOf(k: number): string | null {
    const q = this.sortedPosition(k);
    if (q < 0) return null;
    const w = this.winners()[q] as number;
    if (w < 0) return null;
    const offset =
      ((this.qHigh[q] as number) - (this.bestHigh[w] as number)) * TWO_32 +
      ((this.qLow[q] as number) - (this.bestLow[w] as number));
    if (offset >= MAX_OFFSET) return null;
    const at = w * NAME_BYTES;
    const length = this.nameLength[w] as number;
    const name =
      length === LONG_NAME
        ? (this.longNames.get(w) ?? '')
        : new TextDecoder().decode(this.names.subarray(at, at + length));
    return `${name}+0x${offset.toString(16)}`;
  }

  private positions: Int32Array | null = null;
  private winnerSlots: Int32Array | null = null;

  /**
   * For each sorted query, the slot holding its best symbol: the greatest symbol kept at it or
   * at a lower query (-1: none). A prefix maximum; ties at one address were settled when kept.
   */
  private winners(): Int32Array {
    if (this.winnerSlots !== null) return this.winnerSlots;
    const winners = new Int32Array(this.n).fill(-1);
    let w = -1;
    for (let q = 0; q < this.n; q++) {
      if ((this.bestScore[q] as number) >= 0) {
        const h = this.bestHigh[q] as number;
        const l = this.bestLow[q] as number;
        const wh = w < 0 ? -1 : (this.bestHigh[w] as number);
        const wl = w < 0 ? -1 : (this.bestLow[w] as number);
        if (w < 0 || h > wh || (h === wh && l > wl)) w = q;
      }
      winners[q] = w;
    }
    this.winnerSlots = winners;
    return winners;
  }

  private sortedPosition(k: number): number {
    if (this.positions === null) {
      this.positions = new Int32Array(this.n).fill(-1);
      for (let q = 0; q < this.n; q++) this.positions[this.qIndex[q] as number] = q;
    }
    return k >= 0 && k < this.n ? (this.positions[k] as number) : -1;
  }

  private keep(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (length <= 0) return;
    if (this.carried + length > this.carry.length) {
      const grown = new Uint8Array(Math.max(this.carry.length * 2, this.carried + length));
      grown.set(this.carry.subarray(0, this.carried));
      this.carry = grown;
    }
    this.carry.set(bytes.subarray(from, to), this.carried);
    this.carried += length;
  }

  /** The complete lines of `bytes[from, to)` (the last may lack its newline). */
  private lines(bytes: Uint8Array, from: number, to: number): void {
    let line = from;
    while (line < to) line = this.line(bytes, line, to) + 1;
  }

  /**
   * The line starting at `line`, under the rules of `KallsymsIndex.build`; returns where it
   * ends (its newline, or `to`). One loop over the bytes: no call per line to find its end.
   */
  private line(bytes: Uint8Array, line: number, to: number): number {
    let i = line;
    let hi = 0;
    let lo = 0;
    let digits = 0;
    for (; i < to && digits <= 16; i++) {
      const value = hexValue(bytes[i] as number);
      if (value < 0) break;
      hi = ((hi << 4) | (lo >>> 28)) >>> 0;
      lo = ((lo << 4) | value) >>> 0;
      digits++;
    }
    const valid =
      digits > 0 &&
      digits <= 16 &&
      i + 3 < to &&
      bytes[i] === 32 &&
      bytes[i + 1] !== 10 &&
      bytes[i + 2] === 32 &&
      bytes[i + 3] !== 10;
    if (!valid) return this.lineEnd(bytes, i, to);
    const end = this.lineEnd(bytes, i + 3, to);
    const type = bytes[i + 1] as number;
    if ((hi === 0 && lo === 0) || type === 97 || type === 65 /* a A */) return end;
    this.symbols++;
    const nameStart = i + 3;
    const score = symbolPreference(type, bytes[nameStart] as number);
    // The first query at or above the symbol; the symbol may be best for it and the next ones.
    const { qHigh, qLow, bestHigh, bestLow, bestScore } = this;
    let left = 0;
    let right = this.n;
    while (left < right) {
      const middle = (left + right) >>> 1;
      const h = qHigh[middle] as number;
      if (h < hi || (h === hi && (qLow[middle] as number) < lo)) left = middle + 1;
      else right = middle;
    }
    // Every symbol at or below a query is kept at the first query at or above it, so the best
    // symbol of a query is the greatest kept at it or at a lower query (see `winners`).
    if (left === this.n) return end;
    const current = bestScore[left] as number;
    if (current >= 0) {
      const h = bestHigh[left] as number;
      const l = bestLow[left] as number;
      if (h > hi || (h === hi && l > lo)) return end;
      if (h === hi && l === lo && score <= current) return end;
    }
    bestHigh[left] = hi;
    bestLow[left] = lo;
    bestScore[left] = score;
    let nameEnd = nameStart;
    while (nameEnd < end && !isNameEnd(bytes[nameEnd] as number)) nameEnd++;
    const length = nameEnd - nameStart;
    if (length > NAME_BYTES) {
      this.longNames.set(left, new TextDecoder().decode(bytes.subarray(nameStart, nameEnd)));
      this.nameLength[left] = LONG_NAME;
      return end;
    }
    // Copied by hand: most lines are kept for a while (kallsyms is mostly sorted), and a
    // `subarray` view per line was 10 MB of garbage a load.
    const names = this.names;
    const at = left * NAME_BYTES;
    for (let k = 0; k < length; k++) names[at + k] = bytes[nameStart + k] as number;
    this.nameLength[left] = length;
    return end;
  }

  private lineEnd(bytes: Uint8Array, from: number, to: number): number {
    let end = from;
    while (end < to && bytes[end] !== 10) end++;
    return end;
  }
}
