/**
 * `dropscope report` on the real samples: the numbers in the HTML and Markdown reports equal
 * `dropscope summary --json` (and the reason × location tally of `dropscope events --json`) for the
 * same file and filter; the HTML references nothing outside itself; every reason present is
 * explained; trace text is escaped; the PDF renders (page 1 to PNG with pdftoppm, kept in
 * test-results/report/ to look at); `convert --to breakdown-csv` writes the same breakdown.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../../main/report';
import type { TraceSummary } from '../../shared/model';
import { runCliCapture } from '../helpers/runCliCapture';
import { hasSamples, repoRoot, samplePath } from '../helpers/samples';
import {
  breakdownCells,
  countsByAttribute,
  externalReferences,
  markdownCounts,
  SECTION_ORDER,
  sectionHtml,
  sectionIds,
  unsafeMarkup,
} from '../main/report/reportChecks';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-report-'));

async function summaryOf(args: readonly string[]): Promise<TraceSummary> {
  const run = await runCliCapture(['summary', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as TraceSummary;
}

async function reportOf(args: readonly string[], name: string): Promise<string> {
  const out = join(dir, name);
  const run = await runCliCapture(['report', ...args, '-o', out]);
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

/** `reason\u0000location → count` tallied from `dropscope events --json`. */
async function tallyPairs(args: readonly string[]): Promise<Map<string, number>> {
  const run = await runCliCapture(['events', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const tally = new Map<string, number>();
  for (const line of run.stdout.split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as { reason: string | null; location: string | null };
    const key = `${event.reason ?? '(none)'}\u0000${event.location ?? '(none)'}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return tally;
}

const SAMPLES: { file: string; args: string[] }[] = [
  { file: 'perf.script.txt', args: [] },
  { file: 'perf.script-header.txt', args: [] },
  { file: 'perf-callchain.script.txt', args: [] },
  { file: 'perf-weighted.script.txt.gz', args: [] },
  { file: 'ftrace.trace.txt', args: [] },
  { file: 'trace-cmd.report.txt', args: [] },
  { file: 'bpftrace-rich.txt', args: ['--kernel', '6.18'] },
  { file: 'bpftrace-redhat-oneliner.txt', args: ['--kernel', '6.18'] },
];

describe.skipIf(!hasSamples)('dropscope report -o FILE.html on the real samples', () => {
  it.each(SAMPLES)(
    'gives the same numbers as dropscope summary for $file',
    async ({ file, args }) => {
      const input = [samplePath(file), ...args];
      const summary = await summaryOf(input);
      const html = await reportOf(input, `${file}.html`);

      expect(sectionIds(html)).toEqual(SECTION_ORDER);
      expect(html).toContain(`data-total-events="${summary.events}"`);
      // Every reason present is explained, with the summary's count.
      expect(countsByAttribute(sectionHtml(html, 'explanations'), 'explains')).toEqual(
        summary.reasons,
      );
      // The top tables show the summary's largest counts.
      const reasons = countsByAttribute(sectionHtml(html, 'reasons'), 'reason');
      expect(Object.keys(reasons).length).toBe(Math.min(20, Object.keys(summary.reasons).length));
      for (const [name, count] of Object.entries(reasons))
        expect(summary.reasons[name]).toBe(count);
      const locations = countsByAttribute(sectionHtml(html, 'locations'), 'location');
      expect(Object.keys(locations).length).toBe(
        Math.min(20, Object.keys(summary.locations).length),
      );
      for (const [name, count] of Object.entries(locations))
        expect(summary.locations[name]).toBe(count);
      const largestLocations = Object.values(summary.locations)
        .sort((a, b) => b - a)
        .slice(0, 20);
      expect(Object.values(locations).sort((a, b) => b - a)).toEqual(largestLocations);

      expect(externalReferences(html)).toEqual([]);
      expect(unsafeMarkup(html)).toEqual([]);
      expect(sectionHtml(html, 'explanations').match(/What to check next:/g)).toHaveLength(
        Object.keys(summary.reasons).length,
      );
      expect(html).toContain(`data-skipped-lines="${summary.skipped.lines}"`);
    },
  );

  it('has a reason × location breakdown equal to the tally of the events', async () => {
    const input = [samplePath('perf.script.txt')];
    const html = await reportOf(input, 'breakdown.html');
    const tally = await tallyPairs(input);
    const cells = breakdownCells(sectionHtml(html, 'breakdown'));
    expect(cells.size).toBe(Math.min(50, tally.size));
    for (const [cell, count] of cells) expect(tally.get(cell), cell).toBe(count);
    const largest = [...tally.values()].sort((a, b) => b - a).slice(0, 50);
    expect([...cells.values()].sort((a, b) => b - a)).toEqual(largest);
  });

  it('states what was analysed: host, capture command, kernel and how reasons were decoded', async () => {
    const html = await reportOf([samplePath('perf.script-header.txt')], 'header.html');
    const analysed = sectionHtml(html, 'analysed');
    expect(analysed).toContain('<code>vm</code>');
    expect(analysed).toContain('perf record -e skb:kfree_skb');
    expect(analysed).toContain('6.18.44-fc-v595');
    expect(analysed).toContain('the kernel release in the trace header');
    expect(sectionHtml(html, 'totals')).toMatch(/79\.3<\/div><div class="label">drops per second/);
  });

  it('states its filter and counts only the filtered drops', async () => {
    const input = [
      samplePath('perf.script.txt'),
      '--reason',
      'NO_SOCKET,TCP_CSUM',
      '--protocol',
      'IPv4',
    ];
    const summary = await summaryOf(input);
    const html = await reportOf(input, 'filtered.html');
    expect(sectionHtml(html, 'filter')).toContain(
      'data-filter="reason in {NO_SOCKET, TCP_CSUM} and protocol in {IPv4}"',
    );
    expect(html).toContain(`data-total-events="${summary.events}"`);
    expect(countsByAttribute(html, 'explains')).toEqual(summary.reasons);
    const markdown = await reportOf(input, 'filtered.md');
    expect(markdown).toContain(
      '**Filter:** `reason in {NO_SOCKET, TCP_CSUM} and protocol in {IPv4}`',
    );
    expect(markdownCounts(markdown, 'Reason')).toEqual(summary.reasons);
  });

  it('takes a display-filter expression and a time window', async () => {
    const input = [
      samplePath('perf.script.txt'),
      '-Y',
      'location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}',
      '--since',
      '1',
    ];
    const summary = await summaryOf(input);
    const html = await reportOf(input, 'expression.html');
    expect(summary.events).toBeGreaterThan(0);
    expect(html).toContain(`data-total-events="${summary.events}"`);
    expect(countsByAttribute(html, 'explains')).toEqual(summary.reasons);
    expect(sectionHtml(html, 'filter')).toContain('time &gt;= 1');
  });

  it('writes a Markdown summary with the summary numbers, short enough for a ticket', async () => {
    const input = [samplePath('perf.script-header.txt')];
    const summary = await summaryOf(input);
    const markdown = await reportOf(input, 'r.md');
    expect(markdown.trimEnd().split('\n').length).toBeLessThanOrEqual(40);
    const top5 = Object.entries(summary.reasons).slice(0, 5);
    expect(markdownCounts(markdown, 'Reason')).toEqual(Object.fromEntries(top5));
    const topLocations = markdownCounts(markdown, 'Location');
    for (const [name, count] of Object.entries(topLocations))
      expect(summary.locations[name]).toBe(count);
    expect(markdown).toContain(`**Totals:** ${summary.events} drops`);
    expect(markdown).toContain('table `6.18.44` (trace-header)');
  });

  it('combines several files into one report with a column per file', async () => {
    const files = [samplePath('perf.script.txt'), samplePath('ftrace.trace.txt')];
    const [a, b] = [await summaryOf([files[0]!]), await summaryOf([files[1]!])];
    const html = await reportOf(files, 'two.html');
    expect(html).toContain(`data-total-events="${a.events + b.events}"`);
    const combined: Record<string, number> = { ...a.reasons };
    for (const [name, count] of Object.entries(b.reasons))
      combined[name] = (combined[name] ?? 0) + count;
    expect(countsByAttribute(sectionHtml(html, 'explanations'), 'explains')).toEqual(combined);
    expect(sectionHtml(html, 'totals')).toContain(`data-events="${a.events}"`);
    expect(sectionHtml(html, 'totals')).toContain(`data-events="${b.events}"`);
    expect(sectionHtml(html, 'timeline').match(/<svg class="chart timeline"/g)).toHaveLength(2);
  });

  it('escapes a comm, a location and a skipped line holding markup', async () => {
    const file = join(dir, 'hostile.txt');
    writeFileSync(
      file,
      [
        ' <script>x</scr  7243 [000]  6875.302268: skb:kfree_skb: skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=<b>ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
        '    a<img src=x> 7244 [000]  6875.402268: skb:kfree_skb: skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x11 reason: NO_SOCKET',
        'garbage <script>alert(1)</script> line',
        '',
      ].join('\n'),
    );
    const summary = await summaryOf([file]);
    expect(summary.events).toBe(2);
    const html = await reportOf([file], 'hostile.html');
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(unsafeMarkup(html)).toEqual([]);
    expect(html).toContain('&lt;script&gt;x&lt;/scr');
    expect(html).toContain('&lt;b&gt;ip6_pkt_discard+0x11');
    expect(html).toContain('garbage &lt;script&gt;alert(1)&lt;/script&gt; line');
    const markdown = await reportOf([file], 'hostile.md');
    // Markup stays inside code spans, where Markdown shows it as text.
    expect(markdown).toContain('`<b>ip6_pkt_discard+0x11`');
    expect(markdown.replace(/`[^`\n]*`/g, '')).not.toMatch(/<script|<img|<b>/i);
  });
});

describe.skipIf(!hasSamples)('dropscope report usage and failures', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('needs an output with a known extension (exit 2)', async () => {
    const file = samplePath('perf.script.txt');
    expect((await runCliCapture(['report', file])).code).toBe(2);
    const txt = await runCliCapture(['report', file, '-o', join(dir, 'r.txt')]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('.html, .pdf or .md');
    expect((await runCliCapture(['report', file, '--format-out', 'docx'])).code).toBe(2);
    expect((await runCliCapture(['report', '-o', join(dir, 'x.html')])).code).toBe(2);
  });

  it('writes HTML or Markdown to stdout with --format-out and no -o', async () => {
    const run = await runCliCapture([
      'report',
      samplePath('perf.script.txt'),
      '--format-out',
      'md',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## Packet drops in perf\.script\.txt/);
  });

  it('writes no report when a file cannot be read (exit 1)', async () => {
    const out = join(dir, 'missing.html');
    const run = await runCliCapture([
      'report',
      samplePath('perf.script.txt'),
      join(dir, 'nope.txt'),
      '-o',
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nope.txt');
    expect(existsSync(out)).toBe(false);
  });

  it('says so when no Chromium can print the PDF (exit 1)', async () => {
    vi.stubEnv('DROPSCOPE_CHROMIUM', join(dir, 'no-chromium-here'));
    const out = join(dir, 'none.pdf');
    const run = await runCliCapture(['report', samplePath('perf.script.txt'), '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'no headless Chromium found for PDF output (install chromium, or set DROPSCOPE_CHROMIUM); the HTML report renders the same content',
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!hasSamples)('dropscope convert --to breakdown-csv', () => {
  it('writes the reason × location table with the counts of the events', async () => {
    const input = [samplePath('perf.script.txt')];
    const out = join(dir, 'breakdown.csv');
    const run = await runCliCapture(['convert', ...input, '--to', 'breakdown-csv', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header).toBe('reason,location,count,percent_of_total');
    const tally = await tallyPairs(input);
    expect(rows).toHaveLength(tally.size);
    const summary = await summaryOf(input);
    let total = 0;
    for (const row of rows) {
      // Sample locations hold no comma or quote, so a plain split is exact here.
      const [reason, location, count, percent] = row.split(',');
      expect(tally.get(`${reason}\u0000${location}`), row).toBe(Number(count));
      expect(Number(percent)).toBeCloseTo((100 * Number(count)) / summary.events, 3);
      total += Number(count);
    }
    expect(total).toBe(summary.events);
  });
});

// The PDF needs a headless Chromium and pdftoppm (poppler-utils). Outside CI the test skips with
// a message when either is missing; in CI (process.env.CI) it runs and fails: CI installs both.
const chromium = findChromium();
const hasPdftoppm = spawnSync('pdftoppm', ['-v']).error === undefined;
const inCi = Boolean(process.env.CI);
const pdfMissing = [
  chromium.ok ? '' : 'a headless Chromium (apt-get install chromium, or set DROPSCOPE_CHROMIUM)',
  hasPdftoppm ? '' : 'pdftoppm (apt-get install poppler-utils)',
].filter(Boolean);
if (pdfMissing.length > 0 && !inCi)
  console.warn(`report PDF test skipped: missing ${pdfMissing.join(' and ')}`);

describe.skipIf(!hasSamples || (pdfMissing.length > 0 && !inCi))(
  'dropscope report -o FILE.pdf',
  () => {
    it('renders a PDF whose first page turns into a non-trivial PNG', async () => {
      expect(pdfMissing, 'CI must install chromium and poppler-utils (.ci/run)').toEqual([]);
      const artifacts = join(repoRoot, 'test-results', 'report');
      rmSync(artifacts, { recursive: true, force: true });
      mkdirSync(artifacts, { recursive: true });
      const pdf = join(artifacts, 'r.pdf');
      const run = await runCliCapture(['report', samplePath('perf.script.txt'), '-o', pdf]);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      const convert = spawnSync(
        'pdftoppm',
        ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(artifacts, 'page')],
        { encoding: 'utf8' },
      );
      expect(convert.status, convert.stderr).toBe(0);
      const page = readdirSync(artifacts).find((name) => /^page-0*1\.png$/.test(name));
      expect(page, `pdftoppm wrote page 1 into ${artifacts}`).toBeDefined();
      // An A4 page at 60 dpi with the title, tables and tiles is tens of KB; a blank page is ~2 KB.
      expect(statSync(join(artifacts, page!)).size).toBeGreaterThan(15_000);
    }, 120_000);
  },
);
