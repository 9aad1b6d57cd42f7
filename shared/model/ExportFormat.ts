/**
 * What the app can export of the current view: three reports (HTML, PDF, Markdown) and three data
 * exports (CSV, JSON lines, the reason × location table as CSV).
 */

/** The export formats, in menu order. */
export const EXPORT_FORMATS = ['html', 'pdf', 'md', 'csv', 'jsonl', 'breakdown-csv'] as const;

/** A name of `EXPORT_FORMATS`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How each format reads in menus, and the file extension it is saved with. */
export const EXPORT_FORMAT_INFO: Readonly<
  Record<ExportFormat, { label: string; extension: string; isReport: boolean }>
> = {
  html: { label: 'HTML report', extension: 'html', isReport: true },
  pdf: { label: 'PDF report', extension: 'pdf', isReport: true },
  md: { label: 'Markdown summary', extension: 'md', isReport: true },
  csv: { label: 'CSV', extension: 'csv', isReport: false },
  jsonl: { label: 'JSON lines', extension: 'jsonl', isReport: false },
  'breakdown-csv': { label: 'Reason × location CSV', extension: 'csv', isReport: false },
};

/** The default file name of an export of `traceName` (its extension replaced). */
export function exportFileName(traceName: string, format: ExportFormat): string {
  const stem = traceName.replace(/\.(txt|log|out|trace|json|jsonl|csv|gz|zst|xz|data|dat)$/i, '');
  const suffix = format === 'breakdown-csv' ? '-breakdown' : format === 'md' ? '-summary' : '';
  const kind = EXPORT_FORMAT_INFO[format].isReport && format !== 'md' ? '-report' : '';
  return `${stem || 'dropscope'}${kind}${suffix}.${EXPORT_FORMAT_INFO[format].extension}`;
}
