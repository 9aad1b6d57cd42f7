/**
 * `dropscope filter FILE… -Y EXPR -o OUT`: cut a capture down to the matching events (like
 * `tshark -r big -Y expr -w small`), in Dropscope's JSON lines, keeping what the source said
 * about itself. `dropscope summary OUT` then gives exactly the filtered counts.
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { exporterFor, normalizedSourceOf, TraceQueries } from '../../engine';
import { EXIT, UsageError, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, filterText, READ_OPTIONS } from '../loadOptions';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, output: { type: 'string', short: 'o' }, to: { type: 'string' } },
    allowPositionals: true,
  });
  if (typeof values.output !== 'string')
    throw new UsageError('filter needs -o OUT (a file, or a folder for several inputs)');
  const text = filterText(values);
  if (text === null)
    throw new UsageError('filter needs a filter: -Y EXPR (or --reason, --protocol …)');
  const exporter = exporterFor(typeof values.to === 'string' ? values.to : 'jsonl');
  if (!exporter || (exporter.name !== 'jsonl' && exporter.name !== 'csv')) {
    throw new UsageError("filter writes Dropscope's own format: --to jsonl (default) or --to csv");
  }
  const several = positionals.length > 1;
  if (several) mkdirSync(values.output, { recursive: true });
  else if (isDirectory(values.output))
    throw new UsageError(`${values.output} is a folder; give a file name for one input`);
  const { loaded, failed } = await loadTraces(positionals, values, io);
  for (const trace of loaded) {
    const selection = new TraceQueries(trace.store).select(filterSpecFor(values, trace));
    const target = several
      ? join(values.output, `${basename(trace.file)}.${exporter.extension}`)
      : values.output;
    const out = createWriteStream(target);
    await exporter.write(
      { store: trace.store, selection, source: normalizedSourceOf(trace, text) },
      out,
    );
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.end(resolve);
    });
    io.stderr.write(
      `dropscope: ${trace.file}: wrote ${selection.length} of ${trace.store.length} events to ${target}\n`,
    );
  }
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

/** The filter command. */
export const filterCommand: CliCommand = {
  name: 'filter',
  usage: 'filter FILE… -Y EXPR -o OUT [--to jsonl|csv]',
  summary: "write only the matching events, in Dropscope's format, keeping the source's header",
  run,
};
