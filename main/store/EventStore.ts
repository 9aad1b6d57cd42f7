/**
 * The columnar store of one loaded trace.
 *
 * Overview: events are appended once (by the ingest sink one by one, or by a binary reader in
 * column batches: `appendColumns`) into chunked typed-array columns; strings (comm, skbaddr,
 * rx_sk, location, reason, callchain, extra) are dictionary-encoded.
 * The effective `reason` column is derived: the name the tracer printed, else the number decoded
 * with the chosen kernel table (`decodeReasons` can run again to re-decode with another table).
 * Queries (queryPage, queryHistogram, countBy …) read the columns; they never materialise one
 * object per event except for the rows of a page.
 *
 * Runs wherever the engine runs (a worker thread in the app, the main thread in the CLI).
 */
import type { DropRow, EventField, EventInput } from '../../shared/model';
import { protocolName } from '../../shared/model';
import { CHUNK_BITS, CHUNK_SIZE, Column, type NumericArray } from './Column';
import type { EventBatch, EventColumns } from './EventBatch';
import { StringDictionary } from './StringDictionary';

/** The columns of the store, by name. */
export interface StoreColumns {
  timeNs: Column;
  cpu: Column;
  pid: Column;
  comm: Column;
  skbaddr: Column;
  rxSk: Column;
  protocol: Column;
  location: Column;
  /** Reason name id as printed by the tracer (-1 when only a number or nothing was printed). */
  reasonPrinted: Column;
  /** Numeric reason as printed (-1 when unknown). */
  reasonValue: Column;
  /** Effective reason id: printed, else decoded from `reasonValue` (-1 when neither). */
  reason: Column;
  callchain: Column;
  line: Column;
  extra: Column;
}

/** The dictionaries of the store. `reason` holds printed and decoded names alike. */
export interface StoreDictionaries {
  comm: StringDictionary;
  skbaddr: StringDictionary;
  rxSk: StringDictionary;
  location: StringDictionary;
  reason: StringDictionary;
  callchain: StringDictionary;
  extra: StringDictionary;
}

/** Reason numbers below this are tracked in flat arrays when decoding (the enum has ~120). */
const SMALL_REASONS = 4096;

function parseExtra(text: string): Record<string, string | number> {
  return JSON.parse(text) as Record<string, string | number>;
}

/**
 * The running time facts of `appendColumns` (last, min, max, timed count, sorted as 1/0), kept
 * in one typed array so that `scanTimes` returns them without allocating.
 *
 * Motivation: scanned inline in `appendColumns` (a function V8 sees with several source shapes),
 * the times were boxed: ~8 MB of garbage per 1 M-event perf.data load (heap sampling).
 */
const TIME_SCAN = new Float64Array(5);
const SCAN_LAST = 0;
const SCAN_MIN = 1;
const SCAN_MAX = 2;
const SCAN_TIMED = 3;
const SCAN_SORTED = 4;

/** Folds `time[from, to)` into `TIME_SCAN`; NaN (no time) is skipped. */
function scanTimes(time: Float64Array, from: number, to: number): void {
  const scan = TIME_SCAN;
  let last = scan[SCAN_LAST] as number;
  let min = scan[SCAN_MIN] as number;
  let max = scan[SCAN_MAX] as number;
  let sorted = scan[SCAN_SORTED] === 1;
  let timed = 0;
  for (let i = from; i < to; i++) {
    const t = time[i] as number;
    if (t !== t) continue; // NaN
    if (t < last) sorted = false;
    last = t;
    if (t < min) min = t;
    if (t > max) max = t;
    timed++;
  }
  scan[SCAN_LAST] = last;
  scan[SCAN_MIN] = min;
  scan[SCAN_MAX] = max;
  scan[SCAN_TIMED] = timed;
  scan[SCAN_SORTED] = sorted ? 1 : 0;
}

/** A columnar store of drop events. Append with `append`, then query. */
export class EventStore {
  readonly columns: StoreColumns = {
    timeNs: new Column('f64', Number.NaN),
    cpu: new Column('i16', -1),
    pid: new Column('i32', -1),
    comm: new Column('i32', -1),
    skbaddr: new Column('i32', -1),
    rxSk: new Column('i32', -1),
    protocol: new Column('i32', -1),
    location: new Column('i32', -1),
    reasonPrinted: new Column('i32', -1),
    reasonValue: new Column('i32', -1),
    reason: new Column('i32', -1),
    callchain: new Column('i32', -1),
    line: new Column('f64', 0),
    extra: new Column('i32', -1),
  };

  readonly dictionaries: StoreDictionaries = {
    comm: new StringDictionary(),
    skbaddr: new StringDictionary(),
    rxSk: new StringDictionary(),
    location: new StringDictionary(),
    reason: new StringDictionary(),
    callchain: new StringDictionary(),
    extra: new StringDictionary(),
  };

  private count = 0;
  private timeSorted = true;
  private lastTime = Number.NEGATIVE_INFINITY;
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;
  private timedEvents = 0;
  private generationCounter = 0;

  /** Number of events. */
  get length(): number {
    return this.count;
  }

  /**
   * Changes whenever the data or the decoding changes; query caches key on it.
   */
  get generation(): number {
    return this.generationCounter;
  }

  /** Whether timestamps never decrease in event order (then time ranges use binary search). */
  get isTimeSorted(): boolean {
    return this.timeSorted;
  }

  /**
   * Whether every event has a timestamp and they never decrease: then a time range is a
   * contiguous run of ids, found by binary search.
   */
  get isFullyTimeSorted(): boolean {
    return this.timeSorted && this.timedEvents === this.count;
  }

  /**
   * Event ids `[from, to)` that can hold times in `[startNs, endNs)`: exact on a fully
   * time-sorted store (binary search, O(log n)), every id otherwise.
   */
  idRangeOfTime(startNs: number, endNs: number): [number, number] {
    if (!this.isFullyTimeSorted) return [0, this.count];
    return [this.firstIdAtOrAfter(startNs), this.firstIdAtOrAfter(endNs)];
  }

  private firstIdAtOrAfter(target: number): number {
    const time = this.columns.timeNs;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time.get(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Earliest and latest timestamps, or null when no event has one. */
  get timeBounds(): { firstNs: number; lastNs: number } | null {
    return this.timedEvents === 0 ? null : { firstNs: this.minTime, lastNs: this.maxTime };
  }

  /** Number of events that carry a timestamp. */
  get timedCount(): number {
    return this.timedEvents;
  }

  /** Appends one event, copying its values. Returns its id. O(1) amortised. */
  append(event: EventInput): number {
    const index = this.count++;
    const c = this.columns;
    const d = this.dictionaries;
    const time = event.timestampNs;
    c.timeNs.set(index, time);
    if (!Number.isNaN(time)) {
      if (time < this.lastTime) this.timeSorted = false;
      this.lastTime = time;
      if (time < this.minTime) this.minTime = time;
      if (time > this.maxTime) this.maxTime = time;
      this.timedEvents++;
    }
    c.cpu.set(index, event.cpu);
    c.pid.set(index, event.pid);
    c.comm.set(index, event.comm === null ? -1 : d.comm.intern(event.comm));
    c.skbaddr.set(index, event.skbaddr === null ? -1 : d.skbaddr.intern(event.skbaddr));
    c.rxSk.set(index, event.rxSk === null ? -1 : d.rxSk.intern(event.rxSk));
    c.protocol.set(index, event.protocol);
    c.location.set(index, event.location === null ? -1 : d.location.intern(event.location));
    const printed = event.reason === null ? -1 : d.reason.intern(event.reason);
    c.reasonPrinted.set(index, printed);
    c.reason.set(index, printed);
    c.reasonValue.set(index, event.reasonValue);
    c.callchain.set(
      index,
      event.callchain === null || event.callchain.length === 0
        ? -1
        : d.callchain.intern(event.callchain.join('\n')),
    );
    c.line.set(index, event.line);
    c.extra.set(index, event.extra === null ? -1 : d.extra.intern(JSON.stringify(event.extra)));
    this.generationCounter++;
    return index;
  }

  /**
   * Appends the `batch.length` events of `batch` (their string fields already ids of this
   * store's dictionaries), copying them. Same result as `append` of each event in order, with
   * one typed-array copy per column and chunk. O(batch.length).
   */
  appendBatch(batch: EventBatch): void {
    this.appendColumns(batch, 0, batch.length);
  }

  /**
   * Appends the events `[from, to)` of `source` (string fields as ids of this store's
   * dictionaries), copying them: the same result as `append` of each in order. O(to - from).
   */
  appendColumns(source: EventColumns, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const start = this.count;
    const c = this.columns;
    const copy = (column: Column, values: NumericArray | null): void => {
      if (values === null) column.setEmpty(start, n);
      else column.setRange(start, values, from, n);
    };
    copy(c.timeNs, source.timeNs);
    copy(c.cpu, source.cpu);
    copy(c.pid, source.pid);
    copy(c.comm, source.comm);
    copy(c.skbaddr, source.skbaddr);
    copy(c.rxSk, source.rxSk);
    copy(c.protocol, source.protocol);
    copy(c.location, source.location);
    copy(c.reasonPrinted, source.reasonPrinted);
    copy(c.reason, source.reasonPrinted);
    copy(c.reasonValue, source.reasonValue);
    copy(c.callchain, source.callchain);
    copy(c.line, source.line);
    copy(c.extra, source.extra);
    const scan = TIME_SCAN;
    scan[SCAN_LAST] = this.lastTime;
    scan[SCAN_MIN] = this.minTime;
    scan[SCAN_MAX] = this.maxTime;
    scan[SCAN_TIMED] = 0;
    scan[SCAN_SORTED] = this.timeSorted ? 1 : 0;
    scanTimes(source.timeNs, from, to);
    this.lastTime = scan[SCAN_LAST];
    this.minTime = scan[SCAN_MIN];
    this.maxTime = scan[SCAN_MAX];
    this.timedEvents += scan[SCAN_TIMED];
    this.timeSorted = scan[SCAN_SORTED] === 1;
    this.count += n;
    this.generationCounter++;
  }

  /**
   * Distinct numeric reasons of events whose tracer printed no name, i.e. what a kernel table
   * must decode.
   *
   * Motivation: read chunk by chunk (a typed-array loop, a byte per small value seen) rather
   * than with `Column.get` and a Set per event: 3 ms instead of 12 ms on 1 M events.
   */
  valuesNeedingDecode(): number[] {
    const small = new Uint8Array(SMALL_REASONS);
    const large = new Set<number>();
    this.forEachUndecided((values, from, to, _chunkIndex, printed) => {
      for (let k = from; k < to; k++) {
        const v = values[k] as number;
        if (v < 0 || (printed !== undefined && (printed[k] as number) >= 0)) continue;
        if (v < SMALL_REASONS) small[v] = 1;
        else large.add(v);
      }
    });
    const out: number[] = [];
    for (let v = 0; v < SMALL_REASONS; v++) if (small[v] === 1) out.push(v);
    return out.concat([...large].sort((a, b) => a - b));
  }

  /**
   * Sets the effective reason of every event without a printed name to `decode(value)`.
   *
   * Runs again whenever the user picks another kernel. O(events), one decode per distinct value.
   */
  decodeReasons(decode: (value: number) => string): void {
    const small = new Int32Array(SMALL_REASONS).fill(-1);
    const large = new Map<number, number>();
    const reasons = this.dictionaries.reason;
    const idOf = (value: number): number => {
      let id = value < SMALL_REASONS ? (small[value] as number) : (large.get(value) ?? -1);
      if (id < 0) {
        id = reasons.intern(decode(value));
        if (value < SMALL_REASONS) small[value] = id;
        else large.set(value, id);
      }
      return id;
    };
    const reason = this.columns.reason;
    this.forEachUndecided((values, from, to, chunkIndex, printed) => {
      let out: (typeof reason.chunks)[number] = reason.chunks[chunkIndex];
      for (let k = from; k < to; k++) {
        const v = values[k] as number;
        if (v < 0 || (printed !== undefined && (printed[k] as number) >= 0)) continue;
        out ??= reason.writableChunk(chunkIndex);
        out[k] = idOf(v);
      }
    });
    this.generationCounter++;
  }

  /**
   * Calls `each` with every chunk of numeric reasons, the range of it in use and the matching
   * chunk of printed names (undefined when none was printed there). Chunks without numbers are
   * skipped; `each` still has to leave out entries whose `printed` is set.
   */
  private forEachUndecided(
    each: (
      values: ArrayLike<number>,
      from: number,
      to: number,
      chunkIndex: number,
      printed: ArrayLike<number> | undefined,
    ) => void,
  ): void {
    const values = this.columns.reasonValue.chunks;
    const printed = this.columns.reasonPrinted.chunks;
    for (let chunkIndex = 0; chunkIndex * CHUNK_SIZE < this.count; chunkIndex++) {
      const chunk = values[chunkIndex];
      if (chunk === undefined) continue;
      const to = Math.min(CHUNK_SIZE, this.count - chunkIndex * CHUNK_SIZE);
      each(chunk, 0, to, chunkIndex, printed[chunkIndex]);
    }
  }

  /** Materialises one event as a row. */
  row(index: number): DropRow {
    const c = this.columns;
    const d = this.dictionaries;
    const time = c.timeNs.get(index);
    const cpu = c.cpu.get(index);
    const pid = c.pid.get(index);
    const protocol = c.protocol.get(index);
    const reasonValue = c.reasonValue.get(index);
    const printed = c.reasonPrinted.get(index);
    const reason = c.reason.get(index);
    const chain = d.callchain.valueOf(c.callchain.get(index));
    const extra = d.extra.valueOf(c.extra.get(index));
    return {
      id: index,
      timestampNs: Number.isNaN(time) ? null : time,
      cpu: cpu < 0 ? null : cpu,
      pid: pid < 0 ? null : pid,
      comm: d.comm.valueOf(c.comm.get(index)),
      skbaddr: d.skbaddr.valueOf(c.skbaddr.get(index)),
      rxSk: d.rxSk.valueOf(c.rxSk.get(index)),
      protocol: protocol < 0 ? null : protocol,
      protocolName: protocol < 0 ? null : protocolName(protocol),
      location: d.location.valueOf(c.location.get(index)),
      reason: d.reason.valueOf(reason),
      reasonValue: reasonValue < 0 ? null : reasonValue,
      reasonSource: printed >= 0 ? 'printed' : reason >= 0 ? 'decoded' : 'none',
      callchain: chain === null ? null : chain.split('\n'),
      line: c.line.get(index),
      extra: extra === null ? null : parseExtra(extra),
    };
  }

  /** The column and dictionary behind a field (dictionary null for numeric fields). */
  fieldColumn(field: EventField): { column: Column; dictionary: StringDictionary | null } {
    const c = this.columns;
    const d = this.dictionaries;
    switch (field) {
      case 'time':
        return { column: c.timeNs, dictionary: null };
      case 'cpu':
        return { column: c.cpu, dictionary: null };
      case 'pid':
        return { column: c.pid, dictionary: null };
      case 'comm':
        return { column: c.comm, dictionary: d.comm };
      case 'skbaddr':
        return { column: c.skbaddr, dictionary: d.skbaddr };
      case 'rx_sk':
        return { column: c.rxSk, dictionary: d.rxSk };
      case 'protocol':
        return { column: c.protocol, dictionary: null };
      case 'location':
        return { column: c.location, dictionary: d.location };
      case 'reason':
        return { column: c.reason, dictionary: d.reason };
      case 'reason.value':
        return { column: c.reasonValue, dictionary: null };
    }
  }

  /**
   * Drops the oldest `chunks` whole chunks of every column (a live capture's ring limit): ids
   * shift down by the number of events removed, the time bounds and sortedness are measured
   * again over what is left, and the generation changes. Dictionaries keep their entries (a
   * value no event uses any more counts zero). Returns the number of events removed.
   */
  evictOldestChunks(chunks: number): number {
    const whole = Math.min(Math.max(0, Math.floor(chunks)), this.count >>> CHUNK_BITS);
    if (whole === 0) return 0;
    for (const column of Object.values(this.columns) as Column[]) column.dropFirstChunks(whole);
    const removed = whole * CHUNK_SIZE;
    this.count -= removed;
    const time = this.columns.timeNs;
    this.timeSorted = true;
    this.lastTime = Number.NEGATIVE_INFINITY;
    this.minTime = Number.POSITIVE_INFINITY;
    this.maxTime = Number.NEGATIVE_INFINITY;
    this.timedEvents = 0;
    for (let i = 0; i < this.count; i++) {
      const value = time.get(i);
      if (Number.isNaN(value)) continue;
      if (value < this.lastTime) this.timeSorted = false;
      this.lastTime = value;
      if (value < this.minTime) this.minTime = value;
      if (value > this.maxTime) this.maxTime = value;
      this.timedEvents++;
    }
    this.generationCounter++;
    return removed;
  }

  /**
   * Replaces every string of a dictionary column by `rename(string)` (a loader that learns the
   * names of its values only at the end: kernel symbols for code addresses). Events whose
   * strings become equal then share one id. O(distinct strings), plus O(events) when some do.
   */
  renameStrings(field: 'location' | 'callchain', rename: (value: string) => string): void {
    const remap = this.dictionaries[field].rename(rename);
    if (remap) {
      for (const chunk of this.columns[field].chunks) {
        if (chunk === undefined) continue;
        for (let i = 0; i < chunk.length; i++) {
          const id = chunk[i] as number;
          if (id >= 0) chunk[i] = remap[id] as number;
        }
      }
    }
    this.generationCounter++;
  }

  /** Bytes held by columns (dictionaries excluded), for the bench's bytes-per-event figure. */
  get columnBytes(): number {
    let bytes = 0;
    for (const column of Object.values(this.columns) as Column[]) bytes += column.byteLength;
    return bytes;
  }
}
