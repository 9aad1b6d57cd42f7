/**
 * Renders a report as one self-contained HTML file: inline CSS, inline SVG charts, no script and
 * no external reference of any kind, so it opens offline in any browser and prints on A4.
 *
 * Sections, in order: what was analysed, totals and drop rate, timeline, top reasons, top
 * locations, reason × location breakdown, what each reason means and what to check next, skipped
 * lines and decoding warnings, the filter. Every string that comes from a trace is escaped.
 * Table rows carry `data-*` attributes with the raw figures (`data-reason`, `data-location`,
 * `data-count` …) so tools and tests can read the numbers back without parsing the layout.
 */
import type { KernelTableSource } from '../../shared/model';
import { categoryInfo } from '../../shared/reasons';
import { assertNever } from '../../shared/util';
import { baseName } from './assembleReport';
import { reasonBarsSvg, timelineSvg } from './reportCharts';
import type { CombinedCount, ReportData, ReportDocument, ReportReason } from './ReportData';
import type { ReportRenderer } from './ReportRenderer';
import { escapeHtml, formatCount, formatDuration, formatPercent, formatRate } from './reportText';

/** Rows of the top reasons and top locations tables (the rest are summed in one row). */
export const REPORT_TABLE_ROWS = 20;
/** Bars of the top reasons chart. */
export const REPORT_CHART_BARS = 15;
/** Characters of a skipped line shown in the report. */
const SKIPPED_TEXT_CHARS = 200;

const STYLE = `
:root { --ink: #1a1a1a; --muted: #555; --rule: #d4d4d4; --band: #f3f4f6; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 980px; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 30px 0 8px; padding-bottom: 3px; border-bottom: 2px solid var(--ink); break-after: avoid; page-break-after: avoid; }
h3 { font-size: 15px; margin: 16px 0 6px; break-after: avoid; page-break-after: avoid; }
p { margin: 6px 0; }
.lede { color: var(--muted); margin: 0 0 12px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.9em; }
pre.filter { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--band); border: 1px solid var(--rule); border-radius: 4px; padding: 8px 10px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { font-weight: 600; border-bottom: 1.5px solid var(--ink); white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.loc, td.text { overflow-wrap: break-word; }
th.file { white-space: normal; overflow-wrap: anywhere; font-size: 11px; }
tr.rest td { color: var(--muted); font-style: italic; }
table.kv th { width: 24%; font-weight: 600; }
.tiles { display: flex; gap: 10px; margin: 10px 0 14px; padding: 0 1px; }
.tile { flex: 1 1 0; min-width: 0; border: 1px solid var(--rule); border-radius: 6px; padding: 6px 10px; }
.tile .value { font-size: 19px; white-space: nowrap; font-weight: 700; font-variant-numeric: tabular-nums; }
.tile .label { color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border: 1px solid #333; margin-right: 5px; vertical-align: -1px; }
.cat { font-size: 12px; white-space: nowrap; }
.muted { color: var(--muted); }
figure { margin: 8px 0 14px; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
svg.chart { display: block; max-width: 100%; height: auto; }
.chart text { font-family: inherit; fill: var(--ink); }
.chart .tick, .chart .axis-title { font-size: 11px; fill: #444; }
.chart .legend { font-size: 11.5px; }
.chart .bar-label { font-size: 11.5px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.chart .bar-value { font-size: 11px; }
.chart .muted { fill: #555; }
.chart .grid { stroke: #e2e2e2; stroke-width: 1; }
.chart .axis { stroke: #333; stroke-width: 1; }
.chart .swatch, .chart .bar { stroke: #222; stroke-width: 0.6; }
.side { display: flex; flex-wrap: wrap; gap: 0 24px; }
.side > div { flex: 1 1 300px; min-width: 0; }
article.reason { border-left: 5px solid var(--c, #808080); padding: 1px 0 1px 12px; margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
article.reason h3 { margin: 0 0 2px; font-size: 14px; }
article.reason h3 code { font-size: 13.5px; }
article.reason .figures { font-weight: 400; color: var(--muted); font-size: 12.5px; }
article.reason p { margin: 2px 0; }
.note { background: var(--band); border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
.warn { border-left: 4px solid #b45309; background: #fff7ed; padding: 6px 10px; margin: 8px 0; }
nav.toc ol { margin: 4px 0 0; padding-left: 20px; columns: 3; column-gap: 24px; font-size: 13px; }
a { color: #0645ad; }
footer { margin-top: 24px; break-before: avoid; page-break-before: avoid; color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { margin-top: 18px; }
  a { color: inherit; text-decoration: none; }
  nav.toc { display: none; }
  table, .tiles, table.kv { break-inside: avoid; page-break-inside: avoid; }
  table.long { break-inside: auto; page-break-inside: auto; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .tile, .note, .warn, pre.filter { border-color: #777; }
}
`;

/** Turns backtick spans of catalogue text into `<code>` (after escaping). */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function attr(text: string): string {
  return escapeHtml(text);
}

function sourceText(source: KernelTableSource): string {
  switch (source) {
    case 'embedded-format':
      return 'a reason mapping carried by the trace itself';
    case 'kernel-format-file':
      return 'the tracepoint format file given with --kernel-format';
    case 'btf':
      return 'the BTF of the traced kernel given with --kernel-format';
    case 'trace-header':
      return 'the kernel release in the trace header';
    case 'cli-release':
      return 'the kernel release given with --kernel';
    case 'best-guess':
      return 'a best guess (the newest table): reason numbers may be decoded wrongly';
    case 'none':
      return 'not needed: the tracer printed reason names itself';
    default:
      return assertNever(source);
  }
}

function spanText(trace: ReportData): string {
  if (!trace.span) return 'no timestamps in this format';
  const first = (trace.span.firstNs / 1e9).toFixed(6);
  const last = (trace.span.lastNs / 1e9).toFixed(6);
  return `${formatDuration(trace.span.durationNs)}, from ${first} s to ${last} s on the tracer's clock`;
}

function categoryCell(category: ReportReason['category']): string {
  const info = categoryInfo(category);
  return `<span class="cat"><span class="swatch" style="background:${info.colour}"></span>${escapeHtml(info.label)}</span>`;
}

/** Renders the HTML report. Pure: no I/O; the same document gives the same bytes. */
export class HtmlReportRenderer implements ReportRenderer {
  readonly format = 'html' as const;
  readonly extension = 'html';

  render(report: ReportDocument): Promise<string> {
    return Promise.resolve(this.html(report));
  }

  /** The HTML text of `report` (synchronous; the PDF renderer prints this). */
  html(report: ReportDocument): string {
    const reasonInfo = new Map<string, ReportReason>();
    for (const trace of report.traces)
      for (const reason of trace.reasons)
        if (!reasonInfo.has(reason.name)) reasonInfo.set(reason.name, reason);
    const anchors = new Map<string, string>();
    report.combined.reasons.forEach((reason, index) =>
      anchors.set(reason.key, `reason-${index + 1}`),
    );
    const context: Context = { report, reasonInfo, anchors, multi: report.traces.length > 1 };

    const sections = [
      ['analysed', 'What was analysed', analysedSection(context)],
      ['totals', 'Totals and drop rate', totalsSection(context)],
      ['timeline', 'Timeline', timelineSection(context)],
      ['reasons', 'Top reasons', reasonsSection(context)],
      ['locations', 'Top locations', locationsSection(context)],
      ['breakdown', 'Reason × location breakdown', breakdownSection(context)],
      [
        'explanations',
        'What each reason means and what to check next',
        explanationsSection(context),
      ],
      ['quality', 'Skipped lines and decoding warnings', qualitySection(context)],
      ['filter', 'Filter used', filterSection(context)],
    ] as const;

    const lede = `${formatCount(report.combined.events)} packet drops${
      context.multi ? ` in ${report.traces.length} traces` : ''
    }${report.filter ? ' matching the filter below' : ''}. Generated ${escapeHtml(
      report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
    )} by Dropscope ${escapeHtml(report.dropscopeVersion)}.`;

    return [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<meta name="generator" content="Dropscope ${attr(report.dropscopeVersion)}">`,
      `<title>${escapeHtml(report.title)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      `<body data-dropscope-report="1" data-total-events="${report.combined.events}" data-traces="${report.traces.length}">`,
      '<header>',
      `<h1>${escapeHtml(report.title)}</h1>`,
      `<p class="lede">${lede}</p>`,
      '</header>',
      `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${sections
        .map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title)}</a></li>`)
        .join('')}</ol></nav>`,
      ...sections.map(
        ([id, title, body], index) =>
          `<section id="${id}">\n<h2>${index + 1}. ${escapeHtml(title)}</h2>\n${body}\n</section>`,
      ),
      `<footer>Made with Dropscope ${escapeHtml(report.dropscopeVersion)} from the trace file${
        context.multi ? 's' : ''
      } listed in section 1; every figure is counted from the loaded events. This file is self-contained: it loads nothing from the network or from other files.</footer>`,
      '</body>',
      '</html>',
      '',
    ].join('\n');
  }
}

interface Context {
  report: ReportDocument;
  reasonInfo: Map<string, ReportReason>;
  anchors: Map<string, string>;
  multi: boolean;
}

/** What an empty table says instead: nothing passed the filter, or nothing was there. */
function noDrops(context: Context): string {
  return context.report.filter
    ? '<p class="note">No drop passes the filter.</p>'
    : '<p class="note">No individual drop event was read.</p>';
}

function traceHeading(context: Context, trace: ReportData): string {
  return context.multi
    ? `<h3 data-trace-file="${attr(trace.file)}">${escapeHtml(baseName(trace.file))}</h3>`
    : '';
}

function kvRow(label: string, html: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${html}</td></tr>`;
}

function analysedSection(context: Context): string {
  return context.report.traces
    .map((trace) => {
      const k = trace.kernel;
      const rows = [
        kvRow('File', `<code>${escapeHtml(trace.file)}</code>`),
        kvRow(
          'Format',
          `${escapeHtml(trace.formatLabel)} <span class="muted">(${escapeHtml(trace.format)})</span>`,
        ),
        kvRow(
          'Kernel',
          k.release
            ? `<code>${escapeHtml(k.release)}</code>`
            : '<span class="muted">not recorded in the trace</span>',
        ),
        kvRow(
          'Reason decoding',
          `${k.table ? `table <code>${escapeHtml(k.table)}</code>, chosen from ` : ''}${escapeHtml(sourceText(k.source))}${
            k.detail ? `<br><span class="muted">${escapeHtml(k.detail)}</span>` : ''
          }`,
        ),
      ];
      if (trace.meta.hostname)
        rows.push(kvRow('Captured on host', `<code>${escapeHtml(trace.meta.hostname)}</code>`));
      if (trace.meta.capturedOn) rows.push(kvRow('Captured at', escapeHtml(trace.meta.capturedOn)));
      if (trace.meta.captureCommand)
        rows.push(
          kvRow('Capture command', `<code>${escapeHtml(trace.meta.captureCommand)}</code>`),
        );
      rows.push(kvRow('Time span', escapeHtml(spanText(trace))));
      rows.push(
        kvRow(
          'Events',
          trace.filter
            ? `<span data-events="${trace.totals.events}">${formatCount(trace.totals.events)}</span> pass the filter, of <span data-events-in-trace="${trace.totals.eventsInTrace}">${formatCount(trace.totals.eventsInTrace)}</span> in the trace`
            : `<span data-events="${trace.totals.events}">${formatCount(trace.totals.events)}</span>`,
        ),
      );
      return `${traceHeading(context, trace)}<table class="kv" data-trace-file="${attr(trace.file)}"><tbody>${rows.join('')}</tbody></table>`;
    })
    .join('\n');
}

function tile(value: string, label: string, data = ''): string {
  return `<div class="tile"${data}><div class="value">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

function countTable(
  title: string,
  column: string,
  entries: readonly { key: string; count: number; percent: number }[],
  dataName: string,
): string {
  if (entries.length === 0) return '';
  const rows = entries
    .map(
      (e) =>
        `<tr data-${dataName}="${attr(e.key)}" data-count="${e.count}"><td class="text"><code>${escapeHtml(e.key)}</code></td><td class="num">${formatCount(e.count)}</td><td class="num">${formatPercent(e.percent)}</td></tr>`,
    )
    .join('');
  return `<div><h3>${escapeHtml(title)}</h3><table><thead><tr><th>${escapeHtml(column)}</th><th class="num">Drops</th><th class="num">%</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function totalsSection(context: Context): string {
  const { report } = context;
  const parts: string[] = [];
  const first = report.traces[0];
  const tiles = [
    tile(
      `<span data-total-events="${report.combined.events}">${formatCount(report.combined.events)}</span>`,
      report.filter ? 'drops passing the filter' : 'drops',
    ),
  ];
  if (!context.multi && first) {
    tiles.push(
      tile(
        first.dropsPerSecond === null ? '—' : escapeHtml(formatRate(first.dropsPerSecond)),
        'drops per second, averaged over the span',
      ),
      tile(first.span ? escapeHtml(formatDuration(first.span.durationNs)) : '—', 'time span'),
    );
  }
  tiles.push(
    tile(formatCount(report.combined.reasons.length), 'distinct reasons'),
    tile(formatCount(report.combined.locations.length), 'distinct locations'),
  );
  parts.push(`<div class="tiles">${tiles.join('')}</div>`);
  if (context.multi) {
    const rows = report.traces
      .map(
        (trace) =>
          `<tr data-trace-file="${attr(trace.file)}" data-events="${trace.totals.events}"><td class="text"><code>${escapeHtml(baseName(trace.file))}</code></td><td>${escapeHtml(trace.meta.hostname ?? '—')}</td><td class="num">${formatCount(trace.totals.events)}</td><td class="num">${formatPercent(report.combined.events > 0 ? (100 * trace.totals.events) / report.combined.events : 0)}</td><td class="num">${trace.span ? escapeHtml(formatDuration(trace.span.durationNs)) : '—'}</td><td class="num">${trace.dropsPerSecond === null ? '—' : escapeHtml(formatRate(trace.dropsPerSecond))}</td></tr>`,
      )
      .join('');
    parts.push(
      `<table><thead><tr><th>File</th><th>Host</th><th class="num">Drops</th><th class="num">% of all</th><th class="num">Span</th><th class="num">Drops/s</th></tr></thead><tbody>${rows}</tbody></table>`,
      '<p class="muted">Each file keeps its own clock, so rates and time spans are given per file.</p>',
    );
  }
  for (const trace of report.traces) {
    if (context.multi) parts.push(traceHeading(context, trace));
    parts.push(
      `<div class="side">${countTable('By protocol', 'Protocol', trace.protocols, 'protocol')}${countTable(
        'By task on the CPU (comm)',
        'Task',
        trace.comms,
        'comm',
      )}</div>`,
    );
    if (trace.comms.length > 0)
      parts.push(
        '<p class="muted">The task is whatever ran on the CPU when the packet was freed; drops in softirq context often show an unrelated task or a kernel thread.</p>',
      );
    if (trace.meta.lostEvents)
      parts.push(
        `<p class="warn">The tracer reported <strong>${formatCount(trace.meta.lostEvents)}</strong> lost events: the real number of drops is higher than counted here.</p>`,
      );
    if (trace.aggregates.drops > 0) {
      const entries = Object.entries(trace.aggregates.locations)
        .sort((a, b) => b[1] - a[1])
        .slice(0, REPORT_TABLE_ROWS)
        .map(([key, count]) => ({ key, count, percent: (100 * count) / trace.aggregates.drops }));
      parts.push(
        `<p class="note">dropwatch also printed summary lines counting <strong data-aggregated-drops="${trace.aggregates.drops}">${formatCount(trace.aggregates.drops)}</strong> drops by location. These are the tool's own counts, not individual events, and are not included in the figures above.</p>`,
        `<div class="side">${countTable('dropwatch summary counts', 'Location', entries, 'aggregate-location')}</div>`,
      );
    }
  }
  return parts.join('\n');
}

function timelineSection(context: Context): string {
  return context.report.traces
    .map((trace, index) => {
      const heading = traceHeading(context, trace);
      const timeline = trace.timeline;
      if (!timeline || !trace.span)
        return `${heading}<p class="note">This trace has no timestamps, so there is no timeline.</p>`;
      const named = timeline.series.filter((s) => !s.isOther).length;
      const caption = `Drops per ${formatDuration(timeline.bucketNs)} over ${formatDuration(trace.span.durationNs)}, stacked by reason (the ${named} most frequent${
        timeline.series.some((s) => s.isOther) ? '; the rest as “other reasons”' : ''
      }). Time 0 is the first drop, at ${(timeline.startNs / 1e9).toFixed(6)} s on the tracer's clock.`;
      const untimed =
        timeline.outside > 0
          ? `<p class="muted">${formatCount(timeline.outside)} drops without a timestamp are not drawn.</p>`
          : '';
      return `${heading}<figure>${timelineSvg(timeline, `timeline-${index + 1}`, caption)}<figcaption>${escapeHtml(caption)}</figcaption></figure>${untimed}`;
    })
    .join('\n');
}

function perTraceHeaders(context: Context): string {
  return context.multi
    ? context.report.traces
        .map(
          (trace) =>
            `<th class="num file" title="${attr(trace.file)}">${escapeHtml(baseName(trace.file))}</th>`,
        )
        .join('')
    : '';
}

function perTraceCells(context: Context, entry: CombinedCount): string {
  return context.multi
    ? entry.perTrace.map((count) => `<td class="num">${formatCount(count)}</td>`).join('')
    : '';
}

function restRow(
  context: Context,
  rest: readonly CombinedCount[],
  what: string,
  columns: number,
): string {
  if (rest.length === 0) return '';
  const count = rest.reduce((sum, e) => sum + e.count, 0);
  const percent = rest.reduce((sum, e) => sum + e.percent, 0);
  const perTrace = context.multi
    ? context.report.traces
        .map(
          (_, i) =>
            `<td class="num">${formatCount(rest.reduce((sum, e) => sum + (e.perTrace[i] ?? 0), 0))}</td>`,
        )
        .join('')
    : '';
  return `<tr class="rest" data-rest="${rest.length}" data-count="${count}"><td colspan="${columns}">${formatCount(rest.length)} more ${what}</td><td class="num">${formatCount(count)}</td><td class="num">${formatPercent(percent)}</td>${perTrace}</tr>`;
}

function reasonsSection(context: Context): string {
  const { report } = context;
  const reasons = report.combined.reasons;
  if (reasons.length === 0) return noDrops(context);
  const barsShown = reasons.slice(0, REPORT_CHART_BARS);
  const caption = `The ${barsShown.length} most frequent reasons of ${formatCount(reasons.length)}, coloured by category; each bar is labelled with its drops, share and category.`;
  const chart = `<figure>${reasonBarsSvg(barsShown, (name) => context.reasonInfo.get(name), 'reasons-chart', caption)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  const rows = reasons
    .slice(0, REPORT_TABLE_ROWS)
    .map((reason, index) => {
      const info = context.reasonInfo.get(reason.key);
      const anchor = context.anchors.get(reason.key) ?? '';
      return `<tr data-reason="${attr(reason.key)}" data-count="${reason.count}"><td class="num">${index + 1}</td><td class="text"><a href="#${anchor}"><code>${escapeHtml(reason.key)}</code></a></td><td>${categoryCell(info?.category ?? 'other')}</td><td class="num">${formatCount(reason.count)}</td><td class="num">${formatPercent(reason.percent)}</td>${perTraceCells(context, reason)}</tr>`;
    })
    .join('');
  const table = `<table class="long"><thead><tr><th class="num">#</th><th>Reason</th><th>Category</th><th class="num">Drops</th><th class="num">%</th>${perTraceHeaders(context)}</tr></thead><tbody>${rows}${restRow(context, reasons.slice(REPORT_TABLE_ROWS), 'reasons (all listed in section 7)', 3)}</tbody></table>`;
  return `${chart}\n${table}`;
}

function locationsSection(context: Context): string {
  const locations = context.report.combined.locations;
  if (locations.length === 0) return noDrops(context);
  const rows = locations
    .slice(0, REPORT_TABLE_ROWS)
    .map(
      (location, index) =>
        `<tr data-location="${attr(location.key)}" data-count="${location.count}"><td class="num">${index + 1}</td><td class="loc"><code>${escapeHtml(location.key)}</code></td><td class="num">${formatCount(location.count)}</td><td class="num">${formatPercent(location.percent)}</td>${perTraceCells(context, location)}</tr>`,
    )
    .join('');
  return `<p class="muted">The kernel function (and offset) that freed the packet.</p><table class="long"><thead><tr><th class="num">#</th><th>Location</th><th class="num">Drops</th><th class="num">%</th>${perTraceHeaders(context)}</tr></thead><tbody>${rows}${restRow(context, locations.slice(REPORT_TABLE_ROWS), 'locations', 2)}</tbody></table>`;
}

function breakdownSection(context: Context): string {
  return context.report.traces
    .map((trace) => {
      const heading = traceHeading(context, trace);
      const cells = trace.breakdown.cells;
      if (cells.length === 0) return `${heading}${noDrops(context)}`;
      const covered = cells.reduce((sum, cell) => sum + cell.count, 0);
      const lead =
        trace.breakdown.totalCells > cells.length
          ? `The ${cells.length} largest of ${formatCount(trace.breakdown.totalCells)} reason × location combinations, covering ${formatCount(covered)} drops (${formatPercent(trace.totals.events > 0 ? (100 * covered) / trace.totals.events : 0)}).`
          : `All ${cells.length} reason × location combinations.`;
      const rows = cells
        .map(
          (cell) =>
            `<tr data-reason="${attr(cell.reason)}" data-location="${attr(cell.location)}" data-count="${cell.count}"><td class="text"><a href="#${context.anchors.get(cell.reason) ?? ''}"><code>${escapeHtml(cell.reason)}</code></a></td><td class="loc"><code>${escapeHtml(cell.location)}</code></td><td class="num">${formatCount(cell.count)}</td><td class="num">${formatPercent(cell.percent)}</td></tr>`,
        )
        .join('');
      return `${heading}<p class="muted">${escapeHtml(lead)}</p><table class="long breakdown" data-trace-file="${attr(trace.file)}"><thead><tr><th>Reason</th><th>Location</th><th class="num">Drops</th><th class="num">%</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('\n');
}

function explanationsSection(context: Context): string {
  const reasons = context.report.combined.reasons;
  if (reasons.length === 0) return noDrops(context);
  return reasons
    .map((reason) => {
      const info = context.reasonInfo.get(reason.key);
      const category = categoryInfo(info?.category ?? 'other');
      const unknown =
        info && !info.known ? ' <span class="muted">(not in Dropscope’s catalogue)</span>' : '';
      return `<article class="reason" id="${context.anchors.get(reason.key) ?? ''}" data-explains="${attr(reason.key)}" data-count="${reason.count}" style="--c:${category.colour}"><h3><code>${escapeHtml(reason.key)}</code> <span class="figures">${formatCount(reason.count)} drops · ${formatPercent(reason.percent)} · ${escapeHtml(category.label)}</span>${unknown}</h3><p class="meaning">${withCode(info?.summary ?? '')}</p><p class="next"><strong>What to check next:</strong> ${withCode(info?.nextSteps ?? '')}</p></article>`;
    })
    .join('\n');
}

function qualitySection(context: Context): string {
  return context.report.traces
    .map((trace) => {
      const parts: string[] = [traceHeading(context, trace)];
      const skipped = trace.skipped;
      if (skipped.lines === 0) {
        parts.push('<p data-skipped-lines="0">No input line was skipped: every line was read.</p>');
      } else {
        parts.push(
          `<p class="warn" data-skipped-lines="${skipped.lines}"><strong>${formatCount(skipped.lines)}</strong> input line${skipped.lines === 1 ? ' was' : 's were'} skipped because they could not be read as drop events${
            skipped.examples.length < skipped.lines
              ? `; the first ${skipped.examples.length} are shown`
              : ''
          }. Drops on those lines, if any, are not counted.</p>`,
        );
        if (skipped.examples.length > 0) {
          const rows = skipped.examples
            .map(
              (example) =>
                `<tr data-line="${example.line}"><td class="num">${example.line}</td><td>${escapeHtml(example.why)}</td><td class="text"><code>${escapeHtml(
                  example.text.length > SKIPPED_TEXT_CHARS
                    ? `${example.text.slice(0, SKIPPED_TEXT_CHARS)}…`
                    : example.text,
                )}</code></td></tr>`,
            )
            .join('');
          parts.push(
            `<table class="long"><thead><tr><th class="num">Line</th><th>Why</th><th>Text</th></tr></thead><tbody>${rows}</tbody></table>`,
          );
        }
      }
      if (trace.warnings.length === 0) {
        parts.push('<p data-warnings="0">Decoding raised no warning.</p>');
      } else {
        parts.push(
          `<p data-warnings="${trace.warnings.length}">Decoding warnings:</p><ul>${trace.warnings
            .map((warning) => `<li class="warn">${escapeHtml(warning)}</li>`)
            .join('')}</ul>`,
        );
      }
      if (trace.kernel.source === 'best-guess')
        parts.push(
          '<p class="warn">Reason numbers were decoded with a guessed kernel table. Make the report again with <code>--kernel RELEASE</code> (the traced machine’s <code>uname -r</code>) to be sure of the reason names.</p>',
        );
      return parts.join('');
    })
    .join('\n');
}

function filterSection(context: Context): string {
  const { report } = context;
  const before = report.traces.reduce((sum, trace) => sum + trace.totals.eventsInTrace, 0);
  if (!report.filter)
    return `<p data-filter="">No filter: every one of the <span data-events-in-trace="${before}">${formatCount(before)}</span> drops in the trace${context.multi ? 's' : ''} is counted.</p>`;
  return `<pre class="filter" data-filter="${attr(report.filter)}">${escapeHtml(report.filter)}</pre><p>Every figure in this report counts only the drops that pass this filter: <span data-total-events="${report.combined.events}">${formatCount(report.combined.events)}</span> of the <span data-events-in-trace="${before}">${formatCount(before)}</span> drops in the trace${context.multi ? 's' : ''}. Skipped lines and warnings concern the whole file.</p>`;
}
