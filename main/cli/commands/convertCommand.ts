/**
 * `dropscope convert FILE --to jsonl|csv [-o OUT]`: writes Dropscope's normalized format (of the
 * filtered events), which Dropscope reads back with the same counts.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { DATA_EXPORTERS, exporterFor, normalizedSourceOf, TraceQueries } from '../../engine';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, filterText, READ_OPTIONS } from '../loadOptions';

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, to: { type: 'string' }, output: { type: 'string', short: 'o' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('convert takes exactly one trace file');
  const exporter = exporterFor(String(values.to ?? ''));
  if (!exporter) {
    throw new UsageError(`convert needs --to ${DATA_EXPORTERS.map((e) => e.name).join('|')}`);
  }
  const { loaded, failed } = await loadTraces(positionals, values, io);
  const trace = loaded[0];
  if (!trace || failed > 0) return EXIT.unreadable;
  const queries = new TraceQueries(trace.store);
  const selection = queries.select(filterSpecFor(values, trace));
  const out = typeof values.output === 'string' ? createWriteStream(values.output) : io.stdout;
  await exporter.write(
    { store: trace.store, selection, source: normalizedSourceOf(trace, filterText(values)) },
    out,
  );
  if (out !== io.stdout) {
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.end(resolve);
    });
    io.stderr.write(`dropscope: wrote ${selection.length} events to ${String(values.output)}\n`);
  }
  return EXIT.ok;
}

/** The convert command. */
export const convertCommand: CliCommand = {
  name: 'convert',
  usage: 'convert FILE --to jsonl|csv [-o OUT] [options]',
  summary: "write Dropscope's normalized format (JSON lines or CSV) of the filtered events",
  run,
};
