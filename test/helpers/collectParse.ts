/**
 * Runs one format's parser over text and collects everything it reports, for unit tests.
 */
import type { EventInput, TraceMeta } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition } from '../../main/ingest/TraceParser';

/** Everything a parser reported. */
export interface Collected {
  events: EventInput[];
  skipped: { line: number; text: string; why: string }[];
  meta: Partial<TraceMeta>;
  aggregates: { location: string; drops: number; line: number }[];
  embedded: { names: ReadonlyMap<number, string>; source: string } | null;
  warnings: string[];
}

/** Feeds `text` line by line (split on \n, \r stripped) to a new parser of `format`. */
export function collectParse(format: TraceFormatDefinition, text: string): Collected {
  const collected: Collected = {
    events: [],
    skipped: [],
    meta: {},
    aggregates: [],
    embedded: null,
    warnings: [],
  };
  const sink: ParseSink = {
    event: (event) =>
      collected.events.push({
        ...event,
        callchain: event.callchain ? [...event.callchain] : null,
        extra: event.extra ? { ...event.extra } : null,
      }),
    skip: (line, lineText, why) => collected.skipped.push({ line, text: lineText, why }),
    meta: (patch) => Object.assign(collected.meta, patch),
    aggregate: (location, drops, line) => collected.aggregates.push({ location, drops, line }),
    embeddedReasonNames: (names, source) => (collected.embedded = { names, source }),
    warn: (message) => collected.warnings.push(message),
  };
  const parser = format.createParser(sink);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => parser.line(line.replace(/\r$/, ''), index + 1));
  parser.end();
  return collected;
}
