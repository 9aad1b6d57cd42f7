/**
 * Dense ids for 64-bit kernel addresses (skbaddr, rx_sk, location, callchain frames) given as
 * two 32-bit halves, and the string of each, rendered once when the address is first seen (and
 * again, all of them, when `renderWith` changes the renderer).
 *
 * An open-addressing hash table on typed arrays, keyed by the halves as signed 32-bit integers.
 *
 * Motivation: a lookup is a hash and a few typed-array reads, with no Map on a miss of a memo
 * (traceDat's `AddressCache`), and the halves of a kernel address (0xffff8881…), above 2^31 as
 * unsigned numbers, are taken signed so V8 keeps them small integers even across a call it
 * does not inline. The 2 M lookups of the 1,009,220-sample bench capture take 13 ms (15 ms
 * with `AddressCache`, same micro-benchmark).
 */

const INITIAL_SLOTS = 1024;

/** Address → id and id → string for one kind of address; see the file overview. */
export class AddressIds {
  /** String of each id (`0x…`, or `sym+0xoff` when the renderer symbolizes). */
  readonly strings: string[] = [];
  private keysHigh = new Int32Array(INITIAL_SLOTS);
  private keysLow = new Int32Array(INITIAL_SLOTS);
  private ids = new Int32Array(INITIAL_SLOTS).fill(-1);
  private shift = 32 - Math.log2(INITIAL_SLOTS);

  /** `render(high, low)` gets the unsigned halves and makes the address's string. */
  constructor(private render: (high: number, low: number) => string) {}

  /** Renders every address seen so far again, and the next ones, with `render`. */
  renderWith(render: (high: number, low: number) => string): void {
    this.render = render;
    const { keysHigh, keysLow, ids, strings } = this;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot] as number;
      if (id >= 0)
        strings[id] = render((keysHigh[slot] as number) >>> 0, (keysLow[slot] as number) >>> 0);
    }
  }

  /**
   * The id of the address `high:low` (halves signed or unsigned, e.g. `DataView.getInt32`).
   * O(1) expected, no allocation once the address has been seen.
   */
  id(high: number, low: number): number {
    const h = high | 0;
    const l = low | 0;
    let slot = slotOf(h, l, this.shift);
    const mask = this.ids.length - 1;
    for (;;) {
      const id = this.ids[slot] as number;
      if (id < 0) return this.add(h, l, slot);
      if (this.keysLow[slot] === l && this.keysHigh[slot] === h) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** Every address seen so far, as unsigned halves indexed by id. */
  addresses(): { high: Uint32Array; low: Uint32Array } {
    const high = new Uint32Array(this.strings.length);
    const low = new Uint32Array(this.strings.length);
    const { keysHigh, keysLow, ids } = this;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot] as number;
      if (id < 0) continue;
      high[id] = keysHigh[slot] as number;
      low[id] = keysLow[slot] as number;
    }
    return { high, low };
  }

  /** The string of the address `high:low`. */
  get(high: number, low: number): string {
    return this.strings[this.id(high, low)] as string;
  }

  private add(high: number, low: number, slot: number): number {
    const id = this.strings.length;
    this.strings.push(this.render(high >>> 0, low >>> 0));
    this.keysHigh[slot] = high;
    this.keysLow[slot] = low;
    this.ids[slot] = id;
    if (this.strings.length * 2 > this.ids.length) this.grow();
    return id;
  }

  private grow(): void {
    const { keysHigh, keysLow, ids } = this;
    const slots = ids.length * 2;
    this.keysHigh = new Int32Array(slots);
    this.keysLow = new Int32Array(slots);
    this.ids = new Int32Array(slots).fill(-1);
    this.shift--;
    const mask = slots - 1;
    for (let old = 0; old < ids.length; old++) {
      const id = ids[old] as number;
      if (id < 0) continue;
      const high = keysHigh[old] as number;
      const low = keysLow[old] as number;
      let slot = slotOf(high, low, this.shift);
      while ((this.ids[slot] as number) >= 0) slot = (slot + 1) & mask;
      this.keysHigh[slot] = high;
      this.keysLow[slot] = low;
      this.ids[slot] = id;
    }
  }
}

/** Fibonacci hashing of both halves (addresses are aligned, so low bits alone hash badly). */
function slotOf(high: number, low: number, shift: number): number {
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> shift;
}
