import { BreakdownCsvReportExporter } from './BreakdownCsvReportExporter';
import { CsvReportExporter } from './CsvReportExporter';
import { JsonlReportExporter } from './JsonlReportExporter';
import type { ReportExporter } from './ReportExporter';

export type { ExportInput, ReportExporter } from './ReportExporter';
export { CsvReportExporter } from './CsvReportExporter';
export { JsonlReportExporter } from './JsonlReportExporter';
export { BreakdownCsvReportExporter, BREAKDOWN_CSV_COLUMNS } from './BreakdownCsvReportExporter';

/** Data exporters by `--to` name. */
export const DATA_EXPORTERS: readonly ReportExporter[] = [
  new JsonlReportExporter(),
  new CsvReportExporter(),
  new BreakdownCsvReportExporter(),
];

/** The exporter for a `--to` name, or null. */
export function exporterFor(name: string): ReportExporter | null {
  return DATA_EXPORTERS.find((exporter) => exporter.name === name) ?? null;
}
export { normalizedRecord } from './normalizedRows';

export {
  BREAKDOWN_CELLS,
  REPORT_DROPSCOPE_VERSION,
  SIDE_TABLE_ROWS,
  TIMELINE_REASON_SERIES,
  TIMELINE_TARGET_BUCKETS,
} from './ReportData';
export type {
  CombinedCount,
  ReportBreakdownCell,
  ReportCount,
  ReportData,
  ReportDocument,
  ReportReason,
  ReportTimeline,
  ReportTimelineSeries,
} from './ReportData';
export { assembleReport } from './assembleReport';
export { niceStep } from './reportText';
export { REPORT_FORMATS, reportFormatOfFile } from './ReportRenderer';
export type { ReportFormat, ReportRenderer } from './ReportRenderer';
export { HtmlReportRenderer } from './HtmlReportRenderer';
export { MarkdownReportRenderer } from './MarkdownReportRenderer';
export { PdfReportRenderer, chromiumHtmlToPdf, CHROMIUM_ARGS } from './PdfReportRenderer';
export type { HtmlToPdf } from './PdfReportRenderer';
export { findChromium, NO_CHROMIUM_MESSAGE } from './findChromium';
