/**
 * perf's "ordered events": records are written per CPU buffer, so the file is only sorted
 * within rounds. `perf record` writes a FINISHED_ROUND record after each pass over the
 * buffers, and promises nothing that comes later is older than what came before the previous
 * round mark. Like perf, at each round mark the queue releases, in time order, every item not
 * newer than the newest time seen before the previous mark; the end of the data releases all.
 *
 * Items (drop samples, comm changes, forks) live in parallel typed arrays (strings as ids of
 * the caller's string tables), so queueing allocates nothing per item once the arrays have
 * grown. The queued items are the slots from `head` to `length`: a release in arrival order
 * (the usual case: a round is mostly one CPU's run) only moves `head`, and the consumer gets
 * the released slots as a range it may copy whole; otherwise it gets them in merged order and
 * the kept ones are moved down with a few `copyWithin` calls.
 *
 * Motivation: comm must be the one at the sample's time (an exec on another CPU can sit later
 * in the file than a sample after it), and the store answers time ranges by binary search only
 * when events arrive in time order.
 */

/** Item kinds. */
export const ITEM_SAMPLE = 0;
export const ITEM_COMM = 1;
export const ITEM_FORK = 2;

const INITIAL_CAPACITY = 4096;
/** Items held before the oldest half is released without waiting for a round mark. */
const MAX_QUEUED = 4_000_000;

/**
 * Receives `count` released items in time order: the slots `order[0, count)`, or, when `order`
 * is null (they were queued in time order), the slots `first … first + count - 1`. The array
 * belongs to the queue and is valid only during the call; the released slots' fields may be
 * read and overwritten.
 */
export type ReleaseConsumer = (order: Uint32Array | null, first: number, count: number) => void;

/** A time-ordering queue of perf items; see the file overview. Single-threaded. */
export class OrderedQueue {
  /** Queued items are the slots `head … length - 1`, in arrival order. */
  head = 0;
  length = 0;
  kind = new Uint8Array(INITIAL_CAPACITY);
  time = new Float64Array(INITIAL_CAPACITY);
  /** Sample and comm: tid. Fork: child tid. */
  tid = new Int32Array(INITIAL_CAPACITY);
  /** Sample: cpu. Fork: parent tid. */
  cpu = new Int32Array(INITIAL_CAPACITY);
  protocol = new Int32Array(INITIAL_CAPACITY);
  reason = new Int32Array(INITIAL_CAPACITY);
  line = new Float64Array(INITIAL_CAPACITY);
  /** Sample: skbaddr string id. Comm: the new comm's string id. */
  skbaddr = new Int32Array(INITIAL_CAPACITY);
  /** Sample: location string id. */
  location = new Int32Array(INITIAL_CAPACITY);
  /** Sample: rx_sk string id, -1 for NULL. */
  rxSk = new Int32Array(INITIAL_CAPACITY);
  /** Sample: the store's comm id, written when released into a store (`StoreFiller`). */
  comm = new Int32Array(INITIAL_CAPACITY);
  /**
   * Sample: key of its callchain in `chains`, -1 when none; null until a callchain is queued
   * (most captures have none). Write with `setChain`, read with `chainOf`.
   */
  chain: Int32Array | null = null;
  /** Sample: period, NaN when not kept; null until one is kept (`setPeriod`, `periodOf`). */
  period: Float64Array | null = null;
  /** Callchains of queued samples by key (deleted when released). */
  readonly chains = new Map<number, readonly string[]>();
  private nextChain = 0;
  /** Newest time queued since the last round mark, and the limit the next mark releases to. */
  private newest = Number.NEGATIVE_INFINITY;
  private nextLimit = Number.NEGATIVE_INFINITY;
  private sorted = true;
  /** Buffers of `order()`, reused from one release to the next. */
  private orderBuffer = new Uint32Array(0);
  private spareBuffer = new Uint32Array(0);

  /** Sets a sample's callchain key (-1: none). */
  setChain(slot: number, key: number): void {
    if (this.chain === null) {
      if (key < 0) return;
      this.chain = new Int32Array(this.kind.length).fill(-1);
    }
    this.chain[slot] = key;
  }

  /** A sample's callchain key, -1 when none. */
  chainOf(slot: number): number {
    return this.chain === null ? -1 : (this.chain[slot] as number);
  }

  /** Sets a sample's period (NaN: not kept). */
  setPeriod(slot: number, value: number): void {
    if (this.period === null) {
      if (Number.isNaN(value)) return;
      this.period = new Float64Array(this.kind.length).fill(Number.NaN);
    }
    this.period[slot] = value;
  }

  /** A sample's period, NaN when not kept. */
  periodOf(slot: number): number {
    return this.period === null ? Number.NaN : (this.period[slot] as number);
  }

  /** Stores a callchain and returns its key for the `chain` column. */
  addChain(frames: readonly string[]): number {
    const key = this.nextChain++;
    this.chains.set(key, frames);
    return key;
  }

  /** Takes a released sample's callchain out of the queue. */
  takeChain(key: number): readonly string[] | null {
    if (key < 0) return null;
    const frames = this.chains.get(key) ?? null;
    this.chains.delete(key);
    return frames;
  }

  /** Appends an item and returns its slot; the caller fills the slot's fields. */
  push(kind: number, time: number): number {
    if (this.length === this.kind.length) this.makeRoom(1);
    const slot = this.length++;
    this.kind[slot] = kind;
    this.time[slot] = time;
    if (slot > this.head && time < (this.time[slot - 1] as number)) this.sorted = false;
    if (time > this.newest) this.newest = time;
    return slot;
  }

  /**
   * Makes room for `extra` more items after `length`, so the arrays stay the same while the
   * caller fills them (slots of queued items may move down when released ones are dropped).
   */
  reserve(extra: number): void {
    if (this.length + extra > this.kind.length) this.makeRoom(extra);
  }

  /** Drops the released slots before `head`, then grows until `extra` more items fit. */
  private makeRoom(extra: number): void {
    if (this.head > 0) {
      const { head, length } = this;
      if (head < length) for (const column of this.columns()) column.copyWithin(0, head, length);
      this.length = length - head;
      this.head = 0;
    }
    while (this.length + extra > this.kind.length) this.grow();
  }

  /**
   * Takes in the `count` items a caller wrote straight into the slots from `length` on (after
   * `reserve`: their `kind`, `time` and fields), as `push` of each would have.
   */
  pushed(count: number): void {
    const time = this.time;
    let slot = this.length;
    const end = slot + count;
    let previous = slot > this.head ? (time[slot - 1] as number) : Number.NaN;
    let newest = this.newest;
    let sorted = this.sorted;
    for (; slot < end; slot++) {
      const t = time[slot] as number;
      if (t < previous) sorted = false;
      if (t > newest) newest = t;
      previous = t;
    }
    this.length = end;
    this.newest = newest;
    this.sorted = sorted;
  }

  /** Whether the queue is over its size limit (the caller then calls `releaseHalf`). */
  get isFull(): boolean {
    return this.length - this.head >= MAX_QUEUED;
  }

  /** A FINISHED_ROUND: releases items up to the previous round's newest time. */
  roundMark(consume: ReleaseConsumer): void {
    this.release(this.nextLimit, consume);
    this.nextLimit = this.newest;
  }

  /** Releases everything (end of data). */
  releaseAll(consume: ReleaseConsumer): void {
    this.release(Number.POSITIVE_INFINITY, consume);
  }

  /** Releases the older half (memory bound when a file has no round marks). */
  releaseHalf(consume: ReleaseConsumer): void {
    const half = (this.length - this.head) >>> 1;
    const order = this.order();
    const middle = order === null ? this.head + half : order[half];
    this.release(
      middle === undefined || middle >= this.length
        ? Number.POSITIVE_INFINITY
        : (this.time[middle] as number),
      consume,
    );
  }

  /**
   * The queued slots in (time, arrival) order, in `[0, length - head)` of the returned array
   * (one of two buffers the queue reuses: valid until the next call); null when they are queued
   * in that order already.
   *
   * Motivation: a round holds one sorted run per CPU buffer, so the slots are sorted by merging
   * those runs (log2(runs) linear passes) instead of a comparator sort: on the 835,599-sample
   * bench capture the comparator sort took about 0.35 s of a 1.4 s load, the merge 0.02 s.
   */
  private order(): Uint32Array | null {
    if (this.sorted) return null;
    const { head } = this;
    const n = this.length - head;
    if (this.orderBuffer.length < n) {
      this.orderBuffer = new Uint32Array(this.kind.length);
      this.spareBuffer = new Uint32Array(this.kind.length);
    }
    let order = this.orderBuffer;
    for (let i = 0; i < n; i++) order[i] = head + i;
    const time = this.time;
    let runs: number[] = [0];
    for (let i = 1; i < n; i++) {
      if ((time[head + i] as number) < (time[head + i - 1] as number)) runs.push(i);
    }
    runs.push(n);
    if (runs.length > 257) {
      order.subarray(0, n).sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
      return order;
    }
    let spare = this.spareBuffer;
    while (runs.length > 2) {
      const merged: number[] = [0];
      let r = 0;
      for (; r + 2 < runs.length; r += 2) {
        mergeRuns(
          time,
          order,
          spare,
          runs[r] as number,
          runs[r + 1] as number,
          runs[r + 2] as number,
        );
        merged.push(runs[r + 2] as number);
      }
      if (r + 1 < runs.length) {
        const start = runs[r] ?? 0;
        const end = runs[r + 1] ?? n;
        spare.set(order.subarray(start, end), start);
        merged.push(end);
      }
      [order, spare] = [spare, order];
      runs = merged;
    }
    return order;
  }

  private release(limit: number, consume: ReleaseConsumer): void {
    const { head } = this;
    const n = this.length - head;
    if (n === 0) return;
    const order = this.order();
    const time = this.time;
    let count = 0;
    // `!(t > limit)`, not `t <= limit`: an untimed item (NaN) is released with the others.
    if (order === null) while (count < n && !((time[head + count] as number) > limit)) count++;
    else while (count < n && !((time[order[count] as number] as number) > limit)) count++;
    if (count > 0) consume(order, head, count);
    if (count === n) {
      this.head = 0;
      this.length = 0;
      this.sorted = true;
      return;
    }
    if (order === null) {
      // The released items are the oldest slots: drop them by moving the head (no copy).
      this.head = head + count;
      return;
    }
    const keep = new Uint8Array(this.length);
    for (let i = count; i < n; i++) keep[order[i] as number] = 1;
    this.compact(keep);
  }

  /**
   * Moves the kept slots to the front, in arrival order. Kept slots come in runs (the newer
   * end of each CPU's run), so whole ranges are moved with `copyWithin`.
   */
  private compact(keep: Uint8Array): void {
    const columns = this.columns();
    let to = 0;
    let from = this.head;
    const n = this.length;
    while (from < n) {
      while (from < n && keep[from] === 0) from++;
      let end = from;
      while (end < n && keep[end] === 1) end++;
      if (end > from) {
        if (to !== from) for (const column of columns) column.copyWithin(to, from, end);
        to += end - from;
      }
      from = end;
    }
    this.head = 0;
    this.length = to;
    let sorted = true;
    const time = this.time;
    for (let k = 1; k < to && sorted; k++) sorted = (time[k] as number) >= (time[k - 1] as number);
    this.sorted = sorted;
  }

  private columns(): (Uint8Array | Int32Array | Float64Array)[] {
    const optional = [this.chain, this.period].filter((column) => column !== null);
    return [
      ...optional,
      this.kind,
      this.time,
      this.tid,
      this.cpu,
      this.protocol,
      this.reason,
      this.line,
      this.skbaddr,
      this.location,
      this.rxSk,
      this.comm,
    ];
  }

  private grow(): void {
    const capacity = this.kind.length * 2;
    const widen = <T extends Uint8Array | Float64Array | Int32Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.time = widen(this.time, (n) => new Float64Array(n));
    this.tid = widen(this.tid, (n) => new Int32Array(n));
    this.cpu = widen(this.cpu, (n) => new Int32Array(n));
    this.protocol = widen(this.protocol, (n) => new Int32Array(n));
    this.reason = widen(this.reason, (n) => new Int32Array(n));
    this.line = widen(this.line, (n) => new Float64Array(n));
    this.skbaddr = widen(this.skbaddr, (n) => new Int32Array(n));
    this.location = widen(this.location, (n) => new Int32Array(n));
    this.rxSk = widen(this.rxSk, (n) => new Int32Array(n));
    this.comm = widen(this.comm, (n) => new Int32Array(n));
    if (this.chain) this.chain = widen(this.chain, (n) => new Int32Array(n).fill(-1));
    if (this.period) this.period = widen(this.period, (n) => new Float64Array(n).fill(Number.NaN));
  }
}

/** Merges the sorted runs `from[start, middle)` and `from[middle, end)` into `to` (stable). */
function mergeRuns(
  time: Float64Array,
  from: Uint32Array,
  to: Uint32Array,
  start: number,
  middle: number,
  end: number,
): void {
  let left = start;
  let right = middle;
  let out = start;
  while (left < middle && right < end) {
    const a = from[left] as number;
    const b = from[right] as number;
    if ((time[b] as number) < (time[a] as number)) {
      to[out++] = b;
      right++;
    } else {
      to[out++] = a;
      left++;
    }
  }
  while (left < middle) to[out++] = from[left++] as number;
  while (right < end) to[out++] = from[right++] as number;
}

/**
 * Thread names as perf tracks them: set by COMM records, inherited on FORK, `swapper` for the
 * idle task (tid 0) and `:tid` for a thread never named (what perf script prints then).
 */
export class ThreadComms {
  private readonly comms = new Map<number, string>([[0, 'swapper']]);

  /** The current comm of `tid`. */
  comm(tid: number): string {
    let comm = this.comms.get(tid);
    if (comm === undefined) {
      comm = `:${tid}`;
      this.comms.set(tid, comm);
    }
    return comm;
  }

  /** A COMM record (exec or prctl rename). */
  setComm(tid: number, comm: string): void {
    this.comms.set(tid, comm);
  }

  /** A FORK record: the child starts with its parent's comm. */
  fork(tid: number, parentTid: number): void {
    const parent = this.comms.get(parentTid);
    if (parent === undefined || parent.startsWith(':')) this.comms.delete(tid);
    else this.comms.set(tid, parent);
  }
}
