/**
 * Exports events as Dropscope CSV: a `# dropscope: {header}` comment line, the column header,
 * then one row per event. Read back by the `dropscope-csv` parser.
 */
import type { Writable } from 'node:stream';
import { NORMALIZED_COLUMNS } from '../../shared/model';
import { csvCell, normalizedHeader, normalizedRecord } from './normalizedRows';
import {
  EXPORT_BATCH_ROWS,
  writeWithBackpressure,
  type ExportInput,
  type ReportExporter,
} from './ReportExporter';

/** CSV in Dropscope's normalized columns. */
export class CsvReportExporter implements ReportExporter {
  readonly name = 'csv';
  readonly extension = 'csv';

  async write(
    input: ExportInput,
    out: Writable,
    onProgress?: (rows: number) => void,
  ): Promise<void> {
    await writeWithBackpressure(
      out,
      `# dropscope: ${JSON.stringify(normalizedHeader(input.source))}\n`,
    );
    await writeWithBackpressure(out, `${NORMALIZED_COLUMNS.join(',')}\n`);
    const { store, selection } = input;
    for (let start = 0; start < selection.length; start += EXPORT_BATCH_ROWS) {
      const end = Math.min(selection.length, start + EXPORT_BATCH_ROWS);
      let batch = '';
      for (let i = start; i < end; i++) {
        const record = normalizedRecord(store.row(selection[i] as number));
        batch += `${NORMALIZED_COLUMNS.map((column) => csvCell(record[column])).join(',')}\n`;
      }
      await writeWithBackpressure(out, batch);
      onProgress?.(end);
    }
  }
}
