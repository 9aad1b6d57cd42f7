/**
 * The readable (non-JSON) form of a summary: a header block and aligned tables.
 */
import type { TraceSummary } from '../../shared/model';
import { formatSeconds } from '../../shared/time';

function table(
  title: string,
  counts: Record<string, number>,
  total: number,
  limit: number,
): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return [];
  const width = Math.max(title.length, ...entries.slice(0, limit).map(([key]) => key.length));
  const lines = [`  ${title.padEnd(width)}  ${'EVENTS'.padStart(9)}  ${'%'.padStart(6)}`];
  for (const [key, count] of entries.slice(0, limit)) {
    const share = total > 0 ? ((100 * count) / total).toFixed(1) + '%' : '';
    lines.push(`  ${key.padEnd(width)}  ${String(count).padStart(9)}  ${share.padStart(6)}`);
  }
  if (entries.length > limit) lines.push(`  … ${entries.length - limit} more`);
  return lines;
}

/** Renders a summary for a terminal. */
export function formatSummary(summary: TraceSummary, formatLabel: string): string {
  const lines: string[] = [];
  lines.push(`${summary.file} — ${formatLabel} (${summary.format})`);
  const k = summary.kernel;
  lines.push(
    `  kernel: ${k.release ?? 'unknown'}; reason table: ${k.table ?? 'none'} (${k.source})${k.detail ? ` — ${k.detail}` : ''}`,
  );
  const meta = summary.meta;
  const facts = [
    meta.hostname ? `host ${meta.hostname}` : '',
    meta.capturedOn ? `captured on ${meta.capturedOn}` : '',
    meta.cmdline ? `command: ${meta.cmdline}` : '',
  ].filter(Boolean);
  if (facts.length) lines.push(`  ${facts.join('; ')}`);
  let span = '';
  if (summary.firstNs !== null && summary.lastNs !== null) {
    const seconds = (summary.lastNs - summary.firstNs) / 1e9;
    const rate = seconds > 0 ? `, ${(summary.events / seconds).toFixed(1)} drops/s` : '';
    span = `; time ${formatSeconds(summary.firstNs)} – ${formatSeconds(summary.lastNs)} s (${seconds.toFixed(3)} s${rate})`;
  }
  lines.push(`  events: ${summary.events}${span}`);
  if (summary.aggregates.drops > 0) {
    lines.push(`  aggregated drops (tool summaries, not events): ${summary.aggregates.drops}`);
  }
  lines.push(`  skipped lines: ${summary.skipped.lines}`);
  for (const example of summary.skipped.examples.slice(0, 3)) {
    lines.push(
      `    ${summary.file}:${example.line}: ${example.why}: ${example.text.slice(0, 100)}`,
    );
  }
  lines.push('');
  lines.push(...table('REASON', summary.reasons, summary.events, 40));
  lines.push('');
  lines.push(...table('LOCATION', summary.locations, summary.events, 15));
  lines.push('');
  lines.push(...table('PROTOCOL', summary.protocols, summary.events, 10));
  if (summary.aggregates.drops > 0) {
    lines.push('');
    lines.push(
      ...table('AGGREGATED AT', summary.aggregates.locations, summary.aggregates.drops, 15),
    );
  }
  if (summary.warnings.length) {
    lines.push('', '  warnings:');
    for (const warning of summary.warnings) lines.push(`    - ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}
