/**
 * `dropscope report FILE… [options] -o report.html|report.pdf|report.md`: a report a customer can
 * read without Dropscope — self-contained HTML, the same printed to PDF by a headless Chromium,
 * or a short Markdown summary for a ticket. Several files make one report (combined reason and
 * location counts with a column per file; timeline, breakdown and data quality per file).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  assembleReport,
  buildReportData,
  chromiumHtmlToPdf,
  findChromium,
  HtmlReportRenderer,
  MarkdownReportRenderer,
  PdfReportRenderer,
  REPORT_FORMATS,
  reportFormatOfFile,
  TraceQueries,
  type ReportFormat,
  type ReportRenderer,
} from '../../engine';
import { assertNever } from '../../../shared/util';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, filterText, READ_OPTIONS } from '../loadOptions';

function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The output format: `--format-out`, else the output file's extension. */
function outputFormat(output: string | undefined, formatOut: string | undefined): ReportFormat {
  if (formatOut !== undefined) {
    if (!isReportFormat(formatOut))
      throw new UsageError(`--format-out takes ${REPORT_FORMATS.join('|')}, not "${formatOut}"`);
    return formatOut;
  }
  if (output === undefined)
    throw new UsageError('report needs -o report.html|report.pdf|report.md (or --format-out)');
  const format = reportFormatOfFile(output);
  if (!format)
    throw new UsageError(
      `cannot tell the report format from "${output}": name it .html, .pdf or .md, or give --format-out`,
    );
  return format;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...READ_OPTIONS,
      output: { type: 'string', short: 'o' },
      'format-out': { type: 'string' },
      title: { type: 'string' },
    },
    allowPositionals: true,
  });
  const output = values.output;
  const format = outputFormat(output, values['format-out']);
  if (format === 'pdf' && output === undefined)
    throw new UsageError('a PDF report needs -o FILE.pdf');

  let renderer: ReportRenderer;
  switch (format) {
    case 'html':
      renderer = new HtmlReportRenderer();
      break;
    case 'md':
      renderer = new MarkdownReportRenderer();
      break;
    case 'pdf': {
      // Before reading any file: say at once when the PDF cannot be made.
      const chromium = findChromium();
      if (!chromium.ok) {
        io.stderr.write(`dropscope: ${chromium.error}\n`);
        return EXIT.unreadable;
      }
      renderer = new PdfReportRenderer(chromiumHtmlToPdf(chromium.value));
      break;
    }
    default:
      return assertNever(format);
  }

  const { loaded, failed } = await loadTraces(positionals, values, io);
  if (failed > 0 || loaded.length === 0) {
    io.stderr.write(
      `dropscope: no report written: ${failed} of ${positionals.length} file${positionals.length === 1 ? '' : 's'} could not be read\n`,
    );
    return EXIT.unreadable;
  }
  const text = filterText(values);
  const traces = loaded.map((trace) =>
    buildReportData(trace, filterSpecFor(values, trace), text, {
      queries: new TraceQueries(trace.store),
    }),
  );
  const report = assembleReport(traces, values.title);

  let content: string | Uint8Array;
  try {
    content = await renderer.render(report);
  } catch (error) {
    // Only the PDF renderer can fail (Chromium would not start or crashed).
    io.stderr.write(
      `dropscope: PDF output failed: ${(error as Error).message.split('\n')[0] ?? ''}; the HTML report renders the same content\n`,
    );
    return EXIT.unreadable;
  }
  if (output === undefined) {
    io.stdout.write(content);
    return EXIT.ok;
  }
  try {
    await writeFile(output, content);
  } catch (error) {
    io.stderr.write(`dropscope: ${output}: cannot write: ${(error as Error).message}\n`);
    return EXIT.unreadable;
  }
  io.stderr.write(
    `dropscope: wrote ${output} (${format}, ${report.combined.events} drops from ${traces.length} file${traces.length === 1 ? '' : 's'})\n`,
  );
  return EXIT.ok;
}

/** The report command. */
export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report FILE… [options] [--title TEXT] -o OUT.html|OUT.pdf|OUT.md',
  summary: 'a report to send: self-contained HTML, PDF (headless Chromium) or a Markdown summary',
  run,
};
