/**
 * A lazily resolved kallsyms table for symbolizing the few hundred distinct code addresses of a
 * binary trace: one pass records each line's address (as two 32-bit halves), type and position
 * in the text; a symbol's name is cut out of the text only when an address resolves to it.
 *
 * It answers exactly like `Kallsyms` of main/kernel (same rules: absolute and zero-address
 * symbols ignored; at one address the text symbol, then a name not starting with `_`, then the
 * first listed wins; offsets of 1 MiB or more resolve to nothing), which the unit test checks
 * on a real /proc/kallsyms.
 *
 * Motivation: `Kallsyms.parse` builds every name and BigInt up front: 0.18–0.27 s for this
 * machine's 122k-line /proc/kallsyms (tsx, Node 20, 2 busy vCPUs), a third of loading the
 * 835k-sample bench perf.data. Indexing without names takes about 0.02 s.
 */
import { KALLSYMS_MAX_OFFSET } from '../../kernel';

const TWO_32 = 4294967296;
const MAX_OFFSET = Number(KALLSYMS_MAX_OFFSET);

/** The value of a hex digit's character code; -1 when it is not one. */
export function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * How much a symbol is preferred at an address shared with others, from its type's and its
 * name's first character codes: text symbols, then weak ones; names not starting with `_`.
 */
export function symbolPreference(type: number, firstOfName: number): number {
  const kind = type === 116 || type === 84 ? 4 : type === 119 || type === 87 ? 2 : 0; // t T w W
  return kind + (firstOfName === 95 /* _ */ ? 0 : 1);
}

function preference(type: number, text: string, nameStart: number): number {
  return symbolPreference(type, text.charCodeAt(nameStart));
}

/** The index; build with `KallsymsIndex.build`. Immutable. */
export class KallsymsIndex {
  private constructor(
    private readonly text: string,
    private readonly high: Uint32Array,
    private readonly low: Uint32Array,
    /** Start of each entry's name in `text`. */
    private readonly nameStart: Uint32Array,
    private readonly type: Uint8Array,
    readonly size: number,
  ) {}

  /** Indexes kallsyms text (`ffffffff81e42650 T name [module]` lines). O(lines), names untouched. */
  static build(text: string): KallsymsIndex {
    let capacity = 1 << 16;
    let high = new Uint32Array(capacity);
    let low = new Uint32Array(capacity);
    let nameStart = new Uint32Array(capacity);
    let type = new Uint8Array(capacity);
    let count = 0;
    let sorted = true;
    let lastHigh = 0;
    let lastLow = 0;
    const length = text.length;
    let line = 0;
    while (line < length) {
      let end = text.indexOf('\n', line);
      if (end < 0) end = length;
      // Address: hex digits up to the first space, at most 16.
      let i = line;
      let hi = 0;
      let lo = 0;
      let digits = 0;
      for (; i < end && digits <= 16; i++) {
        const value = hexValue(text.charCodeAt(i));
        if (value < 0) break;
        hi = ((hi << 4) | (lo >>> 28)) >>> 0;
        lo = ((lo << 4) | value) >>> 0;
        digits++;
      }
      const typeCode = text.charCodeAt(i + 1);
      const valid =
        digits > 0 &&
        digits <= 16 &&
        text.charCodeAt(i) === 32 &&
        text.charCodeAt(i + 2) === 32 &&
        i + 3 < end;
      if (valid && (hi !== 0 || lo !== 0) && typeCode !== 97 && typeCode !== 65 /* a A */) {
        if (count === capacity) {
          capacity *= 2;
          const grow = <T extends Uint32Array | Uint8Array>(old: T, next: T): T => {
            next.set(old);
            return next;
          };
          high = grow(high, new Uint32Array(capacity));
          low = grow(low, new Uint32Array(capacity));
          nameStart = grow(nameStart, new Uint32Array(capacity));
          type = grow(type, new Uint8Array(capacity));
        }
        if (hi < lastHigh || (hi === lastHigh && lo < lastLow)) sorted = false;
        lastHigh = hi;
        lastLow = lo;
        high[count] = hi;
        low[count] = lo;
        nameStart[count] = i + 3;
        type[count] = typeCode;
        count++;
      }
      line = end + 1;
      if (end === length) break;
    }
    if (!sorted) {
      const order = Uint32Array.from({ length: count }, (_, k) => k);
      order.sort(
        (a, b) =>
          (high[a] as number) - (high[b] as number) ||
          (low[a] as number) - (low[b] as number) ||
          a - b,
      );
      const pick = <T extends Uint32Array | Uint8Array>(from: T, make: (n: number) => T): T => {
        const out = make(count);
        for (let k = 0; k < count; k++) out[k] = from[order[k] as number] as number;
        return out;
      };
      high = pick(high, (n) => new Uint32Array(n));
      low = pick(low, (n) => new Uint32Array(n));
      nameStart = pick(nameStart, (n) => new Uint32Array(n));
      type = pick(type, (n) => new Uint8Array(n));
    }
    return new KallsymsIndex(text, high, low, nameStart, type, count);
  }

  private nameAt(entry: number): string {
    const start = this.nameStart[entry] as number;
    let end = start;
    const text = this.text;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === 9 || code === 10 || code === 32 || code === 13) break;
    }
    return text.slice(start, end);
  }

  /** `sym+0xoff` for an address given as 32-bit halves; null when no symbol covers it. */
  symbolizeParts(hi: number, lo: number): string | null {
    const { high, low } = this;
    let left = 0;
    let right = this.size - 1;
    if (right < 0) return null;
    const below = (k: number): boolean =>
      (high[k] as number) < hi || ((high[k] as number) === hi && (low[k] as number) <= lo);
    if (!below(0)) return null;
    while (left < right) {
      const middle = (left + right + 1) >>> 1;
      if (below(middle)) left = middle;
      else right = middle - 1;
    }
    // Entries at the same address: keep the most preferred, the first listed on ties.
    const h = high[left] as number;
    const l = low[left] as number;
    let first = left;
    while (first > 0 && high[first - 1] === h && low[first - 1] === l) first--;
    let best = first;
    let bestScore = preference(
      this.type[first] as number,
      this.text,
      this.nameStart[first] as number,
    );
    for (let k = first + 1; k <= left; k++) {
      const score = preference(this.type[k] as number, this.text, this.nameStart[k] as number);
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    const offset = (hi - h) * TWO_32 + (lo - l);
    if (offset >= MAX_OFFSET) return null;
    return `${this.nameAt(best)}+0x${offset.toString(16)}`;
  }

  /** `sym+0xoff` for `0xffffffff81e42650` or bare hex; null when unknown or not hex. */
  symbolize(address: string): string | null {
    const hex = address.trim().replace(/^0x/i, '');
    if (!/^[0-9a-f]{1,16}$/i.test(hex)) return null;
    const split = Math.max(0, hex.length - 8);
    return this.symbolizeParts(
      split > 0 ? Number.parseInt(hex.slice(0, split), 16) : 0,
      Number.parseInt(hex.slice(split), 16),
    );
  }
}
