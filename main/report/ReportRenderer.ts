/**
 * The contract of a report renderer: a `ReportDocument` in, one file's content out.
 */
import type { ReportDocument } from './ReportData';

/** The report formats (`-o report.html|report.pdf|report.md`). */
export const REPORT_FORMATS = ['html', 'pdf', 'md'] as const;

/** A name of `REPORT_FORMATS`. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Turns a report document into the content of one file. */
export interface ReportRenderer {
  readonly format: ReportFormat;
  /** File extension, without the dot. */
  readonly extension: string;
  /** Text for HTML and Markdown, bytes for PDF. Never touches the file system. */
  render(report: ReportDocument): Promise<string | Uint8Array>;
}

/** The report format of an output file name (by extension), or null. */
export function reportFormatOfFile(file: string): ReportFormat | null {
  const match = /\.([a-z]+)$/i.exec(file);
  const extension = match?.[1]?.toLowerCase();
  if (extension === 'html' || extension === 'htm') return 'html';
  if (extension === 'pdf') return 'pdf';
  if (extension === 'md' || extension === 'markdown') return 'md';
  return null;
}
