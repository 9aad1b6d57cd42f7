/**
 * Renders a short Markdown summary of a report, to paste into a ticket: what was analysed,
 * totals, the top 5 reasons with their share and one-line meaning, the top 5 locations, a kernel
 * and decoding note, and the filter. About 30 lines for one trace (each further trace adds one).
 */
import { baseName } from './assembleReport';
import type { ReportData, ReportDocument } from './ReportData';
import type { ReportRenderer } from './ReportRenderer';
import { formatCount, formatDuration, formatPercent, formatRate } from './reportText';

/** Rows of the reason and location tables. */
const TOP_ROWS = 5;
/** Traces listed one per line before the rest are summed. */
const LISTED_TRACES = 5;
/** Characters of a reason's one-line meaning. */
const MEANING_CHARS = 120;

/** A code span safe inside a GFM table cell (no backticks, pipes escaped, one line). */
function code(text: string): string {
  const clean = text
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|');
  return `\`${clean}\``;
}

/** Plain text safe inside a GFM table cell or paragraph: no HTML, no pipes, one line. */
function plain(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** The first sentence of a catalogue summary, cut to `MEANING_CHARS`. */
function oneLine(summary: string): string {
  const sentence = /^(.*?[.!?])(\s|$)/.exec(summary)?.[1] ?? summary;
  const cut = sentence.lastIndexOf(' ', MEANING_CHARS - 1);
  const text =
    sentence.length > MEANING_CHARS
      ? `${sentence.slice(0, cut > MEANING_CHARS / 2 ? cut : MEANING_CHARS - 1)}…`
      : sentence;
  // Keep the catalogue's backtick spans readable without letting them open code spans in a cell.
  return plain(text).replace(/`/g, "'");
}

function describeTrace(trace: ReportData): string {
  const facts = [`${code(baseName(trace.file))} (${plain(trace.formatLabel)})`];
  if (trace.meta.hostname) facts.push(`host ${code(trace.meta.hostname)}`);
  if (trace.meta.capturedOn) facts.push(`captured ${plain(trace.meta.capturedOn)}`);
  facts.push(`kernel ${trace.kernel.release ? code(trace.kernel.release) : 'not recorded'}`);
  if (trace.span) facts.push(`${plain(formatDuration(trace.span.durationNs))} span`);
  facts.push(`${formatCount(trace.totals.events)} drops`);
  if (trace.dropsPerSecond !== null) facts.push(`${formatRate(trace.dropsPerSecond)} drops/s`);
  return facts.join(', ');
}

function decodingNote(trace: ReportData): string {
  const k = trace.kernel;
  const table = k.table ? `table ${code(k.table)} (${k.source})` : `no table (${k.source})`;
  const skipped =
    trace.skipped.lines === 0
      ? 'no line skipped'
      : `${formatCount(trace.skipped.lines)} line${trace.skipped.lines === 1 ? '' : 's'} skipped`;
  const warnings =
    trace.warnings.length === 0
      ? 'no decoding warning'
      : `${trace.warnings.length} warning${trace.warnings.length === 1 ? '' : 's'}: ${plain(trace.warnings[0] ?? '')}${trace.warnings.length > 1 ? ' …' : ''}`;
  const lost = trace.meta.lostEvents
    ? `; the tracer lost ${formatCount(trace.meta.lostEvents)} events`
    : '';
  return `${table}; ${skipped}; ${warnings}${lost}`;
}

/** Renders the Markdown summary. Pure: no I/O. */
export class MarkdownReportRenderer implements ReportRenderer {
  readonly format = 'md' as const;
  readonly extension = 'md';

  render(report: ReportDocument): Promise<string> {
    return Promise.resolve(this.markdown(report));
  }

  /** The Markdown text of `report`. */
  markdown(report: ReportDocument): string {
    const { combined, traces } = report;
    const multi = traces.length > 1;
    const lines: string[] = [`## ${plain(report.title)}`, ''];

    if (multi) {
      lines.push(
        `**What:** ${traces.length} traces, ${formatCount(combined.events)} drops in all:`,
      );
      for (const trace of traces.slice(0, LISTED_TRACES)) lines.push(`- ${describeTrace(trace)}`);
      if (traces.length > LISTED_TRACES) {
        const rest = traces.slice(LISTED_TRACES);
        lines.push(
          `- and ${rest.length} more (${formatCount(rest.reduce((sum, t) => sum + t.totals.events, 0))} drops)`,
        );
      }
      lines.push('');
    } else if (traces[0]) {
      lines.push(`**What:** ${describeTrace(traces[0])}.`, '');
    }
    lines.push(
      `**Totals:** ${formatCount(combined.events)} drops, ${formatCount(combined.reasons.length)} distinct reasons at ${formatCount(combined.locations.length)} locations.`,
    );
    lines.push(
      `**Filter:** ${report.filter ? code(report.filter) : 'none (every drop in the trace)'}`,
    );
    lines.push('');

    const reasonInfo = new Map(traces.flatMap((t) => t.reasons.map((r) => [r.name, r] as const)));
    lines.push('| Reason | Drops | % | Meaning |', '|---|---:|---:|---|');
    for (const reason of combined.reasons.slice(0, TOP_ROWS)) {
      lines.push(
        `| ${code(reason.key)} | ${formatCount(reason.count)} | ${formatPercent(reason.percent)} | ${oneLine(reasonInfo.get(reason.key)?.summary ?? '')} |`,
      );
    }
    const moreReasons = combined.reasons.slice(TOP_ROWS);
    if (moreReasons.length > 0) {
      lines.push(
        `| ${moreReasons.length} more reasons | ${formatCount(moreReasons.reduce((sum, r) => sum + r.count, 0))} | ${formatPercent(moreReasons.reduce((sum, r) => sum + r.percent, 0))} | |`,
      );
    }
    lines.push('');

    lines.push('| Location | Drops | % |', '|---|---:|---:|');
    for (const location of combined.locations.slice(0, TOP_ROWS)) {
      lines.push(
        `| ${code(location.key)} | ${formatCount(location.count)} | ${formatPercent(location.percent)} |`,
      );
    }
    const moreLocations = combined.locations.slice(TOP_ROWS);
    if (moreLocations.length > 0) {
      lines.push(
        `| ${moreLocations.length} more locations | ${formatCount(moreLocations.reduce((sum, l) => sum + l.count, 0))} | ${formatPercent(moreLocations.reduce((sum, l) => sum + l.percent, 0))} |`,
      );
    }
    lines.push('');

    if (multi) {
      for (const trace of traces.slice(0, LISTED_TRACES))
        lines.push(`**Decoding, ${code(baseName(trace.file))}:** ${decodingNote(trace)}.`);
    } else if (traces[0]) {
      lines.push(`**Kernel and decoding:** ${decodingNote(traces[0])}.`);
    }
    lines.push(
      '',
      `_Dropscope ${plain(report.dropscopeVersion)}, ${plain(report.generatedAt.replace(/\.\d+Z$/, 'Z'))}. The HTML or PDF report explains every reason and what to check next._`,
      '',
    );
    return lines.join('\n');
  }
}
