/**
 * `dropscope stats FILE…`: what a capture covers, like capinfos — time span, mean and peak rate,
 * per-CPU counts and spans, lost events as the tracer recorded them, gaps, skipped lines.
 */
import { parseArgs } from 'node:util';
import { formatSeconds } from '../../../shared/time';
import { computeStats, type TraceStats } from '../../engine';
import { EXIT, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';
import { loadTraces } from '../loadTraces';
import { filterSpecFor, filterText, READ_OPTIONS } from '../loadOptions';

function seconds(value: number | null): string {
  return value === null ? 'unknown' : `${formatSeconds(value * 1e9)} s`;
}

function formatStats(stats: TraceStats): string {
  const lines = [
    `${stats.file} (${stats.format})`,
    `  kernel:            ${stats.kernel.release ?? 'unknown'} (table ${stats.kernel.table ?? 'none'}, ${stats.kernel.source})`,
    `  host:              ${stats.host ?? 'unknown'}`,
    `  capture command:   ${stats.command ?? 'unknown'}`,
    `  events:            ${stats.events}${stats.filter ? `  (filter: ${stats.filter})` : ''}`,
    `  first event:       ${seconds(stats.first)}`,
    `  last event:        ${seconds(stats.last)}`,
    `  duration:          ${stats.duration_s === null ? 'unknown' : `${stats.duration_s.toFixed(6)} s`}`,
    `  mean rate:         ${stats.rate.mean_per_s === null ? 'unknown' : `${stats.rate.mean_per_s.toFixed(1)} drops/s`}`,
    `  peak rate:         ${stats.rate.peak_per_s === null ? 'unknown' : `${stats.rate.peak_per_s} drops in one second`}`,
    `  lost events:       ${stats.lost === null ? 'unknown (the format does not record losses)' : String(stats.lost)}`,
    `  skipped lines:     ${stats.skipped}`,
    `  per CPU:`,
    ...Object.entries(stats.cpu_spans).map(
      ([cpu, s]) =>
        `    cpu ${cpu.padStart(3)}: ${String(s.events).padStart(9)} events, ${seconds(s.first)} – ${seconds(s.last)}`,
    ),
  ];
  if (stats.gaps.length) {
    lines.push(`  gaps longer than ${stats.gap_threshold_s?.toFixed(3) ?? '?'} s:`);
    for (const gap of stats.gaps)
      lines.push(`    ${seconds(gap.start)} – ${seconds(gap.end)} (${gap.seconds.toFixed(3)} s)`);
  } else lines.push('  gaps:              none');
  return `${lines.join('\n')}\n`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...READ_OPTIONS, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const { loaded, failed } = await loadTraces(positionals, values, io);
  const stats = loaded.map((trace) =>
    computeStats(trace, filterSpecFor(values, trace), filterText(values)),
  );
  if (values.json) {
    const payload = positionals.length === 1 ? (stats[0] ?? null) : stats;
    if (payload !== null) io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else io.stdout.write(stats.map(formatStats).join('\n'));
  return failed > 0 ? EXIT.unreadable : EXIT.ok;
}

/** The stats command. */
export const statsCommand: CliCommand = {
  name: 'stats',
  usage: 'stats FILE… [options] [--json]',
  summary: 'what a capture covers: span, rates, per-CPU counts, lost events, gaps (like capinfos)',
  run,
};
