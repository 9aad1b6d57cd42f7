/**
 * The columnar store of one loaded trace.
 *
 * Overview: events are appended once (by the ingest sink) into chunked typed-array columns;
 * strings (comm, skbaddr, rx_sk, location, reason, callchain, extra) are dictionary-encoded.
 * The effective `reason` column is derived: the name the tracer printed, else the number decoded
 * with the chosen kernel table (`decodeReasons` can run again to re-decode with another table).
 * Queries (queryPage, queryHistogram, countBy …) read the columns; they never materialise one
 * object per event except for the rows of a page.
 *
 * Runs wherever the engine runs (a worker thread in the app, the main thread in the CLI).
 */
import type { DropRow, EventField, EventInput } from '../../shared/model';
import { protocolName } from '../../shared/model';
import { CHUNK_BITS, CHUNK_SIZE, Column } from './Column';
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

function parseExtra(text: string): Record<string, string | number> {
  return JSON.parse(text) as Record<string, string | number>;
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
   * Distinct numeric reasons of events whose tracer printed no name, i.e. what a kernel table
   * must decode.
   */
  valuesNeedingDecode(): number[] {
    const values = new Set<number>();
    const printed = this.columns.reasonPrinted;
    const value = this.columns.reasonValue;
    for (let i = 0; i < this.count; i++) {
      if (printed.get(i) < 0) {
        const v = value.get(i);
        if (v >= 0) values.add(v);
      }
    }
    return [...values].sort((a, b) => a - b);
  }

  /**
   * Sets the effective reason of every event without a printed name to `decode(value)`.
   *
   * Runs again whenever the user picks another kernel. O(events), one decode per distinct value.
   */
  decodeReasons(decode: (value: number) => string): void {
    const cache = new Map<number, number>();
    const c = this.columns;
    for (let i = 0; i < this.count; i++) {
      if (c.reasonPrinted.get(i) >= 0) continue;
      const value = c.reasonValue.get(i);
      if (value < 0) continue;
      let id = cache.get(value);
      if (id === undefined) {
        id = this.dictionaries.reason.intern(decode(value));
        cache.set(value, id);
      }
      c.reason.set(i, id);
    }
    this.generationCounter++;
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

  /** Bytes held by columns (dictionaries excluded), for the bench's bytes-per-event figure. */
  get columnBytes(): number {
    let bytes = 0;
    for (const column of Object.values(this.columns) as Column[]) bytes += column.byteLength;
    return bytes;
  }
}
