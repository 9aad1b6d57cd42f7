/**
 * Kernel symbol table from `/proc/kallsyms`-style text, for turning raw `location` addresses
 * (bpftrace, raw BPF output) into `symbol+0xoffset`.
 *
 * Parsing keeps one symbol per address (text symbols preferred), sorted in a BigUint64Array;
 * lookups are a binary search.
 *
 * Motivation: /proc/kallsyms of a distribution kernel has 150k–250k lines. Parsing 200k shuffled
 * synthetic lines takes 0.25–0.3 s (line splitting ~55%, sort ~25%; BigInt comparators made the
 * sort 3× slower, hence the 32-bit halves) and a lookup 1–2 µs; this machine's 122k-line
 * /proc/kallsyms parses in about 0.15 s (tsx on Node 20, 2 shared vCPUs, performance.now()).
 */

/** The symbol found for an address. */
export interface KallsymsMatch {
  /** Symbol name (`sk_skb_reason_drop`). */
  readonly name: string;
  /** kallsyms type letter (`T`, `t`, `D` …). */
  readonly type: string;
  /** Module name for `[module]` symbols, else null. */
  readonly module: string | null;
  /** The symbol's address. */
  readonly address: bigint;
  /** Bytes from the symbol to the looked-up address. */
  readonly offset: bigint;
}

/**
 * Offsets at or beyond this are treated as "not inside that symbol" (the gap after the last
 * symbol of a region): kernel functions are far smaller than 1 MiB.
 */
export const KALLSYMS_MAX_OFFSET = 0x100000n;

const LINE = /^([0-9a-fA-F]+)\s+(\S)\s+(\S+)(?:\s+\[([^\]\s]+)\])?/;

function preference(type: string, name: string): number {
  const kind = type === 't' || type === 'T' ? 4 : type === 'w' || type === 'W' ? 2 : 0;
  return kind + (name.startsWith('_') ? 0 : 1);
}

const HEX = /^[0-9a-fA-F]{1,16}$/;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Splits one kallsyms line; a fast path for the kernel's own `%lx %c %s\t[%s]` layout. */
function splitLine(
  line: string,
): { hex: string; type: string; name: string; module: string | null } | null {
  const space = line.indexOf(' ');
  if (space > 0 && line.charAt(space + 2) === ' ' && line.charAt(space + 3) !== ' ') {
    const hex = line.slice(0, space);
    const rest = line.slice(space + 3);
    const tab = rest.indexOf('\t');
    const name = (tab < 0 ? rest : rest.slice(0, tab)).trim();
    const tail = tab < 0 ? '' : rest.slice(tab + 1).trim();
    const module = tail.startsWith('[') && tail.endsWith(']') ? tail.slice(1, -1) : null;
    if (HEX.test(hex) && name && !name.includes(' ') && (tail === '' || module)) {
      return { hex, type: line.charAt(space + 1), name, module };
    }
  }
  const match = LINE.exec(line);
  if (!match?.[1] || !match[2] || !match[3] || !HEX.test(match[1])) return null;
  return { hex: match[1], type: match[2], name: match[3], module: match[4] ?? null };
}

/** Reads `0xffffffff81e42650` or `ffffffff81e42650`; null when it is not hex. */
function parseAddress(text: string): bigint | null {
  const hex = text.trim().replace(/^0x/i, '');
  if (!HEX.test(hex)) return null;
  return BigInt(`0x${hex}`);
}

/** A parsed symbol table; immutable after `Kallsyms.parse`. */
export class Kallsyms {
  private constructor(
    private readonly addresses: BigUint64Array,
    private readonly names: readonly string[],
    private readonly types: readonly string[],
    private readonly modules: readonly (string | null)[],
    /** False when every address was zero (kallsyms read without privilege): nothing resolves. */
    readonly hasAddresses: boolean,
    /** Lines that were not `ADDRESS TYPE NAME [module]`. */
    readonly skippedLines: number,
  ) {}

  /**
   * Parses kallsyms text (`ffffffff81e42650 T sk_skb_reason_drop`, optional `[module]`).
   *
   * Zero addresses (the non-root view) and absolute (`a`/`A`) symbols are ignored; malformed
   * lines are counted in `skippedLines`. O(n log n) in lines; the input need not be sorted.
   */
  static parse(text: string): Kallsyms {
    // Addresses are split into high and low 32-bit halves while parsing and sorting: number
    // comparisons are several times faster than BigInt ones; BigInts are made once at the end.
    const high: number[] = [];
    const low: number[] = [];
    const names: string[] = [];
    const types: string[] = [];
    const modules: (string | null)[] = [];
    let skippedLines = 0;
    let zeroAddresses = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const fields = splitLine(line);
      if (!fields) {
        skippedLines++;
        continue;
      }
      const { hex, type, name, module } = fields;
      const split = Math.max(0, hex.length - 8);
      const hi = split > 0 ? Number.parseInt(hex.slice(0, split), 16) : 0;
      const lo = Number.parseInt(hex.slice(split), 16);
      if (hi === 0 && lo === 0) {
        zeroAddresses++;
        continue;
      }
      if (type === 'a' || type === 'A') continue;
      high.push(hi);
      low.push(lo);
      types.push(type);
      names.push(name);
      modules.push(module);
    }
    const compare = (a: number, b: number): number =>
      (high[a] ?? 0) - (high[b] ?? 0) || (low[a] ?? 0) - (low[b] ?? 0) || a - b;
    const order = Uint32Array.from(high.keys());
    let sorted = true;
    for (let i = 1; i < order.length && sorted; i++) sorted = compare(i - 1, i) < 0;
    if (!sorted) order.sort(compare);
    // One entry per address: the most preferred symbol (text, then names not starting with `_`).
    const kept: number[] = [];
    for (const index of order) {
      const previous = kept[kept.length - 1];
      if (
        previous !== undefined &&
        high[previous] === high[index] &&
        low[previous] === low[index]
      ) {
        const better =
          preference(types[index] ?? '', names[index] ?? '') >
          preference(types[previous] ?? '', names[previous] ?? '');
        if (better) kept[kept.length - 1] = index;
      } else {
        kept.push(index);
      }
    }
    // Fill the BigUint64Array through a 32-bit view of its buffer: no BigInt per symbol.
    const addresses = new BigUint64Array(kept.length);
    const halves = new Uint32Array(addresses.buffer);
    const [lowSlot, highSlot] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
    kept.forEach((index, slot) => {
      halves[slot * 2 + lowSlot] = low[index] ?? 0;
      halves[slot * 2 + highSlot] = high[index] ?? 0;
    });
    return new Kallsyms(
      addresses,
      kept.map((index) => names[index] ?? ''),
      kept.map((index) => types[index] ?? ''),
      kept.map((index) => modules[index] ?? null),
      kept.length > 0 || zeroAddresses === 0,
      skippedLines,
    );
  }

  /** Number of distinct symbol addresses kept. */
  get size(): number {
    return this.addresses.length;
  }

  /**
   * The nearest symbol at or below `address` (a bigint, `0x…` or bare hex).
   *
   * Null when the address is not hex, lies below the first symbol, or is `KALLSYMS_MAX_OFFSET`
   * or more past the nearest one. O(log n).
   */
  lookup(address: string | bigint): KallsymsMatch | null {
    const target = typeof address === 'bigint' ? address : parseAddress(address);
    if (target === null || this.addresses.length === 0) return null;
    let low = 0;
    let high = this.addresses.length - 1;
    if (target < (this.addresses[0] ?? 0n)) return null;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.addresses[middle] ?? 0n) <= target) low = middle;
      else high = middle - 1;
    }
    const symbolAddress = this.addresses[low] ?? 0n;
    const offset = target - symbolAddress;
    if (offset >= KALLSYMS_MAX_OFFSET) return null;
    return {
      name: this.names[low] ?? '',
      type: this.types[low] ?? '',
      module: this.modules[low] ?? null,
      address: symbolAddress,
      offset,
    };
  }

  /**
   * `sym+0xoff` for an address (`0xffffffff81e42650` or bare hex), like perf prints `location`;
   * null when `lookup` finds nothing.
   */
  symbolize(address: string): string | null {
    const match = this.lookup(address);
    return match ? `${match.name}+0x${match.offset.toString(16)}` : null;
  }
}
