/**
 * Dropscope's own format round-trips: convert a real sample to JSON lines and CSV, read the
 * result back, and get the same summary (events, reasons, protocols, locations, kernel).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { hasSamples, samplePath } from '../helpers/samples';
import { runCliCapture } from '../helpers/runCliCapture';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-convert-'));

async function summaryOf(args: string[]): Promise<TraceSummary> {
  const run = await runCliCapture(['summary', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TraceSummary;
}

const CASES = [
  { sample: 'perf-callchain.script.txt', args: [] as string[] },
  { sample: 'ftrace.trace.txt', args: [] as string[] },
  { sample: 'bpftrace-rich.txt', args: ['--kernel', '6.18.44'] },
];

describe.skipIf(!hasSamples)('dropscope convert', () => {
  for (const to of ['jsonl', 'csv'] as const) {
    it.each(CASES)(
      `round-trips $sample through ${to} with identical counts`,
      async ({ sample, args }) => {
        const out = join(dir, `${sample}.${to}`);
        const convert = await runCliCapture([
          'convert',
          samplePath(sample),
          ...args,
          '--to',
          to,
          '-o',
          out,
        ]);
        expect(convert.code, convert.stderr).toBe(0);
        const original = await summaryOf([samplePath(sample), ...args]);
        const back = await summaryOf([out]);
        expect(back.format).toBe(to === 'jsonl' ? 'dropscope-jsonl' : 'dropscope-csv');
        expect(back.events).toBe(original.events);
        expect(back.reasons).toEqual(original.reasons);
        expect(back.protocols).toEqual(original.protocols);
        expect(back.locations).toEqual(original.locations);
        expect(back.kernel).toEqual(original.kernel);
        expect(back.firstNs).toBe(original.firstNs);
        expect(back.lastNs).toBe(original.lastNs);
        expect(back.meta.sourceFormat).toBe(original.format);
      },
    );
  }

  it('keeps callchains through JSON lines', async () => {
    const out = join(dir, 'chains.jsonl');
    await runCliCapture([
      'convert',
      samplePath('perf-callchain.script.txt'),
      '--to',
      'jsonl',
      '-o',
      out,
    ]);
    const events = await runCliCapture(['events', out, '--limit', '1', '--json']);
    const first = JSON.parse(events.stdout.split('\n')[0] ?? '{}') as { callchain: string[] };
    expect(first.callchain.length).toBeGreaterThan(3);
  });

  it('writes only the filtered events and records the filter', async () => {
    const out = join(dir, 'filtered.jsonl');
    const convert = await runCliCapture([
      'convert',
      samplePath('perf.script.txt'),
      '--reason',
      'NO_SOCKET',
      '--to',
      'jsonl',
      '-o',
      out,
    ]);
    expect(convert.code).toBe(0);
    const back = await summaryOf([out]);
    expect(back.events).toBe(33);
    expect(back.reasons).toEqual({ NO_SOCKET: 33 });
    expect(back.meta.sourceFilter).toBe('reason in {NO_SOCKET}');
  });
});

describe.skipIf(!hasSamples)('dropscope events', () => {
  it('lists the filtered events with a header line', async () => {
    const run = await runCliCapture([
      'events',
      samplePath('perf.script.txt'),
      '--protocol',
      'IPv6',
      '--reason',
      'NO_SOCKET',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/perf\.script\.txt: \d+ events/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/IPv6 .* NO_SOCKET$/);
  });

  it('stops at --limit', async () => {
    const run = await runCliCapture([
      'events',
      samplePath('perf.script.txt'),
      '--limit',
      '5',
      '--json',
    ]);
    expect(run.stdout.trim().split('\n')).toHaveLength(5);
  });
});
