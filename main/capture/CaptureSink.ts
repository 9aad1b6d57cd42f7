/**
 * The `ParseSink` a capture session gives its ingest parser: it copies each event (parsers reuse
 * theirs), completes it (reason name ⇄ number with the running kernel's numbering, raw addresses
 * symbolized), applies the user-space part of the filter, counts it per reason, and hands events
 * over in batches of at most `MAX_BATCH_EVENTS`, each at most `MAX_BATCH_MS` old.
 *
 * Motivation: one call per batch instead of one per event keeps every boundary after this one
 * (the engine worker's messages, the helper pipe, the renderer) cheap at 100,000 drops/s.
 */
import type { EventInput, SkippedLine, TraceMeta } from '../../shared/model';
import type { ParseSink, Symbolizer } from '../ingest';
import { MAX_BATCH_EVENTS, MAX_BATCH_MS } from './CaptureBackend';
import type { EventMatcher } from './matchEvent';
import { reasonNameOf } from './matchEvent';

/** How many skipped-line examples and warnings a session keeps. */
const MAX_EXAMPLES = 10;
const MAX_WARNINGS = 50;
const EXAMPLE_CHARS = 200;

/** What the sink needs besides the parser's calls. */
export interface CaptureSinkOptions {
  onBatch(events: readonly EventInput[]): void;
  /** The user-space part of the filter; null passes everything. */
  matcher?: EventMatcher | null;
  /** Reason numbering of the running kernel (number → name). */
  reasonNames?: ReadonlyMap<number, string> | null;
  symbolize?: Symbolizer | null;
  maxBatchEvents?: number;
  maxBatchMs?: number;
  /** Clock in ms (tests pass a fake). */
  now?: () => number;
}

const HEX_ADDRESS = /^0x[0-9a-f]+$/i;

/** Collects one session's events; see the file overview. */
export class CaptureSink implements ParseSink {
  events = 0;
  filteredOut = 0;
  skippedLines = 0;
  readonly skippedExamples: SkippedLine[] = [];
  readonly reasons = new Map<string, number>();
  readonly metadata: TraceMeta = {};
  readonly warnings: string[] = [];
  private batch: EventInput[] = [];
  private batchStartMs = 0;
  private originNs = Number.NaN;
  private readonly numbers = new Map<string, number>();
  private readonly symbols = new Map<string, string>();
  private readonly maxBatchEvents: number;
  private readonly maxBatchMs: number;
  private readonly now: () => number;
  /** Once closed (the session stopped), late events are ignored. */
  private closed = false;

  constructor(private readonly options: CaptureSinkOptions) {
    this.maxBatchEvents = options.maxBatchEvents ?? MAX_BATCH_EVENTS;
    this.maxBatchMs = options.maxBatchMs ?? MAX_BATCH_MS;
    this.now = options.now ?? Date.now;
    for (const [value, name] of options.reasonNames ?? []) this.numbers.set(name, value);
  }

  event(input: EventInput): void {
    if (this.closed) return;
    const event: EventInput = { ...input };
    const names = this.options.reasonNames;
    if (names) {
      if (event.reason === null && event.reasonValue >= 0) {
        event.reason = names.get(event.reasonValue) ?? null;
      } else if (event.reason !== null && event.reasonValue < 0) {
        event.reasonValue = this.numbers.get(event.reason) ?? -1;
      }
    }
    const symbolize = this.options.symbolize;
    if (symbolize && event.location !== null && HEX_ADDRESS.test(event.location)) {
      event.location = this.symbol(event.location, symbolize);
    }
    if (Number.isNaN(this.originNs) && Number.isFinite(event.timestampNs)) {
      this.originNs = event.timestampNs;
    }
    const matcher = this.options.matcher;
    if (matcher && !matcher(event, this.originNs)) {
      this.filteredOut++;
      return;
    }
    this.events++;
    const reason = reasonNameOf(event) ?? '(none)';
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    if (this.batch.length === 0) this.batchStartMs = this.now();
    this.batch.push(event);
    if (this.batch.length >= this.maxBatchEvents) this.flush();
  }

  private symbol(address: string, symbolize: Symbolizer): string {
    let symbol = this.symbols.get(address);
    if (symbol === undefined) {
      symbol = symbolize(address) ?? address;
      this.symbols.set(address, symbol);
    }
    return symbol;
  }

  /** Hands over the batch when it is `maxBatchMs` old. Call it after each read and on a timer. */
  flushDue(): void {
    if (this.batch.length > 0 && this.now() - this.batchStartMs >= this.maxBatchMs) this.flush();
  }

  /** Hands over whatever is batched. */
  flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.options.onBatch(batch);
  }

  /** Hands over the last batch and ignores anything later. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  skip(line: number, text: string, why: string): void {
    this.skippedLines++;
    if (this.skippedExamples.length < MAX_EXAMPLES) {
      const short = text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS)}…` : text;
      this.skippedExamples.push({ line, text: short, why });
    }
  }

  meta(patch: Partial<TraceMeta>): void {
    Object.assign(this.metadata, patch);
  }

  aggregate(): void {
    // Tool-side aggregates (dropwatch) do not occur in live capture.
  }

  embeddedReasonNames(): void {
    // The running kernel's numbering comes from the context; nothing is embedded in a stream.
  }

  warn(message: string): void {
    this.addWarning(message);
  }

  /** Adds a note for the user (bounded: the count of the rest is kept). */
  addWarning(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push('… more warnings left out');
  }

  /** The per-reason counts as a record, largest first. */
  reasonCounts(): Record<string, number> {
    const sorted = [...this.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return Object.fromEntries(sorted);
  }

  /** What the tool itself reported as lost (`meta.lost` from its LOST lines). */
  toolLost(): number {
    const lost = this.metadata.lost;
    return typeof lost === 'number' ? lost : 0;
  }
}
