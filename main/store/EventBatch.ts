/**
 * Events laid out like the store's columns, for readers that decode many events at once
 * (perf.data): `EventStore.appendColumns` copies a range of any `EventColumns` in with one
 * typed-array copy per column and chunk, instead of one `append` (fourteen column writes and up
 * to seven dictionary lookups) per event. `EventBatch` is a reusable block of them to fill.
 *
 * String fields hold ids of the target store's dictionaries (`-1` for null); the reader interns
 * each distinct value once (`store.dictionaries.x.intern`) and keeps the id. Empty values follow
 * the columns: NaN time, -1 for numbers and ids.
 *
 * Motivation: on the 1,009,220-sample bench capture (.bench/perf-big.data, Node 20, a 2-vCPU VM)
 * one `append` per event costs 0.15–0.23 s, more than decoding the file.
 */
import { CHUNK_SIZE } from './Column';

/**
 * Events laid out in columns, as `EventStore.appendColumns` reads them: entry `i` of every array
 * is one event. A null array means the field is empty for every event (no rx_sk, reason name,
 * callchain or extra). `cpu` may be an Int32Array (values are stored as 16-bit).
 */
export interface EventColumns {
  readonly timeNs: Float64Array;
  readonly cpu: Int16Array | Int32Array;
  readonly pid: Int32Array;
  readonly comm: Int32Array;
  readonly skbaddr: Int32Array;
  readonly rxSk: Int32Array | null;
  readonly protocol: Int32Array;
  readonly location: Int32Array;
  readonly reasonPrinted: Int32Array | null;
  readonly reasonValue: Int32Array;
  readonly callchain: Int32Array | null;
  readonly line: Float64Array;
  readonly extra: Int32Array | null;
}

/** Events in columns; see the file overview. Fill `[0, capacity)`, set `length`, append, reuse. */
export class EventBatch implements EventColumns {
  /** Events filled in. */
  length = 0;
  readonly timeNs: Float64Array;
  readonly cpu: Int16Array;
  readonly pid: Int32Array;
  readonly comm: Int32Array;
  readonly skbaddr: Int32Array;
  readonly rxSk: Int32Array;
  readonly protocol: Int32Array;
  readonly location: Int32Array;
  /** Reason name id as printed by the tracer (-1 when only a number was recorded). */
  readonly reasonPrinted: Int32Array;
  readonly reasonValue: Int32Array;
  readonly callchain: Int32Array;
  readonly line: Float64Array;
  readonly extra: Int32Array;

  /** `capacity` defaults to one store chunk, so full batches fill whole chunks. */
  constructor(readonly capacity = CHUNK_SIZE) {
    this.timeNs = new Float64Array(capacity);
    this.cpu = new Int16Array(capacity);
    this.pid = new Int32Array(capacity);
    this.comm = new Int32Array(capacity);
    this.skbaddr = new Int32Array(capacity);
    this.rxSk = new Int32Array(capacity);
    this.protocol = new Int32Array(capacity);
    this.location = new Int32Array(capacity);
    this.reasonPrinted = new Int32Array(capacity);
    this.reasonValue = new Int32Array(capacity);
    this.callchain = new Int32Array(capacity);
    this.line = new Float64Array(capacity);
    this.extra = new Int32Array(capacity);
  }

  /** Whether no more event fits (append it, then reuse). */
  get isFull(): boolean {
    return this.length >= this.capacity;
  }
}
