/**
 * `dropscope events FILE…`: the drops that pass the filters, one per line (JSON lines with --json).
 */
import { parseArgs } from 'node:util';
import { formatSeconds } from '../../../shared/time';
import { normalizedRecord, TraceQueries } from '../../engine';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, READ_OPTIONS } from '../loadOptions';

function eventLine(row: ReturnType<typeof normalizedRecord>, originNs: number): string {
  const t = typeof row.time_ns === 'number' ? formatSeconds(row.time_ns - originNs) : '-';
  const cells = [
    t.padStart(12),
    `[${row.cpu ?? '-'}]`,
    String(row.pid ?? '-').padStart(7),
    String(row.comm ?? '-').padEnd(16),
    String(row.skbaddr ?? '-'),
    String(row.protocol_name ?? (row.protocol === null ? '-' : row.protocol)),
    String(row.location ?? '-'),
    String(row.reason ?? '-'),
  ];
  return cells.join(' ');
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string' } },
    allowPositionals: true,
  });
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit >= 0)) throw new UsageError(`--limit takes a count, not "${String(values.limit)}"`);
  const { loaded, failed } = await loadTraces(positionals, values, io);
  for (const trace of loaded) {
    const queries = new TraceQueries(trace.store);
    const selection = queries.select(filterSpecFor(values, trace));
    const origin = trace.store.timeBounds?.firstNs ?? 0;
    const count = Math.min(selection.length, limit === 0 ? selection.length : limit);
    if (!values.json)
      io.stdout.write(
        `# ${trace.file}: ${selection.length} events${count < selection.length ? ` (showing ${count})` : ''}; time relative to ${formatSeconds(origin)} s\n`,
      );
    const batch = 2048;
    for (let start = 0; start < count; start += batch) {
      let text = '';
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const record = normalizedRecord(trace.store.row(selection[i] as number));
        text += values.json
          ? `${JSON.stringify({ file: trace.file, ...record })}\n`
          : `${eventLine(record, origin)}\n`;
      }
      if (!io.stdout.write(text)) await new Promise((resolve) => io.stdout.once('drain', resolve));
    }
  }
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

/** The events command. */
export const eventsCommand: CliCommand = {
  name: 'events',
  usage: 'events FILE… [options] [--limit N] [--json]',
  summary: 'list the drops that pass the filters (JSON lines with --json)',
  run,
};
