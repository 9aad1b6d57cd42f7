/**
 * The state of one perf.data read: attrs and their ids, features, the sample router, the
 * time-ordering queue and thread names. It is the `RecordHandler` of the record walk: it
 * dispatches each record by type (runs of drop samples in the usual layout go to the decoder
 * in one call, `run`), queues drop samples and comm changes, and releases them in time order:
 * into the store in batches when it was given one (`StoreFiller`), else to `sink.event`.
 *
 * Setup (`prepare`) needs the tracing data and the kernel identity, which a regular file has
 * in its feature sections (read before the walk) and a pipe-mode stream sends as records before
 * the first sample; a sample met before setup asks the walker to wait for it.
 */
import type { EventInput } from '../../../shared/model';
import { emptyEventInput } from '../../../shared/model';
import type { ParseSink } from '../TraceParser';
import type { Symbolizer } from '../IngestSink';
import { ByteReader, decodeCString, hexAddress, readU64 } from '../traceDat/ByteReader';
import {
  addressRenderer,
  chooseKernelSymbols,
  planKernelSymbols,
  resolveWithMachineKallsyms,
  type KernelSymbolPlan,
  type MachineKernel,
} from '../traceDat/KernelSymbols';
import { kfreeSkbLayout, type KfreeSkbLayout } from '../traceDat/KfreeSkbLayout';
import { parseTracingData } from '../traceDat/TracingData';
import type { EventStore } from '../../store';
import {
  ITEM_COMM,
  ITEM_FORK,
  ITEM_SAMPLE,
  OrderedQueue,
  ThreadComms,
  type ReleaseConsumer,
} from './OrderedQueue';
import { SAMPLE_CALLCHAIN, readPerfEventAttr } from './PerfEventAttr';
import type { PerfAttrEntry } from './PerfFileHeader';
import { FEATURE, readPerfFeature, type PerfFeatures } from './perfFeatures';
import { RECORD_DONE, RECORD_RETRY, type RecordHandler } from './PerfRecordWalker';
import { SampleRouter } from './SampleRouter';
import { CompressedRecords } from './CompressedRecords';
import { StoreFiller } from './StoreFiller';
import { AddressIds } from './AddressIds';

/** Record types (PERF_RECORD_*). */
const R = {
  lost: 2,
  comm: 3,
  fork: 7,
  sample: 9,
  lostSamples: 13,
  headerAttr: 64,
  tracingData: 66,
  buildId: 67,
  finishedRound: 68,
  auxtrace: 71,
  eventUpdate: 78,
  headerFeature: 80,
  compressed: 81,
  compressed2: 83,
} as const;

/** What a session needs from its caller. */
export interface PerfSessionOptions {
  sink: ParseSink;
  /** Names the file in messages. */
  file: string;
  littleEndian: boolean;
  userSymbolize: Symbolizer | null;
  machine?: MachineKernel;
  /** Called after each chunk with the file offset reached; returns false to stop. */
  onChunk(fileOffset: number): boolean;
  /**
   * When given, drop events go straight into this store in batches (`StoreFiller`) instead of
   * one `sink.event` each; the store must be new (its dictionaries empty).
   */
  store?: EventStore;
}

const TRACING_SOURCE = 'perf.data tracing data (events/skb/kfree_skb/format)';

/** One perf.data read; see the file overview. */
export class PerfSession implements RecordHandler {
  readonly attrs: PerfAttrEntry[] = [];
  readonly queue = new OrderedQueue();
  readonly comms = new ThreadComms();
  records = 0;
  events = 0;
  lost = 0;
  lostRecords = 0;
  otherSamples = 0;
  private ready = false;
  private readonly router: SampleRouter;
  private readonly compressed: CompressedRecords;
  private layout: KfreeSkbLayout | null = null;
  private readonly pointers = new AddressIds(hexAddress);
  private readonly code = new AddressIds(hexAddress);
  private symbolsChosen = false;
  /** This machine's kallsyms, to read at the end (`resolveSymbols`); null otherwise. */
  private machineSymbols: Extract<KernelSymbolPlan, { kind: 'machine' }> | null = null;
  /** The tracing data was read (its event formats are known). */
  private formatsRead = false;
  private readonly event: EventInput = emptyEventInput();
  private readonly filler: StoreFiller | null;
  private readonly consume: ReleaseConsumer = (order, first, count) =>
    this.take(order, first, count);
  /** Names of queued COMM items (by the id in their `skbaddr` column). */
  private readonly commNames: string[] = [];
  private readonly periods = new Map<number, Readonly<Record<string, number>>>();

  constructor(
    readonly features: PerfFeatures,
    private readonly options: PerfSessionOptions,
  ) {
    this.compressed = new CompressedRecords(options.littleEndian);
    this.filler = options.store
      ? new StoreFiller(options.store, {
          pointers: this.pointers.strings,
          code: this.code.strings,
          comms: this.comms,
          commNames: this.commNames,
        })
      : null;
    this.router = new SampleRouter(this.attrs, options.littleEndian, (layout) =>
      this.guessed(layout),
    );
  }

  /** Sets up decoding from the attrs and features known so far. */
  async prepare(): Promise<void> {
    const { sink } = this.options;
    const release =
      typeof this.features.meta.osRelease === 'string' ? this.features.meta.osRelease : null;
    if (this.layout === null && this.features.tracingData) {
      const parsed = await parseTracingData(this.features.tracingData).catch((error: unknown) => {
        sink.warn(
          `${this.options.file}: the tracing data cannot be read: ${(error as Error).message}`,
        );
        return null;
      });
      if (parsed?.problem)
        sink.warn(`${this.options.file}: the tracing data is incomplete: ${parsed.problem}`);
      this.formatsRead = parsed !== null && parsed.data.eventNames.size > 0;
      const text = parsed?.data.kfreeSkbFormat ?? null;
      if (text) {
        const layout = kfreeSkbLayout(text, TRACING_SOURCE, release);
        if (layout.ok) this.layout = layout.value;
        else
          sink.warn(
            `${this.options.file}: the embedded skb:kfree_skb format cannot be used: ${layout.error}`,
          );
      }
      if (this.layout?.reasons) sink.embeddedReasonNames(this.layout.reasons.names, TRACING_SOURCE);
    }
    if (!this.symbolsChosen) {
      this.symbolsChosen = true;
      const withChains = this.attrs.some(
        (entry) => (entry.attr.sampleType & SAMPLE_CALLCHAIN) !== 0,
      );
      const input = {
        user: this.options.userSymbolize,
        savedKallsyms: null,
        trace: { release, buildId: this.features.kernelBuildId },
        what: withChains ? 'locations and callchain frames' : 'locations',
        ...(this.options.machine ? { machine: this.options.machine } : {}),
      };
      // Into a store, this machine's kallsyms is read once the code addresses are known
      // (`resolveSymbols`); to a sink, events leave one by one, so it is read now.
      const plan = this.filler ? await planKernelSymbols(input) : null;
      if (plan?.kind === 'machine') this.machineSymbols = plan;
      else {
        const choice = plan?.choice ?? (await chooseKernelSymbols(input));
        if (choice.warning) sink.warn(`${this.options.file}: ${choice.warning}`);
        if (choice.source) sink.meta({ symbols: choice.source });
        // Before any sample: the location strings are made with the chosen symbols.
        this.code.renderWith(addressRenderer(choice.symbolize));
      }
    }
    const { fixedPeriod } = this.router.rebuild(
      this.layout,
      this.features.eventNames,
      this.pointers,
      this.code,
      this.formatsRead,
    );
    if (fixedPeriod) sink.meta({ samplePeriod: 1 });
    this.ready = true;
  }

  record(
    view: DataView,
    bytes: Uint8Array,
    pos: number,
    type: number,
    size: number,
    fileOffset: number,
  ): number {
    if ((type === R.sample || type === R.compressed || type === R.compressed2) && !this.ready)
      return RECORD_RETRY;
    this.records++;
    const le = this.options.littleEndian;
    switch (type) {
      case R.sample:
        this.sample(view, pos, size, fileOffset);
        return RECORD_DONE;
      case R.finishedRound:
        this.queue.roundMark(this.consume);
        return RECORD_DONE;
      case R.comm:
        this.commRecord(view, bytes, pos, size);
        return RECORD_DONE;
      case R.fork:
        this.forkRecord(view, pos, size);
        return RECORD_DONE;
      case R.lost:
        this.lostRecord(readU64(view, pos + 16, le));
        return RECORD_DONE;
      case R.lostSamples:
        this.lostRecord(readU64(view, pos + 8, le));
        return RECORD_DONE;
      case R.compressed:
      case R.compressed2:
        this.compressedRecord(view, bytes, pos, type, size, fileOffset);
        return RECORD_DONE;
      case R.headerAttr:
        this.attrRecord(bytes, pos, size);
        return RECORD_DONE;
      case R.tracingData:
        return view.getUint32(pos + 8, le);
      case R.auxtrace:
        return readU64(view, pos + 8, le);
      case R.buildId:
        readPerfFeature(FEATURE.buildId, bytes.slice(pos, pos + size), le, this.features);
        return RECORD_DONE;
      case R.eventUpdate:
        if (readU64(view, pos + 8, le) === 1 /* PERF_EVENT_UPDATE__NAME */) {
          const id = readU64(view, pos + 16, le);
          this.features.eventNames.set(id, decodeCString(bytes.subarray(pos + 24, pos + size)));
        }
        return RECORD_DONE;
      case R.headerFeature:
        this.featureRecord(view, bytes, pos, size);
        return RECORD_DONE;
      default:
        return RECORD_DONE;
    }
  }

  /** Decodes the run of drop samples at `pos` in one call when the layout allows it. */
  run(view: DataView, pos: number, limit: number): number {
    if (!this.ready || !this.options.littleEndian) return pos;
    const route = this.router.runRoute();
    if (route === null) return pos;
    const { decoder } = route;
    const end = decoder.decodeRun(
      view,
      pos,
      limit,
      this.queue,
      this.records,
      route.idAt,
      route.ids,
    );
    this.records += decoder.ran;
    return end;
  }

  trailing(bytes: Uint8Array, complete: boolean): void {
    // Only pipe-mode tracing data is kept (AUX data is skipped).
    if (
      complete &&
      bytes.length >= 10 &&
      bytes[0] === 0x17 &&
      bytes[1] === 0x08 &&
      bytes[2] === 0x44
    ) {
      this.features.tracingData = bytes;
      this.layout = null;
      this.ready = false;
    }
  }

  chunkDone(fileOffset: number): boolean {
    if (this.queue.isFull) this.queue.releaseHalf(this.consume);
    return this.options.onChunk(fileOffset);
  }

  /** Releases every queued item (end of data). */
  finish(): void {
    this.queue.releaseAll(this.consume);
  }

  /**
   * After `finish`, into a store whose code addresses wait for this machine's kallsyms: reads it
   * once for exactly those addresses and renames the store's locations and callchain frames.
   */
  async resolveSymbols(): Promise<void> {
    const plan = this.machineSymbols;
    const store = this.options.store;
    this.machineSymbols = null;
    if (!plan || !store) return;
    const { high, low } = this.code.addresses();
    const resolved = await resolveWithMachineKallsyms(plan, high, low);
    if (resolved.warning) this.options.sink.warn(`${this.options.file}: ${resolved.warning}`);
    if (resolved.source) this.options.sink.meta({ symbols: resolved.source });
    const symbols = resolved.symbols;
    if (!symbols) return;
    const byAddress = new Map<string, string>();
    this.code.strings.forEach((address, id) => {
      const symbol = symbols[id];
      if (symbol) byAddress.set(address, symbol);
    });
    store.renameStrings('location', (address) => byAddress.get(address) ?? address);
    if (store.dictionaries.callchain.size > 0) {
      store.renameStrings('callchain', (chain) =>
        chain
          .split('\n')
          .map((frame) => byAddress.get(frame) ?? frame)
          .join('\n'),
      );
    }
  }

  private sample(view: DataView, pos: number, size: number, fileOffset: number): void {
    const route = this.router.route(view, pos, size);
    if (typeof route === 'string') {
      if (route === 'other-event') this.otherSamples++;
      else if (route === 'unknown-id')
        this.skip(fileOffset, size, `sample of an unknown event id ${this.router.lastId}`);
      else
        this.skip(
          fileOffset,
          size,
          'the kfree_skb format is lost and the RAW size fits no known layout',
        );
      return;
    }
    if (!route.decode(view, pos, size, this.queue, this.records)) {
      this.skip(fileOffset, size, route.why);
      return;
    }
    if (!route.timed) this.queue.releaseAll(this.consume);
  }

  private guessed(layout: KfreeSkbLayout): void {
    const era = layout.rxSk ? '6.x' : layout.reason ? '5.17+' : 'pre-5.17';
    this.options.sink.warn(
      `${this.options.file}: the embedded skb:kfree_skb format is lost (the file is cut before its feature ` +
        `sections); fields are read with the usual ${era} 64-bit layout and reason numbers are decoded ` +
        'with a kernel table',
    );
  }

  private commRecord(view: DataView, bytes: Uint8Array, pos: number, size: number): void {
    const le = this.options.littleEndian;
    const tid = view.getInt32(pos + 12, le);
    const comm = decodeCString(bytes.subarray(pos + 16, pos + size));
    const time = this.router.trailerTime(view, pos, size);
    if (Number.isNaN(time)) {
      this.comms.setComm(tid, comm);
      this.filler?.renamed(tid);
      return;
    }
    const slot = this.queue.push(ITEM_COMM, time);
    this.queue.tid[slot] = tid;
    this.queue.skbaddr[slot] = this.commNames.push(comm) - 1;
  }

  private forkRecord(view: DataView, pos: number, size: number): void {
    const le = this.options.littleEndian;
    const tid = view.getInt32(pos + 16, le);
    const parentTid = view.getInt32(pos + 20, le);
    let time = this.router.trailerTime(view, pos, size);
    if (Number.isNaN(time) && size >= 32) time = readU64(view, pos + 24, le);
    const slot = this.queue.push(ITEM_FORK, time);
    this.queue.tid[slot] = tid;
    this.queue.cpu[slot] = parentTid;
  }

  private lostRecord(count: number): void {
    this.lost += count;
    this.lostRecords++;
  }

  private attrRecord(bytes: Uint8Array, pos: number, size: number): void {
    const reader = new ByteReader(bytes.subarray(pos, pos + size), this.options.littleEndian, 8);
    const attr = readPerfEventAttr(reader);
    const ids: number[] = [];
    while (reader.remaining >= 8) ids.push(reader.u64());
    this.attrs.push({ attr, ids });
    this.ready = false;
  }

  private featureRecord(view: DataView, bytes: Uint8Array, pos: number, size: number): void {
    const bit = readU64(view, pos + 8, this.options.littleEndian);
    try {
      readPerfFeature(
        bit,
        bytes.slice(pos + 16, pos + size),
        this.options.littleEndian,
        this.features,
      );
      this.options.sink.meta(this.features.meta);
    } catch (error) {
      this.options.sink.warn(
        `${this.options.file}: feature ${bit} cannot be read: ${(error as Error).message}`,
      );
    }
    if (bit === FEATURE.tracingData) {
      this.layout = null;
      this.ready = false;
    }
  }

  /**
   * PERF_RECORD_COMPRESSED(2): a zstd frame holding further records (perf record -z). A record
   * may be split over two frames, so the undecoded tail is carried to the next one.
   */
  private compressedRecord(
    view: DataView,
    bytes: Uint8Array,
    pos: number,
    type: number,
    size: number,
    fileOffset: number,
  ): void {
    const problem = this.compressed.inflate(
      view,
      bytes,
      pos,
      size,
      type === R.compressed2,
      (inner, data, p, innerType, innerSize) => {
        if (innerType !== R.compressed && innerType !== R.compressed2)
          this.record(inner, data, p, innerType, innerSize, fileOffset);
      },
    );
    if (problem) this.skip(fileOffset, size, problem);
  }

  private skip(fileOffset: number, size: number, why: string): void {
    this.options.sink.skip(
      this.records,
      `SAMPLE record at byte ${fileOffset} (${size} bytes)`,
      why,
    );
  }

  /** Released items: into the store in a batch, else one `sink.event` per sample. */
  private take(order: Uint32Array | null, first: number, count: number): void {
    const filler = this.filler;
    if (filler) {
      const before = filler.events;
      filler.take(this.queue, order, first, count);
      this.events += filler.events - before;
      return;
    }
    for (let k = 0; k < count; k++) this.release(order === null ? first + k : (order[k] as number));
  }

  private release(slot: number): void {
    const q = this.queue;
    switch (q.kind[slot] ?? -1) {
      case ITEM_SAMPLE: {
        const e = this.event;
        const tid = q.tid[slot] as number;
        e.timestampNs = q.time[slot] as number;
        e.cpu = q.cpu[slot] as number;
        e.pid = tid;
        e.comm = this.comms.comm(tid);
        e.skbaddr = this.pointers.strings[q.skbaddr[slot] as number] ?? null;
        const rx = q.rxSk[slot] as number;
        e.rxSk = rx < 0 ? null : (this.pointers.strings[rx] ?? null);
        e.protocol = q.protocol[slot] as number;
        e.location = this.code.strings[q.location[slot] as number] ?? null;
        e.reason = null;
        e.reasonValue = q.reason[slot] as number;
        e.callchain = q.takeChain(q.chainOf(slot));
        e.line = q.line[slot] as number;
        const period = q.periodOf(slot);
        e.extra = Number.isNaN(period) ? null : this.periodExtra(period);
        this.options.sink.event(e);
        this.events++;
        return;
      }
      case ITEM_COMM:
        this.comms.setComm(q.tid[slot] as number, this.commNames[q.skbaddr[slot] as number] ?? '');
        return;
      case ITEM_FORK:
        this.comms.fork(q.tid[slot] as number, q.cpu[slot] as number);
        return;
      default:
        return;
    }
  }

  /** One `extra` object per distinct period (the store serialises it per event anyway). */
  private periodExtra(period: number): Readonly<Record<string, number>> {
    let extra = this.periods.get(period);
    if (extra === undefined) {
      extra = { period };
      if (this.periods.size < 4096) this.periods.set(period, extra);
    }
    return extra;
  }
}
