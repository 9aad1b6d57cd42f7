/**
 * Exports the reason × location table of a selection as plain CSV, for spreadsheets:
 * `reason,location,count,percent_of_total`, largest cell first, one row per non-empty cell.
 */
import type { Writable } from 'node:stream';
import { countByPair } from '../store';
import { csvCell } from './normalizedRows';
import {
  EXPORT_BATCH_ROWS,
  writeWithBackpressure,
  type ExportInput,
  type ReportExporter,
} from './ReportExporter';

/** The header row of the breakdown CSV. */
export const BREAKDOWN_CSV_COLUMNS = ['reason', 'location', 'count', 'percent_of_total'] as const;

/** Reason × location counts as CSV (`--to breakdown-csv`). */
export class BreakdownCsvReportExporter implements ReportExporter {
  readonly name = 'breakdown-csv';
  readonly extension = 'csv';

  /**
   * Counts the selection once (O(selection), memory O(cells)), then writes the cells in batches.
   * `percent_of_total` is the share of the selection, with 3 decimals. `onProgress` gets cells
   * written.
   */
  async write(
    input: ExportInput,
    out: Writable,
    onProgress?: (rows: number) => void,
  ): Promise<void> {
    const { store, selection } = input;
    const cross = countByPair(store, selection, 'reason', 'location');
    const total = selection.length;
    await writeWithBackpressure(out, `${BREAKDOWN_CSV_COLUMNS.join(',')}\n`);
    const cells = cross.entries;
    for (let start = 0; start < cells.length; start += EXPORT_BATCH_ROWS) {
      const end = Math.min(cells.length, start + EXPORT_BATCH_ROWS);
      let batch = '';
      for (let i = start; i < end; i++) {
        const cell = cells[i];
        if (!cell) continue;
        const percent = total > 0 ? ((100 * cell.count) / total).toFixed(3) : '0.000';
        batch += `${csvCell(cell.a)},${csvCell(cell.b)},${cell.count},${percent}\n`;
      }
      await writeWithBackpressure(out, batch);
      onProgress?.(end);
    }
  }
}
