/**
 * `report:export` in the engine: writes one view (a trace under a filter) to a file, streaming
 * data exports from the store in batches (a 10-million-event CSV is never built in memory) and
 * rendering reports (HTML, Markdown) from `buildReportData`. PDF is not made here: the host prints
 * the HTML report (Electron's printToPDF or headless Chromium), so the engine stays free of both.
 */
import { open, stat, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { PushEvents, RequestOf } from '../../shared/contract';
import type { LoadedTrace } from '../ingest';
import { assembleReport, exporterFor, HtmlReportRenderer, MarkdownReportRenderer } from '../report';
import type { TraceQueries } from '../store';
import { buildReportData } from './buildReportData';
import { normalizedSourceOf } from './summarizeTrace';

/** Progress events are sent at most this often (plus the final one). */
const PROGRESS_INTERVAL_MS = 100;

/** What an export wrote. */
export interface ExportWritten {
  path: string;
  bytes: number;
  rows?: number;
}

/** A failure meant for the user (the caller wraps it as its own error type). */
export class ExportError extends Error {}

/**
 * Writes `request`'s view of `trace` to `request.path` (already chosen and vetted by the caller).
 * `progress` receives `report:exportProgress` payloads. O(selected events).
 */
export async function exportView(
  trace: LoadedTrace,
  queries: TraceQueries,
  request: RequestOf<'report:export'>,
  progress: (payload: PushEvents['report:exportProgress']) => void,
): Promise<ExportWritten> {
  try {
    return await writeView(trace, queries, request, progress);
  } catch (error) {
    // A file that cannot be written (no such folder, no permission, disk full) is the user's to fix.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (typeof code === 'string')
      throw new ExportError(`${request.path ?? ''}: cannot write: ${(error as Error).message}`);
    throw error;
  }
}

async function writeView(
  trace: LoadedTrace,
  queries: TraceQueries,
  request: RequestOf<'report:export'>,
  progress: (payload: PushEvents['report:exportProgress']) => void,
): Promise<ExportWritten> {
  const path = request.path;
  if (!path) throw new ExportError('report:export needs the path to write to');
  const { exportId, filter, filterText } = request;
  const total = queries.select(filter).length;
  if (request.format === 'html' || request.format === 'md') {
    progress({ exportId, rows: 0, total, done: false });
    const data = buildReportData(trace, filter, filterText, { queries });
    const report = assembleReport([data]);
    const renderer =
      request.format === 'html' ? new HtmlReportRenderer() : new MarkdownReportRenderer();
    await writeFile(path, await renderer.render(report));
    progress({ exportId, rows: total, total, done: true });
    return { path, bytes: (await stat(path)).size };
  }
  if (request.format === 'pdf')
    throw new ExportError('a PDF is printed by the host from the HTML report');
  const exporter = exporterFor(request.format);
  if (!exporter) throw new ExportError(`no exporter for ${request.format}`);
  const selection = queries.select(filter);
  // Opened first, so a path that cannot be written fails here as a rejected promise.
  const out = (await open(path, 'w')).createWriteStream();
  // Write errors surface through `finished` below; without a listener they would crash the thread.
  out.on('error', () => undefined);
  let lastSent = 0;
  let rows = 0;
  try {
    progress({ exportId, rows: 0, total, done: false });
    await exporter.write(
      { store: trace.store, selection, source: normalizedSourceOf(trace, filterText) },
      out,
      (written) => {
        rows = written;
        const now = Date.now();
        if (now - lastSent < PROGRESS_INTERVAL_MS) return;
        lastSent = now;
        progress({ exportId, rows: written, total, done: false });
      },
    );
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  // The breakdown writes table rows, not events: its count is its own.
  const written = request.format === 'breakdown-csv' ? rows : selection.length;
  progress({ exportId, rows: total, total, done: true });
  return { path, bytes: (await stat(path)).size, rows: written };
}
