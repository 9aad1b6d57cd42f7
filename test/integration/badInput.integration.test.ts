/**
 * Bad input through the CLI: clear messages naming file and line, the valid part still loads,
 * skipped lines are counted, nothing crashes; exit codes 0 / 1 / 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { hasSamples, samplePath } from '../helpers/samples';
import { runCliCapture } from '../helpers/runCliCapture';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-bad-'));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function summary(
  args: string[],
): Promise<{ code: number; summary: TraceSummary | null; stderr: string }> {
  const run = await runCliCapture(['summary', ...args, '--json']);
  return {
    code: run.code,
    summary: run.stdout ? (JSON.parse(run.stdout) as TraceSummary) : null,
    stderr: run.stderr,
  };
}

describe.skipIf(!hasSamples)('bad input', () => {
  const perfLines = hasSamples
    ? readFileSync(samplePath('perf.script.txt'), 'utf8').split('\n').filter(Boolean)
    : [];

  it('refuses an empty file with exit code 1 and names it', async () => {
    const path = write('empty.txt', '');
    const result = await summary([path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path}: the file is empty`);
  });

  it('refuses binary junk as not a text trace', async () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 251;
    const path = write('junk.bin', junk);
    const result = await summary([path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/junk\.bin: (binary data|not a recognised trace format)/);
  });

  it('refuses text of no known format and suggests --format', async () => {
    const path = write('prose.txt', 'Dear support,\nour packets vanish.\nRegards\n');
    const result = await summary([path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /prose\.txt: not a recognised trace format \(line 1: "Dear support,"\); force one with --format/,
    );
  });

  it('counts garbage lines in the middle as skipped with file:line and keeps every event', async () => {
    const lines = [
      ...perfLines.slice(0, 10),
      'garbage \u0000\u0001 here',
      ...perfLines.slice(10, 20),
    ];
    const path = write('mixed.txt', lines.join('\n') + '\n');
    const result = await summary([path]);
    expect(result.code).toBe(0);
    expect(result.summary?.events).toBe(20);
    expect(result.summary?.skipped.lines).toBe(1);
    expect(result.summary?.skipped.examples[0]?.line).toBe(11);
    expect(result.summary?.skipped.examples[0]?.text).toContain('\\x00');
    expect(result.stderr).toContain(`${path}:11: skipped:`);
  });

  it('keeps every complete event of a file cut in the middle of its last line', async () => {
    const text = perfLines.slice(0, 30).join('\n');
    const path = write('truncated.txt', text.slice(0, text.length - 25));
    const result = await summary([path]);
    expect(result.code).toBe(0);
    expect(result.summary?.events).toBeGreaterThanOrEqual(29);
    expect(result.summary?.events).toBeLessThanOrEqual(30);
    expect(result.summary?.warnings.join('\n')).toMatch(
      /line 30 has no line end; the file may be truncated/,
    );
    if (result.summary?.events === 29) expect(result.summary.skipped.lines).toBe(1);
  });

  it('skips a 10 MB line and reads the events around it', async () => {
    const lines = [
      ...perfLines.slice(0, 5),
      'x'.repeat(10 * 1024 * 1024),
      ...perfLines.slice(5, 10),
    ];
    const path = write('huge-line.txt', lines.join('\n') + '\n');
    const result = await summary([path]);
    expect(result.code).toBe(0);
    expect(result.summary?.events).toBe(10);
    expect(result.summary?.skipped.lines).toBe(1);
    expect(result.summary?.skipped.examples[0]).toMatchObject({ line: 6 });
    expect(result.summary?.skipped.examples[0]?.why).toMatch(
      /line of 10485760 bytes is longer than/,
    );
  });

  it('loads what a truncated gzip held and warns where it broke', async () => {
    const whole = gzipSync(readFileSync(samplePath('perf.script.txt')));
    const path = write('cut.txt.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const result = await summary([path]);
    expect(result.code).toBe(0);
    expect(result.summary?.events).toBeGreaterThan(50);
    expect(result.summary?.events).toBeLessThan(382);
    expect(result.summary?.warnings.join('\n')).toMatch(/cut\.txt\.gz: the gzip data ends early/);
  });

  it('reads nothing under a wrong --format, says so, and exits 1', async () => {
    const result = await summary([samplePath('perf.script.txt'), '--format', 'dropwatch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/perf\.script\.txt: no drop events could be read/);
    expect(result.summary?.skipped.lines).toBeGreaterThan(0);
    expect(result.summary?.warnings.join('\n')).toMatch(
      /forced format dropwatch, but the content looks like perf-script/,
    );
  });

  it('decodes with a best guess, marked as such, when the kernel is unknown', async () => {
    const result = await summary([samplePath('bpftrace-rich.txt'), '--kernel', '99.1']);
    expect(result.code).toBe(0);
    expect(result.summary?.events).toBe(405);
    expect(result.summary?.warnings.length).toBeGreaterThan(0);
  });

  it('exits 2 with a message for an unknown --format', async () => {
    const run = await runCliCapture(['summary', samplePath('perf.script.txt'), '--format', 'pcap']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown --format pcap/);
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await runCliCapture(['sumary'])).code).toBe(2);
    expect((await runCliCapture(['summary', '--bogus', 'x'])).code).toBe(2);
  });

  it('exits 1 naming a missing file', async () => {
    const run = await runCliCapture(['summary', join(dir, 'nope.txt')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nope\.txt: cannot open/);
  });

  it('refuses a text file forced as perf.data, naming it', async () => {
    const run = await runCliCapture([
      'summary',
      samplePath('perf.script.txt'),
      '--format',
      'perf-data',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /perf\.script\.txt: --format perf-data expects a binary perf\.data file/,
    );
  });

  it('refuses an executable as binary data, naming the file', async () => {
    const run = await runCliCapture(['summary', process.execPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(process.execPath);
    expect(run.stderr).toMatch(/binary data, not a text trace|not a recognised trace format/);
  });
});
