/**
 * The store path of a perf.data read: released queue items go straight into an `EventStore`,
 * with no `EventInput` per event. Runs of consecutive queue slots (the usual case) are copied
 * from the queue's arrays column by column (`EventStore.appendColumns`); items released in an
 * interleaved order are gathered into an `EventBatch` first.
 *
 * The queue holds strings as ids of the reader's own tables (address caches, thread names);
 * each is mapped to the id of the store's dictionary once, the first time it is released, so
 * the dictionaries get their entries in the same order as with one `append` per event and the
 * store comes out identical (the unit tests load files both ways and compare every column).
 *
 * Motivation: on the 1,009,220-sample bench capture (.bench/perf-big.data, Node 20, 2-vCPU VM,
 * best of 8, no symbols) reading the file to a sink that only counts takes 0.14 s; one
 * `EventInput` and `append` per event brings that to 0.275 s, this path to 0.18 s.
 */
import { CHUNK_SIZE, EventBatch, type EventStore, type StringDictionary } from '../../store';
import {
  ITEM_COMM,
  ITEM_FORK,
  ITEM_SAMPLE,
  type OrderedQueue,
  type ThreadComms,
} from './OrderedQueue';

/** Below this many events per run of consecutive slots, released items are gathered instead. */
const MIN_RUN = 64;

/** How often `order[0, count)` is not one slot after the previous. */
function countBreaks(order: Uint32Array, count: number): number {
  let breaks = 0;
  for (let k = 1; k < count; k++) if (order[k] !== (order[k - 1] as number) + 1) breaks++;
  return breaks;
}

/** Slots of the tid → comm id cache (a power of two). */
const COMM_SLOTS = 1024;

/** Maps the dense ids of a reader's string table to ids of a store dictionary. */
class DictionaryIds {
  private ids = new Int32Array(1024).fill(-1);

  constructor(
    private readonly dictionary: StringDictionary,
    /** The reader's strings by id (a table that only grows). */
    private readonly strings: readonly string[],
  ) {}

  /** The store id of the reader's string `index` (interned the first time). */
  id(index: number): number {
    if (index < this.ids.length) {
      const id = this.ids[index] as number;
      if (id >= 0) return id;
    }
    return this.intern(index);
  }

  /**
   * Replaces the reader's ids in `values[from, to)` by the store's, in place; -1 stays -1.
   * Returns whether any was not -1.
   */
  mapRange(values: Int32Array, from: number, to: number): boolean {
    let ids = this.ids;
    let any = false;
    for (let i = from; i < to; i++) {
      const index = values[i] as number;
      if (index < 0) continue;
      any = true;
      let id = index < ids.length ? (ids[index] as number) : -1;
      if (id < 0) {
        id = this.intern(index);
        ids = this.ids;
      }
      values[i] = id;
    }
    return any;
  }

  private intern(index: number): number {
    if (index >= this.ids.length) {
      const grown = new Int32Array(Math.max(this.ids.length * 2, index + 1)).fill(-1);
      grown.set(this.ids);
      this.ids = grown;
    }
    const id = this.dictionary.intern(this.strings[index] ?? '');
    this.ids[index] = id;
    return id;
  }
}

/** Where the reader's strings come from. */
export interface FillerTables {
  /** `0x…` strings of data pointers (skbaddr, rx_sk) by queue id. */
  pointers: readonly string[];
  /** Strings of code addresses (location) by queue id. */
  code: readonly string[];
  comms: ThreadComms;
  /** Names of queued COMM items (by the id in their `skbaddr` field). */
  commNames: readonly string[];
}

/** Fills a store from released queue items; see the file overview. */
export class StoreFiller {
  /** Samples appended so far. */
  events = 0;
  /** For releases out of arrival order; made at the first one (most loads need none). */
  private batch: EventBatch | null = null;
  private readonly skbaddr: DictionaryIds;
  private readonly rxSk: DictionaryIds;
  private readonly location: DictionaryIds;
  /**
   * Store comm id by tid, a direct-mapped cache (slot `tid & (COMM_SLOTS - 1)`), cleared for a
   * thread when a COMM or FORK renames it.
   */
  private readonly commTids = new Int32Array(COMM_SLOTS);
  private readonly commIds = new Int32Array(COMM_SLOTS).fill(-1);
  private readonly extraIds = new Map<number, number>();

  constructor(
    private readonly store: EventStore,
    private readonly tables: FillerTables,
  ) {
    const d = store.dictionaries;
    this.skbaddr = new DictionaryIds(d.skbaddr, tables.pointers);
    this.rxSk = new DictionaryIds(d.rxSk, tables.pointers);
    this.location = new DictionaryIds(d.location, tables.code);
  }

  /** A thread's name changed outside the queue (an untimed COMM): forget its cached id. */
  renamed(tid: number): void {
    const slot = tid & (COMM_SLOTS - 1);
    if (this.commTids[slot] === tid) this.commIds[slot] = -1;
  }

  /**
   * Appends `count` released items of `queue` in time order (see `ReleaseConsumer` for `order`
   * and `first`): samples become events, COMM and FORK items update thread names in between.
   */
  take(queue: OrderedQueue, order: Uint32Array | null, first: number, count: number): void {
    const runs =
      queue.chain === null && queue.period === null
        ? order === null || count >= MIN_RUN * (countBreaks(order, count) + 1)
        : false;
    if (runs) this.takeRuns(queue, order, first, count);
    else this.gather(queue, order, first, count);
  }

  /**
   * The released slots are in runs of consecutive slots (`order` null: one run from `first`):
   * their ids become the store's in place (the queue lets released slots be overwritten), and
   * each run of samples is copied into the store straight from the queue's arrays, ending at a
   * COMM or FORK item or where `order` jumps.
   *
   * Motivation: rounds are mostly in time order already, or merge a few long runs (one per CPU
   * buffer): on the 1,009,220-sample bench capture gathering every field of every event into a
   * batch took 35 ms a load (CPU profile), most of it saved by copying runs whole.
   */
  private takeRuns(
    queue: OrderedQueue,
    order: Uint32Array | null,
    first: number,
    count: number,
  ): void {
    const { kind, tid, cpu, skbaddr } = queue;
    const { comms, commNames } = this.tables;
    let runStart = order === null ? first : (order[0] as number);
    let next = runStart;
    for (let k = 0; k < count; k++) {
      const slot = order === null ? first + k : (order[k] as number);
      if (slot !== next) {
        this.appendRun(queue, runStart, next);
        runStart = slot;
      }
      next = slot + 1;
      const itemKind = kind[slot];
      if (itemKind === ITEM_SAMPLE) continue;
      this.appendRun(queue, runStart, slot);
      runStart = next;
      const thread = tid[slot] as number;
      if (itemKind === ITEM_COMM) comms.setComm(thread, commNames[skbaddr[slot] as number] ?? '');
      else if (itemKind === ITEM_FORK) comms.fork(thread, cpu[slot] as number);
      this.renamed(thread);
    }
    this.appendRun(queue, runStart, next);
  }

  /**
   * Appends the samples in slots `[from, to)` (consecutive, in time order, no COMM or FORK
   * among them): their ids become the store's in place, one column at a time, then every column
   * is copied into the store.
   */
  private appendRun(queue: OrderedQueue, from: number, to: number): void {
    if (to <= from) return;
    const { tid, comm } = queue;
    for (let slot = from; slot < to; slot++) comm[slot] = this.commId(tid[slot] as number);
    this.skbaddr.mapRange(queue.skbaddr, from, to);
    this.location.mapRange(queue.location, from, to);
    const hasRxSk = this.rxSk.mapRange(queue.rxSk, from, to);
    this.store.appendColumns(
      {
        timeNs: queue.time,
        cpu: queue.cpu,
        pid: queue.tid,
        comm: queue.comm,
        skbaddr: queue.skbaddr,
        rxSk: hasRxSk ? queue.rxSk : null,
        protocol: queue.protocol,
        location: queue.location,
        reasonPrinted: null,
        reasonValue: queue.reason,
        callchain: null,
        line: queue.line,
        extra: null,
      },
      from,
      to,
    );
    this.events += to - from;
  }

  /** Released slots in any order: every field gathered into the batch, then appended. */
  private gather(
    queue: OrderedQueue,
    order: Uint32Array | null,
    first: number,
    count: number,
  ): void {
    const batch = (this.batch ??= new EventBatch(Math.min(CHUNK_SIZE, Math.max(count, 4096))));
    const { kind, time, tid, cpu, protocol, reason, line, skbaddr, location, rxSk } = queue;
    const { comms, commNames } = this.tables;
    let n = batch.length;
    for (let k = 0; k < count; k++) {
      const slot = order === null ? first + k : (order[k] as number);
      const itemKind = kind[slot];
      if (itemKind === ITEM_SAMPLE) {
        if (n === batch.capacity) {
          batch.length = n;
          this.flush(batch);
          n = 0;
        }
        const thread = tid[slot] as number;
        batch.timeNs[n] = time[slot] as number;
        batch.cpu[n] = cpu[slot] as number;
        batch.pid[n] = thread;
        batch.comm[n] = this.commId(thread);
        batch.skbaddr[n] = this.skbaddr.id(skbaddr[slot] as number);
        const rx = rxSk[slot] as number;
        batch.rxSk[n] = rx < 0 ? -1 : this.rxSk.id(rx);
        batch.protocol[n] = protocol[slot] as number;
        batch.location[n] = this.location.id(location[slot] as number);
        batch.reasonPrinted[n] = -1;
        batch.reasonValue[n] = reason[slot] as number;
        const chainKey = queue.chainOf(slot);
        batch.callchain[n] = chainKey < 0 ? -1 : this.chainId(queue.takeChain(chainKey));
        batch.line[n] = line[slot] as number;
        const samplePeriod = queue.periodOf(slot);
        batch.extra[n] = Number.isNaN(samplePeriod) ? -1 : this.extraId(samplePeriod);
        n++;
      } else if (itemKind === ITEM_COMM) {
        const thread = tid[slot] as number;
        comms.setComm(thread, commNames[skbaddr[slot] as number] ?? '');
        this.renamed(thread);
      } else if (itemKind === ITEM_FORK) {
        const thread = tid[slot] as number;
        comms.fork(thread, cpu[slot] as number);
        this.renamed(thread);
      }
    }
    batch.length = n;
    this.flush(batch);
  }

  private flush(batch: EventBatch): void {
    this.events += batch.length;
    this.store.appendBatch(batch);
    batch.length = 0;
  }

  private commId(tid: number): number {
    const slot = tid & (COMM_SLOTS - 1);
    const cached = this.commIds[slot] as number;
    if (cached >= 0 && this.commTids[slot] === tid) return cached;
    const id = this.store.dictionaries.comm.intern(this.tables.comms.comm(tid));
    this.commTids[slot] = tid;
    this.commIds[slot] = id;
    return id;
  }

  /** As `append` does: frames joined by newlines, none for an empty chain. */
  private chainId(frames: readonly string[] | null): number {
    if (frames === null || frames.length === 0) return -1;
    return this.store.dictionaries.callchain.intern(frames.join('\n'));
  }

  /** As `append` does for `extra: { period }`: its JSON, interned once per distinct period. */
  private extraId(period: number): number {
    let id = this.extraIds.get(period);
    if (id === undefined) {
      id = this.store.dictionaries.extra.intern(JSON.stringify({ period }));
      this.extraIds.set(period, id);
    }
    return id;
  }
}
