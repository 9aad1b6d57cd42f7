/**
 * `dropscope summary FILE…`: counts per reason, location and protocol, the kernel and decoding
 * source, skipped lines and warnings; `--json` prints the TraceSummary object (an array for
 * several files).
 */
import { parseArgs } from 'node:util';
import { summarizeTrace } from '../../engine';
import { EXIT, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { formatSummary } from '../formatSummary';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, READ_OPTIONS } from '../loadOptions';

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const { loaded, failed } = await loadTraces(positionals, values, io);
  const summaries = loaded.map((trace) => summarizeTrace(trace, filterSpecFor(values, trace)));
  if (values.json) {
    const payload = positionals.length === 1 ? (summaries[0] ?? null) : summaries;
    if (payload !== null) io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    summaries.forEach((summary, i) =>
      io.stdout.write(
        `${i > 0 ? '\n' : ''}${formatSummary(summary, loaded[i]?.formatLabel ?? '')}`,
      ),
    );
  }
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

/** The summary command. */
export const summaryCommand: CliCommand = {
  name: 'summary',
  usage: 'summary FILE… [options] [--json]',
  summary: 'counts per reason, location and protocol; kernel and decoding source; skipped lines',
  run,
};
