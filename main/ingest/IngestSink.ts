/**
 * The `ParseSink` that fills an `EventStore` and keeps the bookkeeping of a load.
 *
 * It owns what a parser reports besides events: skipped lines (counted, a few kept as examples
 * with their text shortened and control bytes made visible), metadata, dropwatch aggregates,
 * an embedded reason mapping and warnings. Raw `0x…` locations and callchain frames are
 * symbolized here when a kallsyms file was given (once per distinct address).
 */
import type { Aggregates, EventInput, SkippedLine, TraceMeta } from '../../shared/model';
import type { EventStore } from '../store';
import type { ParseSink } from './TraceParser';

/** How many skipped-line examples a load keeps. */
export const SKIPPED_EXAMPLES = 10;
const EXAMPLE_CHARS = 200;

/** Turns an address into `sym+0xoff`, or null when it cannot. */
export type Symbolizer = (address: string) => string | null;

/** Shortens a line for display and makes control characters visible. */
export function displayLine(text: string): string {
  const short = text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS)}…` : text;
  return short.replace(
    CONTROL_CHARACTERS,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Control characters except tab; they are shown as `\\xNN`. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Collects one load into a store plus its side information. */
export class IngestSink implements ParseSink {
  skippedLines = 0;
  readonly skippedExamples: SkippedLine[] = [];
  readonly metadata: TraceMeta = {};
  readonly aggregates: Aggregates = { drops: 0, locations: {} };
  embedded: { names: ReadonlyMap<number, string>; source: string } | null = null;
  readonly warnings: string[] = [];
  private readonly symbolCache = new Map<string, string>();
  private readonly scratch: EventInput;

  constructor(
    private readonly store: EventStore,
    private readonly symbolizer: Symbolizer | null = null,
  ) {
    this.scratch = {
      timestampNs: Number.NaN,
      cpu: -1,
      pid: -1,
      comm: null,
      skbaddr: null,
      rxSk: null,
      protocol: -1,
      location: null,
      reason: null,
      reasonValue: -1,
      callchain: null,
      line: 0,
      extra: null,
    };
  }

  event(event: EventInput): void {
    if (!this.symbolizer) {
      this.store.append(event);
      return;
    }
    const copy = Object.assign(this.scratch, event);
    if (copy.location !== null && /^0x[0-9a-f]+$/i.test(copy.location))
      copy.location = this.symbolize(copy.location);
    if (copy.callchain) copy.callchain = copy.callchain.map((frame) => this.symbolizeFrame(frame));
    this.store.append(copy);
  }

  private symbolize(address: string): string {
    let symbol = this.symbolCache.get(address);
    if (symbol === undefined) {
      symbol = this.symbolizer?.(address) ?? address;
      this.symbolCache.set(address, symbol);
    }
    return symbol;
  }

  private symbolizeFrame(frame: string): string {
    const match = /^(?:0x)?([0-9a-f]{8,16})$/i.exec(frame.trim());
    return match ? this.symbolize(`0x${match[1] ?? ''}`) : frame;
  }

  skip(line: number, text: string, why: string): void {
    this.skippedLines++;
    if (this.skippedExamples.length < SKIPPED_EXAMPLES) {
      this.skippedExamples.push({ line, text: displayLine(text), why });
    }
  }

  meta(patch: Partial<TraceMeta>): void {
    Object.assign(this.metadata, patch);
  }

  aggregate(location: string, drops: number): void {
    this.aggregates.drops += drops;
    this.aggregates.locations[location] = (this.aggregates.locations[location] ?? 0) + drops;
  }

  embeddedReasonNames(names: ReadonlyMap<number, string>, source: string): void {
    this.embedded = { names, source };
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}
