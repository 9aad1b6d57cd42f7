/**
 * trace-cmd trace.dat read natively (no trace-cmd): the real sample (version 7, zstd) gives the
 * MANIFEST counts of its text twin (trace-cmd report of the same file), event by event, with
 * the same locations (symbolized with the kallsyms the file saved) and comms (its saved
 * cmdlines).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { runCliCapture } from '../helpers/runCliCapture';
import { hasSamples, readManifest, samplePath, type ManifestEntry } from '../helpers/samples';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-tracedat-int-'));

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
}

async function eventsOf(args: string[]): Promise<EventRecord[]> {
  const run = await runCliCapture(['events', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EventRecord);
}

describe.skipIf(!hasSamples)('trace-cmd trace.dat, read natively', () => {
  const manifest = hasSamples ? readManifest() : new Map<string, ManifestEntry>();

  it('gives the MANIFEST counts and locations of trace-cmd.report.txt', async () => {
    const expected = manifest.get('trace-cmd.report.txt');
    expect(expected, 'MANIFEST has an entry for trace-cmd.report.txt').toBeDefined();
    const summary = await summaryOf([samplePath('trace-cmd.dat')]);
    const textual = await summaryOf([samplePath('trace-cmd.report.txt')]);
    expect(summary.format).toBe('trace-dat');
    expect(summary.events).toBe(expected?.events);
    expect(summary.reasons).toEqual(expected?.reasons);
    expect(summary.locations).toEqual(textual.locations);
    expect(summary.protocols).toEqual(textual.protocols);
    expect(summary.kernel.source).toBe('embedded-format');
    expect(summary.skipped.lines).toBe(0);
    expect(summary.warnings).toEqual([]);
    expect(summary.meta).toMatchObject({
      hostname: 'vm',
      osRelease: '6.18.44-fc-v595',
      arch: 'x86_64',
      nrCpus: 2,
      lost: 0,
      traceDatVersion: 7,
      traceCmdVersion: '3.1.6 not-a-git-repo',
      traceClock: 'local',
      traceDatCompression: 'zstd 1.5.4',
      capturedOnSource: 'file modification time',
    });
  });

  it('matches trace-cmd.report.txt event by event, in the same order', async () => {
    const binary = await eventsOf([samplePath('trace-cmd.dat')]);
    const text = await eventsOf([samplePath('trace-cmd.report.txt')]);
    expect(binary).toHaveLength(text.length);
    binary.forEach((event, i) => {
      const other = text[i] as EventRecord;
      // trace-cmd report prints microseconds.
      expect(Math.abs(event.time_ns - other.time_ns), `event ${i} time`).toBeLessThan(1000);
      const pick = (e: EventRecord) => [
        e.cpu,
        e.pid,
        e.comm,
        e.skbaddr,
        e.rx_sk,
        e.protocol,
        e.location,
        e.reason,
      ];
      expect(pick(event), `event ${i}`).toEqual(pick(other));
    });
  });

  it('loads the events before the cut of a truncated copy and warns where it broke', async () => {
    const bytes = await readFile(samplePath('trace-cmd.dat'));
    // The file ends inside CPU 1's compressed pages, before the last options section.
    const cut = join(dir, 'trace-cut.dat');
    writeFileSync(cut, bytes.subarray(0, 1_147_500));
    const summary = await summaryOf([cut]);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.events).toBeLessThan(manifest.get('trace-cmd.report.txt')?.events ?? 0);
    const warnings = summary.warnings.join('\n');
    expect(warnings).toMatch(/the file ends at byte 1147500, before its last options section/);
    expect(warnings).toMatch(
      /inside the compressed data of CPU 1; the events before it are loaded/,
    );
    const key = (e: EventRecord) =>
      `${e.time_ns} ${e.cpu} ${e.pid} ${e.skbaddr} ${e.location} ${e.reason}`;
    const full = new Set((await eventsOf([samplePath('trace-cmd.dat')])).map(key));
    const prefix = await eventsOf([cut]);
    expect(prefix.filter((e) => !full.has(key(e)))).toEqual([]);
    expect(prefix.every((e) => e.cpu === 0)).toBe(true);
  });

  it('fails with a message naming the file when it ends inside its header', async () => {
    const bytes = await readFile(samplePath('trace-cmd.dat'));
    const cut = join(dir, 'trace-head.dat');
    writeFileSync(cut, bytes.subarray(0, 400_000));
    const run = await runCliCapture(['summary', cut]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /trace-head\.dat: the header needs .* beyond the end of the file \(400000 bytes\): the file is cut/,
    );
  });
});
