/**
 * Parsers for Dropscope's own normalized export: JSON lines (`dropscope-jsonl`) and CSV
 * (`dropscope-csv`). They read back exactly what `dropscope convert` writes, so a round trip
 * keeps every event, its decoded reason, and the source's header (format, kernel, host …).
 */
import type { EventInput, NormalizedHeader, TraceMeta } from '../../shared/model';
import { CALLCHAIN_SEPARATOR, emptyEventInput, NORMALIZED_COLUMNS } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

type Row = Record<string, unknown>;

function numberOr(value: unknown, fallback: number): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function stringOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Reports the header's facts to the sink (kernel choice travels as meta keys). */
function applyHeader(header: NormalizedHeader, sink: ParseSink): void {
  const source = header.source;
  const meta: Partial<TraceMeta> = {
    ...source.meta,
    sourceFile: source.file,
    sourceFormat: source.format,
    sourceSkippedLines: source.skippedLines,
    kernelRelease: source.kernel.release,
    kernelTable: source.kernel.table,
    kernelSource: source.kernel.source,
    kernelDetail: source.kernel.detail,
    sourceFilter: source.filter,
  };
  sink.meta(meta);
  for (const [location, drops] of Object.entries(source.aggregates.locations))
    sink.aggregate(location, drops, 0);
  for (const warning of source.warnings) sink.warn(`source: ${warning}`);
}

function isHeader(value: unknown): value is NormalizedHeader {
  return typeof value === 'object' && value !== null && 'dropscope' in value && 'source' in value;
}

/** Fills `event` from a row keyed by NORMALIZED_COLUMNS. */
function fillEvent(event: EventInput, row: Row, line: number): void {
  event.timestampNs = numberOr(row.time_ns, Number.NaN);
  event.cpu = numberOr(row.cpu, -1);
  event.pid = numberOr(row.pid, -1);
  event.comm = stringOrNull(row.comm);
  event.skbaddr = stringOrNull(row.skbaddr);
  event.rxSk = stringOrNull(row.rx_sk);
  event.protocol = numberOr(row.protocol, -1);
  event.location = stringOrNull(row.location);
  event.reason = stringOrNull(row.reason);
  event.reasonValue = numberOr(row.reason_value, -1);
  event.line = numberOr(row.line, line);
  const chain = row.callchain;
  event.callchain = Array.isArray(chain)
    ? chain.map(String)
    : typeof chain === 'string' && chain !== ''
      ? chain.split(CALLCHAIN_SEPARATOR)
      : null;
  const extra = row.extra;
  if (typeof extra === 'string' && extra !== '') {
    try {
      event.extra = JSON.parse(extra) as Record<string, string | number>;
    } catch {
      event.extra = { extra };
    }
  } else
    event.extra =
      typeof extra === 'object' && extra !== null
        ? (extra as Record<string, string | number>)
        : null;
}

class JsonlParser implements TraceParser {
  private readonly event = emptyEventInput();
  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNumber: number): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.skip(lineNumber, text, `not valid JSON (${(error as Error).message})`);
      return;
    }
    if (isHeader(value)) {
      applyHeader(value, this.sink);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.sink.skip(lineNumber, text, 'not a Dropscope event object');
      return;
    }
    fillEvent(this.event, value as Row, lineNumber);
    this.sink.event(this.event);
  }

  end(): void {}
}

/** Splits one CSV record (RFC 4180 quoting, no newlines inside fields). Null when malformed. */
export function splitCsvLine(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        if (i >= text.length) return null;
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += c;
        i++;
      }
      cells.push(cell);
      if (i === text.length) return cells;
      if (text[i] !== ',') return null;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        cells.push(text.slice(i));
        return cells;
      }
      cells.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

class CsvParser implements TraceParser {
  private readonly event = emptyEventInput();
  private columns: string[] | null = null;
  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNumber: number): void {
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      const header = /^# dropscope: (.*)$/.exec(text);
      if (header?.[1]) {
        try {
          const value: unknown = JSON.parse(header[1]);
          if (isHeader(value)) applyHeader(value, this.sink);
        } catch (error) {
          this.sink.skip(
            lineNumber,
            text,
            `unreadable Dropscope header (${(error as Error).message})`,
          );
        }
      }
      return;
    }
    const cells = splitCsvLine(text);
    if (!cells) {
      this.sink.skip(lineNumber, text, 'malformed CSV (unbalanced quotes)');
      return;
    }
    if (!this.columns) {
      if (!cells.includes('reason') || !cells.includes('time_ns')) {
        this.sink.skip(lineNumber, text, 'expected the Dropscope CSV column header');
        return;
      }
      this.columns = cells;
      return;
    }
    if (cells.length !== this.columns.length) {
      this.sink.skip(
        lineNumber,
        text,
        `expected ${this.columns.length} columns, found ${cells.length}`,
      );
      return;
    }
    const row: Row = {};
    this.columns.forEach((name, index) => (row[name] = cells[index]));
    fillEvent(this.event, row, lineNumber);
    this.sink.event(this.event);
  }

  end(): void {}
}

/** Dropscope's JSON lines export. */
export const dropscopeJsonlFormat: TraceFormatDefinition = {
  name: 'dropscope-jsonl',
  label: 'Dropscope JSON lines',
  detect(head) {
    const first = head[0] ?? '';
    if (/^\{"dropscope":\s*\d/.test(first)) return 1;
    const objects = head.filter(
      (line) => line.startsWith('{') && line.includes('"reason"') && line.includes('"time_ns"'),
    );
    return head.length > 0 && objects.length === head.length ? 0.8 : 0;
  },
  createParser: (sink) => new JsonlParser(sink),
};

/** Dropscope's CSV export. */
export const dropscopeCsvFormat: TraceFormatDefinition = {
  name: 'dropscope-csv',
  label: 'Dropscope CSV',
  detect(head) {
    if (head.some((line) => line.startsWith('# dropscope: {'))) return 1;
    const header = head.find((line) => !line.startsWith('#')) ?? '';
    return header === NORMALIZED_COLUMNS.join(',') ? 0.9 : 0;
  },
  createParser: (sink) => new CsvParser(sink),
};
