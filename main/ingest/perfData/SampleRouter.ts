/**
 * Which attr a perf record belongs to, and which decoder reads its samples.
 *
 * Samples are matched to their attr by id (PERF_SAMPLE_IDENTIFIER, or PERF_SAMPLE_ID at the
 * position perf computes from the first attr); the skb:kfree_skb attrs are the tracepoint attrs
 * whose config is the embedded format's `ID:` (or, with the format lost, whose event
 * description names skb:kfree_skb, or the lone tracepoint attr). Non-sample records carry the
 * time in their `sample_id_all` trailer, found the same way.
 */
import { readU64 } from '../traceDat/ByteReader';
import type { AddressIds } from './AddressIds';
import { guessKfreeSkbLayout, type KfreeSkbLayout } from '../traceDat/KfreeSkbLayout';
import { KfreeSkbSampleDecoder } from './KfreeSkbSampleDecoder';
import { PERF_TYPE_TRACEPOINT, SAMPLE_IDENTIFIER, sampleLayout } from './PerfEventAttr';
import type { PerfAttrEntry } from './PerfFileHeader';

/** Where the samples of one attr go. */
interface SampleTarget {
  entry: PerfAttrEntry;
  /** Null for events that are not drops (or a drop event whose layout is still to guess). */
  decoder: KfreeSkbSampleDecoder | null;
  /** The format was lost: guess the layout at the first sample. */
  guess: boolean;
}

/** See `SampleRouter.runRoute`. */
export interface RunRoute {
  decoder: KfreeSkbSampleDecoder;
  idAt: number;
  ids: Uint8Array | null;
}

/** Sample ids up to this go in a `RunRoute` table (perf numbers them from 1, a few per CPU). */
const MAX_RUN_ID = 1 << 16;

/** A sample's route: its decoder, or why it has none. */
export type SampleRoute = KfreeSkbSampleDecoder | 'other-event' | 'unknown-id' | 'no-layout';

/** Routes records to attrs; see the file overview. Rebuild it whenever attrs or formats change. */
export class SampleRouter {
  /** Id of the last routed sample (for messages). */
  lastId = -1;
  private byId = new Map<number, SampleTarget>();
  private single: SampleTarget | null = null;
  private idWord = -1;
  /** `runRoute()`'s answer, undefined until asked after a rebuild or a guess. */
  private run: RunRoute | null | undefined = undefined;
  private targets: SampleTarget[] = [];
  private pointers: AddressIds | null = null;
  private code: AddressIds | null = null;

  constructor(
    private readonly attrs: readonly PerfAttrEntry[],
    private readonly littleEndian: boolean,
    /** Told when a layout had to be guessed (the format was lost). */
    private readonly onGuess: (layout: KfreeSkbLayout) => void,
  ) {}

  private isKfreeSkb(
    entry: PerfAttrEntry,
    layout: KfreeSkbLayout | null,
    names: ReadonlyMap<number, string>,
    formatsRead: boolean,
  ): boolean {
    if (entry.attr.type !== PERF_TYPE_TRACEPOINT) return false;
    const id = layout?.id ?? null;
    if (id !== null) return entry.attr.config === id;
    // The formats were read and none is skb:kfree_skb: these are other tracepoints.
    if (formatsRead && layout === null) return false;
    const named = entry.ids.map((i) => names.get(i)).find((name) => name !== undefined);
    if (named !== undefined) return named === 'skb:kfree_skb';
    // Neither format nor names survived: a lone tracepoint event is taken to be the drops.
    return this.attrs.filter((other) => other.attr.type === PERF_TYPE_TRACEPOINT).length === 1;
  }

  /**
   * Builds the decoders for the current attrs. Returns whether every drop attr has a fixed
   * period of 1 (then no per-sample period is kept).
   */
  rebuild(
    layout: KfreeSkbLayout | null,
    names: ReadonlyMap<number, string>,
    pointers: AddressIds,
    code: AddressIds,
    /** Whether the trace's event formats were read (so a missing kfree_skb format is real). */
    formatsRead: boolean,
  ): { fixedPeriod: boolean } {
    this.pointers = pointers;
    this.code = code;
    this.byId = new Map();
    this.run = undefined;
    let fixed = false;
    let varying = false;
    const targets = this.attrs.map((entry): SampleTarget => {
      const target: SampleTarget = { entry, decoder: null, guess: false };
      if (this.isKfreeSkb(entry, layout, names, formatsRead)) {
        if (keepsPeriod(entry)) varying = true;
        else fixed = true;
        if (layout) target.decoder = this.decoderFor(entry, layout);
        else target.guess = true;
      }
      for (const id of entry.ids) this.byId.set(id, target);
      return target;
    });
    this.targets = targets;
    this.single = targets.length === 1 ? (targets[0] ?? null) : null;
    const first = this.attrs[0];
    this.idWord = first ? sampleLayout(first.attr).idWord : -1;
    return { fixedPeriod: fixed && !varying };
  }

  private decoderFor(entry: PerfAttrEntry, layout: KfreeSkbLayout | null): KfreeSkbSampleDecoder {
    const { pointers, code } = this;
    if (!pointers || !code) throw new Error('SampleRouter used before rebuild()');
    return new KfreeSkbSampleDecoder(
      sampleLayout(entry.attr),
      layout,
      this.littleEndian,
      pointers,
      code,
      keepsPeriod(entry),
    );
  }

  /**
   * The drop decoder whose runs of samples `KfreeSkbSampleDecoder.decodeRun` may read, with
   * where a sample's id sits (`idAt`, -1 when every sample is that attr's) and its ids as a
   * lookup table; null when there is none (no layout yet, several drop attrs, big ids…).
   */
  runRoute(): RunRoute | null {
    if (this.run !== undefined) return this.run;
    this.run = null;
    const drops = this.targets.filter((target) => target.decoder !== null);
    const only = drops.length === 1 ? drops[0] : undefined;
    const decoder = only?.decoder;
    if (!only || !decoder?.canRun) return null;
    if (this.single === only) {
      this.run = { decoder, idAt: -1, ids: null };
      return this.run;
    }
    if (this.idWord < 0) return null;
    const mine = [...this.byId].filter(([, target]) => target === only).map(([id]) => id);
    if (mine.some((id) => !Number.isInteger(id) || id < 0 || id >= MAX_RUN_ID)) return null;
    const ids = new Uint8Array(Math.max(...mine, 0) + 1);
    for (const id of mine) ids[id] = 1;
    this.run = { decoder, idAt: 8 + this.idWord * 8, ids };
    return this.run;
  }

  /** The route of the sample at `view[pos, pos + size)`. */
  route(view: DataView, pos: number, size: number): SampleRoute {
    let target = this.single;
    if (target === null) {
      const id = this.idWord < 0 ? -1 : readU64(view, pos + 8 + this.idWord * 8, this.littleEndian);
      this.lastId = id;
      target =
        this.byId.get(id) ?? (this.idWord < 0 ? (this.byId.values().next().value ?? null) : null);
      if (target === null) return 'unknown-id';
    }
    if (target.decoder !== null) return target.decoder;
    if (!target.guess) return 'other-event';
    const layout = guessKfreeSkbLayout(
      this.decoderFor(target.entry, null).rawBytesOf(view, pos, size),
    );
    if (!layout) return 'no-layout';
    target.decoder = this.decoderFor(target.entry, layout);
    target.guess = false;
    this.run = undefined;
    this.onGuess(layout);
    return target.decoder;
  }

  /** The `sample_id_all` time of a non-sample record; NaN when it has none. */
  trailerTime(view: DataView, pos: number, size: number): number {
    const le = this.littleEndian;
    let entry = this.attrs[0];
    if (entry && (entry.attr.sampleType & SAMPLE_IDENTIFIER) !== 0 && this.attrs.length > 1) {
      entry = this.byId.get(readU64(view, pos + size - 8, le))?.entry ?? entry;
    }
    if (!entry?.attr.sampleIdAll) return Number.NaN;
    const word = sampleLayout(entry.attr).trailerTimeWordFromEnd;
    if (word < 0 || size < 8 + word * 8) return Number.NaN;
    return readU64(view, pos + size - word * 8, le);
  }
}

/** Whether samples of an attr stand for more than one event each (frequency or period > 1). */
function keepsPeriod(entry: PerfAttrEntry): boolean {
  return entry.attr.freq || entry.attr.samplePeriod !== 1;
}
