/**
 * The contract between the line reader and one format's parser.
 *
 * The reader (readTrace) splits the decompressed input into lines and feeds them, in order, to
 * one `TraceParser`; the parser reports what it finds to a `ParseSink` (events, skipped lines,
 * metadata, aggregates, warnings). Parsers hold at most one pending multi-line record (a perf
 * callchain, a dropwatch alert block); `end()` flushes it.
 */
import type { EventInput, TraceFormatName, TraceMeta } from '../../shared/model';

/** Where a parser reports what it read. Runs on the ingest thread; all calls are synchronous. */
export interface ParseSink {
  /** One drop event. The sink copies the values at once, so the parser may reuse the object. */
  event(event: EventInput): void;
  /** A line that could not be read: 1-based line number, the text (the sink truncates it) and why. */
  skip(line: number, text: string, why: string): void;
  /** Facts the trace states about itself (header lines, banners). Later calls merge over earlier ones. */
  meta(patch: Partial<TraceMeta>): void;
  /**
   * A tool-side aggregate (a dropwatch summary line `N drops at LOCATION`): counted under
   * `aggregates`, never expanded into N events.
   */
  aggregate(location: string, drops: number, line: number): void;
  /**
   * A reason number → name mapping carried by the trace itself (a tracepoint format or an
   * enum dump inside the file); the best decoding source there is.
   */
  embeddedReasonNames(names: ReadonlyMap<number, string>, source: string): void;
  /** Something the user should know that is not a skipped line (a lost-events notice …). */
  warn(message: string): void;
}

/** A streaming parser for one format. One instance reads one file. */
export interface TraceParser {
  /** Feeds one line, without its line terminator (`\r` already stripped). */
  line(text: string, lineNumber: number): void;
  /** Signals the end of input: flush a pending record, report a truncated one as skipped. */
  end(): void;
}

/** A supported format: how to recognise it and how to parse it. */
export interface TraceFormatDefinition {
  /** The name used with `--format`. */
  readonly name: TraceFormatName;
  /** A short human label (`perf script text`). */
  readonly label: string;
  /**
   * Scores how well the first lines of a file fit this format, 0 (not at all) to 1 (certain).
   *
   * `head` holds up to 200 non-empty lines from the start of the file (at most 64 KiB each). Pure
   * and cheap: it runs for every format on every file.
   */
  detect(head: readonly string[]): number;
  /** Creates a parser that reports to `sink`. */
  createParser(sink: ParseSink): TraceParser;
}
