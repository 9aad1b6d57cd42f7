/**
 * Every text sample in ../shared/samples, through the CLI's `summary --json` (ingest → store →
 * summary), gives exactly the MANIFEST's event count and per-reason counts.
 */
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { hasSamples, readManifest, samplePath, type ManifestEntry } from '../helpers/samples';
import { runCliCapture } from '../helpers/runCliCapture';

const TEXT_SAMPLES: { file: string; format: string; args: string[] }[] = [
  { file: 'perf.script.txt', format: 'perf-script', args: [] },
  { file: 'perf.script-header.txt', format: 'perf-script', args: [] },
  { file: 'perf.script-fields.txt', format: 'perf-script', args: [] },
  { file: 'perf-callchain.script.txt', format: 'perf-script', args: [] },
  { file: 'perf-weighted.script.txt.gz', format: 'perf-script', args: [] },
  { file: 'ftrace.trace.txt', format: 'ftrace', args: [] },
  { file: 'ftrace.trace_pipe.txt', format: 'ftrace', args: [] },
  { file: 'trace-cmd.report.txt', format: 'trace-cmd-report', args: [] },
  { file: 'bpftrace-redhat-oneliner.txt', format: 'bpftrace', args: ['--kernel', '6.18'] },
  { file: 'bpftrace-rich.txt', format: 'bpftrace', args: ['--kernel', '6.18'] },
];

describe.skipIf(!hasSamples)('dropscope summary --json on the real samples', () => {
  const manifest = hasSamples ? readManifest() : new Map<string, ManifestEntry>();

  it.each(TEXT_SAMPLES)('gives the MANIFEST counts for $file', async ({ file, format, args }) => {
    const expected = manifest.get(file);
    expect(expected, `MANIFEST has an entry for ${file}`).toBeDefined();
    const run = await runCliCapture(['summary', samplePath(file), ...args, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as TraceSummary;
    expect(summary.format).toBe(format);
    expect(summary.events).toBe(expected?.events);
    expect(summary.reasons).toEqual(expected?.reasons);
    expect(summary.skipped.lines).toBe(0);
  });
});
