/**
 * The display-filter language on a real sample: a table of expressions × expected counts, where
 * the expected counts come from parsing the sample here with a plain regex and plain predicates
 * (independently of the filter and store code). Plus `dropscope filter` and `dropscope stats`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { hasSamples, samplePath } from '../helpers/samples';
import { runCliCapture } from '../helpers/runCliCapture';

interface Line {
  comm: string;
  cpu: number;
  seconds: number;
  protocol: number;
  location: string;
  reason: string;
}

const LINE =
  /^\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+(\d+\.\d+): skb:kfree_skb: .*protocol=(\d+) location=(\S+) reason: (\S+)$/;

function readLines(): Line[] {
  return readFileSync(samplePath('perf.script.txt'), 'utf8')
    .split('\n')
    .map((text) => LINE.exec(text))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      comm: m[1] ?? '',
      cpu: Number(m[3]),
      seconds: Number(m[4]),
      protocol: Number(m[5]),
      location: m[6] ?? '',
      reason: m[7] ?? '',
    }));
}

const CASES: { expression: string; keep: (line: Line, t0: number) => boolean }[] = [
  { expression: 'reason == NO_SOCKET', keep: (l) => l.reason === 'NO_SOCKET' },
  {
    expression: 'protocol == IPv6 and not reason == NOT_SPECIFIED',
    keep: (l) => l.protocol === 0x86dd && l.reason !== 'NOT_SPECIFIED',
  },
  {
    expression: 'location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}',
    keep: (l) =>
      l.location.includes('udp') || l.reason === 'NETFILTER_DROP' || l.reason === 'SOCKET_FILTER',
  },
  {
    expression: 'cpu == 1 && protocol == 0x0800',
    keep: (l) => l.cpu === 1 && l.protocol === 0x0800,
  },
  {
    expression: 'time >= 2.5 and time < 3',
    keep: (l, t0) => l.seconds - t0 >= 2.5 - 1e-9 && l.seconds - t0 < 3 - 1e-9,
  },
  {
    expression: 'reason == NO_SOCKET and protocol == IPv4',
    keep: (l) => l.reason === 'NO_SOCKET' && l.protocol === 0x0800,
  },
  {
    expression: '!(cpu == 0) || comm matches "^kworker"',
    keep: (l) => l.cpu !== 0 || /^kworker/.test(l.comm),
  },
  {
    expression: 'reason != NOT_SPECIFIED and (protocol == arp or protocol == 2048)',
    keep: (l) => l.reason !== 'NOT_SPECIFIED' && (l.protocol === 0x0806 || l.protocol === 2048),
  },
  {
    expression: 'reason in {SKB_DROP_REASON_TCP_CSUM, udp_csum}',
    keep: (l) => l.reason === 'TCP_CSUM' || l.reason === 'UDP_CSUM',
  },
];

async function summaryOf(args: string[]): Promise<TraceSummary> {
  const run = await runCliCapture(['summary', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TraceSummary;
}

describe.skipIf(!hasSamples)('display filters on perf.script.txt', () => {
  const lines = hasSamples ? readLines() : [];
  const t0 = Math.min(...lines.map((l) => l.seconds));

  it('reads every event of the sample independently (sanity of the expectation)', () => {
    expect(lines).toHaveLength(382);
  });

  it.each(CASES)('$expression selects the expected events', async ({ expression, keep }) => {
    const expected = lines.filter((l) => keep(l, t0));
    const expectedReasons: Record<string, number> = {};
    for (const l of expected) expectedReasons[l.reason] = (expectedReasons[l.reason] ?? 0) + 1;
    const summary = await summaryOf([samplePath('perf.script.txt'), '-Y', expression]);
    expect(summary.events).toBe(expected.length);
    expect(summary.reasons).toEqual(expectedReasons);
  });

  it('rejects an unknown reason with a caret message and exit code 2', async () => {
    const run = await runCliCapture([
      'summary',
      samplePath('perf.script.txt'),
      '--filter',
      'reason == NO_SOKET',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('reason == NO_SOKET\n          ^');
    expect(run.stderr).toMatch(/did you mean NO_SOCKET/);
  });

  it('writes the matching events with `dropscope filter`, whose summary equals the filtered summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dropscope-filter-')), 'small.jsonl');
    const expression = 'reason == NO_SOCKET and protocol == IPv4';
    const run = await runCliCapture([
      'filter',
      samplePath('perf.script-header.txt'),
      '-Y',
      expression,
      '-o',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const filtered = await summaryOf([samplePath('perf.script-header.txt'), '-Y', expression]);
    const written = await summaryOf([out]);
    expect(written.events).toBe(filtered.events);
    expect(written.reasons).toEqual(filtered.reasons);
    expect(written.locations).toEqual(filtered.locations);
    expect(written.kernel).toEqual(filtered.kernel);
    expect(written.meta).toMatchObject({
      hostname: 'vm',
      sourceFormat: 'perf-script',
      sourceFilter: expression,
    });
  });

  it('gives per-CPU counts and the duration that the perf script text shows', async () => {
    const run = await runCliCapture(['stats', samplePath('perf.script.txt'), '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as {
      cpus: Record<string, number>;
      duration_s: number;
      events: number;
      lost: number | null;
    };
    const cpus: Record<string, number> = {};
    for (const l of lines) cpus[String(l.cpu)] = (cpus[String(l.cpu)] ?? 0) + 1;
    expect(stats.cpus).toEqual(cpus);
    expect(stats.events).toBe(382);
    expect(stats.duration_s).toBeCloseTo(Math.max(...lines.map((l) => l.seconds)) - t0, 6);
    expect(stats.lost).toBeNull();
  });

  it('reports the ftrace header losses as lost events', async () => {
    const run = await runCliCapture(['stats', samplePath('ftrace.trace.txt'), '--json']);
    expect((JSON.parse(run.stdout) as { lost: number | null }).lost).toBe(0);
  });
});
