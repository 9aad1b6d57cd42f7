/**
 * Loads the trace files of a reading command, reporting problems on stderr with file and line.
 */
import { readTrace, type LoadedTrace } from '../engine';
import { UsageError, type CliIo } from './CliIo';
import { checkFilterFlags, readOptions, type ReadValues } from './loadOptions';

/** Loads every file; failures are reported and counted, never thrown. */
export async function loadTraces(
  files: readonly string[],
  values: ReadValues,
  io: CliIo,
): Promise<{ loaded: LoadedTrace[]; failed: number }> {
  if (files.length === 0) throw new UsageError('no trace file given');
  checkFilterFlags(values);
  const options = await readOptions(values);
  const loaded: LoadedTrace[] = [];
  let failed = 0;
  for (const file of files) {
    const result = await readTrace(file, options);
    if (!result.ok) {
      io.stderr.write(`dropscope: ${result.error}\n`);
      failed++;
      continue;
    }
    const trace = result.value;
    for (const example of trace.skipped.examples) {
      io.stderr.write(`dropscope: ${file}:${example.line}: skipped: ${example.why}\n`);
    }
    if (trace.skipped.lines > trace.skipped.examples.length) {
      io.stderr.write(`dropscope: ${file}: ${trace.skipped.lines} lines skipped in all\n`);
    }
    if (trace.store.length === 0 && trace.aggregates.drops === 0) {
      io.stderr.write(
        `dropscope: ${file}: no drop events could be read (${trace.lines} lines, format ${trace.format})\n`,
      );
      failed++;
    }
    loaded.push(trace);
  }
  return { loaded, failed };
}
