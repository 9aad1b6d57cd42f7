import { CsvReportExporter } from './CsvReportExporter';
import { JsonlReportExporter } from './JsonlReportExporter';
import type { ReportExporter } from './ReportExporter';

export type { ExportInput, ReportExporter } from './ReportExporter';
export { CsvReportExporter } from './CsvReportExporter';
export { JsonlReportExporter } from './JsonlReportExporter';

/** Data exporters by `--to` name. */
export const DATA_EXPORTERS: readonly ReportExporter[] = [
  new JsonlReportExporter(),
  new CsvReportExporter(),
];

/** The exporter for a `--to` name, or null. */
export function exporterFor(name: string): ReportExporter | null {
  return DATA_EXPORTERS.find((exporter) => exporter.name === name) ?? null;
}
export { normalizedRecord } from './normalizedRows';
