/**
 * perf.data read natively (no perf tool): the real samples give the MANIFEST counts of their
 * text twins (perf script output of the same file), event by event.
 *
 * Locations: the samples were recorded on 6.18.44-fc-v595. Without --kallsyms, Dropscope
 * symbolizes with this machine's /proc/kallsyms only on that very kernel; elsewhere (the usual
 * case, e.g. 6.18.44-fc-v782) the locations stay addresses with one warning, and the test
 * checks that instead. With --kallsyms taken from trace-cmd.dat (a capture of the same boot,
 * which saves /proc/kallsyms) the locations must equal perf script's exactly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { openTraceStream } from '../../main/ingest/openTraceStream';
import { BinaryFile } from '../../main/ingest/traceDat/BinaryFile';
import { readTraceDatLayout } from '../../main/ingest/traceDat/traceDatLayout';
import { runCliCapture } from '../helpers/runCliCapture';
import { hasSamples, readManifest, samplePath, type ManifestEntry } from '../helpers/samples';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-perfdata-int-'));

async function summaryOf(args: string[]): Promise<TraceSummary> {
  const run = await runCliCapture(['summary', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TraceSummary;
}

interface EventRecord {
  time_ns: number;
  cpu: number;
  pid: number;
  comm: string | null;
  skbaddr: string;
  rx_sk: string | null;
  protocol: number;
  location: string;
  reason: string;
  callchain: string[] | null;
}

async function eventsOf(args: string[]): Promise<EventRecord[]> {
  const run = await runCliCapture(['events', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EventRecord);
}

/** The kallsyms trace-cmd saved in trace-cmd.dat (same boot as the perf samples), as a file. */
async function recordingBootKallsyms(): Promise<string> {
  const path = samplePath('trace-cmd.dat');
  const file = await BinaryFile.open(path, await openTraceStream(path));
  try {
    const layout = await readTraceDatLayout(file);
    const out = join(dir, 'kallsyms.txt');
    writeFileSync(out, layout.tracing.kallsyms ?? '');
    return out;
  } finally {
    await file.close();
  }
}

const SAMPLES = [
  { file: 'perf.data', twin: 'perf.script.txt' },
  { file: 'perf-callchain.data', twin: 'perf-callchain.script.txt' },
];

describe.skipIf(!hasSamples)('perf.data, read natively', () => {
  const manifest = hasSamples ? readManifest() : new Map<string, ManifestEntry>();

  it.each(SAMPLES)('gives the MANIFEST counts of $twin for $file', async ({ file, twin }) => {
    const expected = manifest.get(twin);
    expect(expected, `MANIFEST has an entry for ${twin}`).toBeDefined();
    const summary = await summaryOf([samplePath(file)]);
    expect(summary.format).toBe('perf-data');
    expect(summary.events).toBe(expected?.events);
    expect(summary.reasons).toEqual(expected?.reasons);
    expect(summary.kernel.source).toBe('embedded-format');
    expect(summary.skipped.lines).toBe(0);
    expect(summary.meta).toMatchObject({
      hostname: 'vm',
      osRelease: '6.18.44-fc-v595',
      perfVersion: '6.1.192',
      arch: 'x86_64',
      nrCpus: 2,
      lost: 0,
      perfEvents: 'skb:kfree_skb, dummy:HG',
      capturedOnSource: 'file modification time',
    });
    expect(String(summary.meta.cmdline)).toMatch(
      /^\/usr\/bin\/perf record .*-e skb:kfree_skb -a -o /,
    );
  });

  it.each(SAMPLES)('matches $twin event by event', async ({ file, twin }) => {
    const binary = await eventsOf([samplePath(file)]);
    const text = await eventsOf([samplePath(twin)]);
    expect(binary).toHaveLength(text.length);
    binary.forEach((event, i) => {
      const other = text[i] as EventRecord;
      // perf script prints microseconds.
      expect(Math.abs(event.time_ns - other.time_ns), `event ${i} time`).toBeLessThan(1000);
      const pick = (e: EventRecord) => [
        e.cpu,
        e.pid,
        e.comm,
        e.skbaddr,
        e.rx_sk,
        e.protocol,
        e.reason,
      ];
      expect(pick(event), `event ${i}`).toEqual(pick(other));
    });
  });

  it.each(SAMPLES)(
    "gives $twin's locations with --kallsyms of the recording boot",
    async ({ file, twin }) => {
      const kallsyms = await recordingBootKallsyms();
      const summary = await summaryOf([samplePath(file), '--kallsyms', kallsyms]);
      const textual = await summaryOf([samplePath(twin)]);
      expect(summary.locations).toEqual(textual.locations);
      expect(summary.warnings.some((w) => /shown as addresses/.test(w))).toBe(false);
    },
  );

  it('without --kallsyms, symbolizes only on the recording kernel (else keeps addresses, one warning)', async () => {
    const summary = await summaryOf([samplePath('perf.data')]);
    const textual = await summaryOf([samplePath('perf.script.txt')]);
    if (release() === summary.meta.osRelease) {
      // This is the recording machine: /proc/kallsyms gives perf script's locations.
      expect(summary.locations).toEqual(textual.locations);
      return;
    }
    for (const location of Object.keys(summary.locations))
      expect(location).toMatch(/^0xffffffff[0-9a-f]{8}$/);
    const counts = (record: Record<string, number>) => Object.values(record).sort((a, b) => a - b);
    expect(counts(summary.locations)).toEqual(counts(textual.locations));
    expect(summary.warnings.filter((w) => /shown as addresses/.test(w))).toEqual([
      `${samplePath('perf.data')}: locations are shown as addresses: no --kallsyms given and the trace's kernel ` +
        `6.18.44-fc-v595 differs from this machine's ${release()}`,
    ]);
  });

  it("has perf-callchain.data's callchains, as deep as the text twin's", async () => {
    const kallsyms = await recordingBootKallsyms();
    const [binary] = await eventsOf([
      samplePath('perf-callchain.data'),
      '--kallsyms',
      kallsyms,
      '--limit',
      '1',
    ]);
    const [text] = await eventsOf([samplePath('perf-callchain.script.txt'), '--limit', '1']);
    expect(binary?.callchain?.length).toBeGreaterThan(0);
    expect(binary?.callchain?.length).toBe(text?.callchain?.length);
    expect(binary?.callchain).toEqual(text?.callchain);
    const [raw] = await eventsOf([samplePath('perf-callchain.data'), '--limit', '1']);
    expect(raw?.callchain?.length).toBe(text?.callchain?.length);
  });

  it('loads the events before the cut of a truncated copy and warns where it broke', async () => {
    const bytes = await readFile(samplePath('perf.data'));
    const cut = join(dir, 'perf-cut.data');
    writeFileSync(cut, bytes.subarray(0, 300_000));
    const summary = await summaryOf([cut, '--kernel', '6.18.44']);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.events).toBeLessThan(manifest.get('perf.script.txt')?.events ?? 0);
    const warnings = summary.warnings.join('\n');
    expect(warnings).toMatch(
      /the file ends at byte 300000, inside the data section .*drop events before it are loaded/,
    );
    expect(warnings).toMatch(/ends before its feature sections/);
    // Every event read before the cut is an event of the full file, unchanged (the last round
    // is cut, so they are not necessarily its earliest ones).
    const key = (e: EventRecord) =>
      `${e.time_ns} ${e.cpu} ${e.pid} ${e.comm} ${e.skbaddr} ${e.reason}`;
    const full = new Set((await eventsOf([samplePath('perf.data')])).map(key));
    const prefix = await eventsOf([cut, '--kernel', '6.18.44']);
    expect(prefix.filter((e) => !full.has(key(e)))).toEqual([]);
  });
});
