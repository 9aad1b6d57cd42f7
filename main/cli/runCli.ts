/**
 * The `dropscope` command line: summary, events, convert, formats.
 *
 * Runs under plain Node with the engine in-process (no UI thread to keep free). Exit codes:
 * 0 success, 1 a file could not be read at all (or held no event), 2 bad usage. Messages on
 * stderr name the file (and line, where there is one).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { formatSeconds } from '../../shared/time';
import {
  DATA_EXPORTERS,
  exporterFor,
  normalizedRecord,
  normalizedSourceOf,
  readTrace,
  summarizeTrace,
  TRACE_FORMAT_DEFINITIONS,
  TraceQueries,
  type LoadedTrace,
} from '../engine';
import { EXIT, UsageError, type CliIo } from './CliIo';
import { formatSummary } from './formatSummary';
import { checkFilterFlags, filterSpecFor, filterText, READ_OPTIONS, READ_OPTIONS_HELP, readOptions } from './loadOptions';

const VERSION = '0.1.0';

const HELP = `dropscope ${VERSION} — explore Linux kernel packet drops (skb:kfree_skb drop reasons)

Usage:
  dropscope summary FILE… [options] [--json]     counts per reason, location, protocol; kernel and decoding source
  dropscope events FILE [options] [--limit N] [--json]   list the drops (JSON lines with --json)
  dropscope convert FILE --to jsonl|csv [-o OUT] [options]   write Dropscope's normalized format
  dropscope formats                               list the formats Dropscope reads

Options:
${READ_OPTIONS_HELP}

Files may be gzip, zstd or xz compressed. Exit codes: 0 ok, 1 nothing could be read, 2 bad usage.
`;

function print(out: Writable, text: string): void {
  out.write(text);
}

async function loadAll(
  files: readonly string[],
  values: Record<string, unknown>,
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
      print(io.stderr, `dropscope: ${result.error}\n`);
      failed++;
      continue;
    }
    const trace = result.value;
    for (const example of trace.skipped.examples) {
      print(io.stderr, `dropscope: ${file}:${example.line}: skipped: ${example.why}\n`);
    }
    if (trace.skipped.lines > trace.skipped.examples.length) {
      print(io.stderr, `dropscope: ${file}: ${trace.skipped.lines} lines skipped in all\n`);
    }
    if (trace.store.length === 0 && trace.aggregates.drops === 0) {
      print(io.stderr, `dropscope: ${file}: no drop events could be read (${trace.lines} lines, format ${trace.format})\n`);
      failed++;
    }
    loaded.push(trace);
  }
  return { loaded, failed };
}

async function summaryCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const { loaded, failed } = await loadAll(positionals, values, io);
  const summaries = loaded.map((trace) => summarizeTrace(trace, filterSpecFor(values, trace)));
  if (values.json) {
    const payload = positionals.length === 1 ? (summaries[0] ?? null) : summaries;
    if (payload !== null) print(io.stdout, `${JSON.stringify(payload, null, 2)}\n`);
  } else {
    summaries.forEach((summary, i) => print(io.stdout, `${i > 0 ? '\n' : ''}${formatSummary(summary, loaded[i]?.formatLabel ?? '')}`));
  }
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

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

async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string' } },
    allowPositionals: true,
  });
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit >= 0)) throw new UsageError(`--limit takes a count, not "${String(values.limit)}"`);
  const { loaded, failed } = await loadAll(positionals, values, io);
  for (const trace of loaded) {
    const queries = new TraceQueries(trace.store);
    const selection = queries.select(filterSpecFor(values, trace));
    const origin = trace.store.timeBounds?.firstNs ?? 0;
    const count = Math.min(selection.length, limit === 0 ? selection.length : limit);
    if (!values.json) print(io.stdout, `# ${trace.file}: ${selection.length} events${count < selection.length ? ` (showing ${count})` : ''}; time relative to ${formatSeconds(origin)} s\n`);
    const batch = 2048;
    for (let start = 0; start < count; start += batch) {
      let text = '';
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const record = normalizedRecord(trace.store.row(selection[i] as number));
        text += values.json ? `${JSON.stringify({ file: trace.file, ...record })}\n` : `${eventLine(record, origin)}\n`;
      }
      if (!io.stdout.write(text)) await new Promise((resolve) => io.stdout.once('drain', resolve));
    }
  }
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

async function convertCommand(args: string[], io: CliIo): Promise<number> {
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
  const { loaded, failed } = await loadAll(positionals, values, io);
  const trace = loaded[0];
  if (!trace || failed > 0) return EXIT.unreadable;
  const queries = new TraceQueries(trace.store);
  const selection = queries.select(filterSpecFor(values, trace));
  const out = typeof values.output === 'string' ? createWriteStream(values.output) : io.stdout;
  await exporter.write({ store: trace.store, selection, source: normalizedSourceOf(trace, filterText(values)) }, out);
  if (out !== io.stdout) {
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.end(resolve);
    });
    print(io.stderr, `dropscope: wrote ${selection.length} events to ${String(values.output)}\n`);
  }
  return EXIT.ok;
}

function formatsCommand(io: CliIo): number {
  for (const format of TRACE_FORMAT_DEFINITIONS) print(io.stdout, `${format.name.padEnd(18)} ${format.label}\n`);
  return EXIT.ok;
}

/** Runs one CLI invocation (`args` without `node` and the script). Resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'summary':
        return await summaryCommand(rest, io);
      case 'events':
        return await eventsCommand(rest, io);
      case 'convert':
        return await convertCommand(rest, io);
      case 'formats':
        return formatsCommand(io);
      case '--version':
      case 'version':
        print(io.stdout, `${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        print(command === undefined ? io.stderr : io.stdout, HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usage) {
      print(io.stderr, `dropscope: ${(error as Error).message}\nRun 'dropscope help' for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
