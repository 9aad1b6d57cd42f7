/**
 * Exports events as Dropscope JSON lines: a header object, then one object per event. Read back
 * by the `dropscope-jsonl` parser.
 */
import type { Writable } from 'node:stream';
import { normalizedHeader, normalizedRecord } from './normalizedRows';
import {
  EXPORT_BATCH_ROWS,
  writeWithBackpressure,
  type ExportInput,
  type ReportExporter,
} from './ReportExporter';

/** JSON lines in Dropscope's normalized keys. */
export class JsonlReportExporter implements ReportExporter {
  readonly name = 'jsonl';
  readonly extension = 'jsonl';

  async write(
    input: ExportInput,
    out: Writable,
    onProgress?: (rows: number) => void,
  ): Promise<void> {
    await writeWithBackpressure(out, `${JSON.stringify(normalizedHeader(input.source))}\n`);
    const { store, selection } = input;
    for (let start = 0; start < selection.length; start += EXPORT_BATCH_ROWS) {
      const end = Math.min(selection.length, start + EXPORT_BATCH_ROWS);
      let batch = '';
      for (let i = start; i < end; i++)
        batch += `${JSON.stringify(normalizedRecord(store.row(selection[i] as number)))}\n`;
      await writeWithBackpressure(out, batch);
      onProgress?.(end);
    }
  }
}
