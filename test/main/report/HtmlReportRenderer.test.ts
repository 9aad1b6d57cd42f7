import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../main/engine';
import { assembleReport, HtmlReportRenderer } from '../../../main/report';
import { eventsOf, loadedTraceOf } from './loadedTraceOf';
import {
  breakdownCells,
  countsByAttribute,
  externalReferences,
  SECTION_ORDER,
  sectionHtml,
  sectionIds,
  unsafeMarkup,
} from './reportChecks';

const renderer = new HtmlReportRenderer();

function htmlOf(...traces: ReturnType<typeof loadedTraceOf>[]): string {
  const data = traces.map((trace) =>
    buildReportData(trace, {}, null, { generatedAt: new Date(0) }),
  );
  return renderer.html(assembleReport(data));
}

const ordinary = loadedTraceOf([
  ...eventsOf(6, 'NO_SOCKET', 'udp_rcv+0x1'),
  ...eventsOf(3, 'NETFILTER_DROP', 'nf_hook_slow+0xa0', 2_000_000_000),
  ...eventsOf(1, 'MADE_UP_REASON', 'somewhere+0x2', 3_000_000_000),
]);

const hostile = loadedTraceOf(
  [
    ...eventsOf(2, 'NO_SOCKET', '<b>udp_rcv+0x1', 1_000_000_000, {
      comm: '<script>alert(1)</script>',
    }),
    ...eventsOf(1, 'TCP_CSUM', 'tcp"x\'<img src=x onerror=alert(2)>', 2_000_000_000, {
      comm: '<img src=x>',
    }),
  ],
  {
    file: '/tmp/<evil>.txt',
    meta: { hostname: '<h1>host</h1>', cmdline: 'perf record </style><script>' },
    skipped: { lines: 1, examples: [{ line: 3, text: '<script>x</script>', why: 'not <ok>' }] },
    warnings: ['<iframe>'],
  },
);

describe('HtmlReportRenderer', () => {
  it('puts the sections in the promised order', () => {
    expect(sectionIds(htmlOf(ordinary))).toEqual(SECTION_ORDER);
  });

  it('references nothing outside the file: no URL, no src, no href but #anchors', () => {
    const html = htmlOf(ordinary);
    expect(externalReferences(html)).toEqual([]);
    expect(html).toMatch(/href="#reason-1"/);
  });

  it('keeps hostile trace text out of tags and attributes', () => {
    const html = htmlOf(ordinary, hostile);
    // Trace text holds `src=` and `<img`, escaped; no tag of the page may carry them.
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
    expect(unsafeMarkup(html)).toEqual([]);
  });

  it('has a markup check that would catch a loading tag or attribute', () => {
    expect(unsafeMarkup('<p data-x="&lt;img src=x&gt;">a</p>')).toEqual([]);
    expect(unsafeMarkup('<img src="a.png">')).toEqual(['<img>', 'img src=']);
    expect(unsafeMarkup('<a href="https://x">x</a><a href="#y">y</a>')).toEqual([
      'a href=https://x',
    ]);
    expect(unsafeMarkup('<div onclick=alert(1)>')).toEqual(['div onclick=']);
  });

  it('escapes every string that comes from the trace', () => {
    const html = htmlOf(hostile);
    expect(html).not.toMatch(/<script|<img|<b>|<h1>host|<iframe|<evil>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;udp_rcv+0x1');
    expect(html).toContain('tcp&quot;x&#39;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;h1&gt;host&lt;/h1&gt;');
    expect(html).toContain('not &lt;ok&gt;');
    expect(html).toContain('&lt;iframe&gt;');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    // The escaped values still read back as the original strings.
    expect(countsByAttribute(sectionHtml(html, 'totals'), 'comm')).toEqual({
      '<script>alert(1)</script>': 2,
      '<img src=x>': 1,
    });
  });

  it('explains every reason present, with its meaning and what to check next', () => {
    const html = htmlOf(ordinary);
    expect(countsByAttribute(html, 'explains')).toEqual({
      NO_SOCKET: 6,
      NETFILTER_DROP: 3,
      MADE_UP_REASON: 1,
    });
    const explanations = sectionHtml(html, 'explanations');
    expect(explanations.match(/What to check next:/g)).toHaveLength(3);
    expect(explanations).toContain('not in Dropscope’s catalogue');
  });

  it('carries the raw figures on its rows', () => {
    const html = htmlOf(ordinary);
    expect(html).toContain('data-total-events="10"');
    expect(countsByAttribute(sectionHtml(html, 'reasons'), 'reason')).toEqual({
      NO_SOCKET: 6,
      NETFILTER_DROP: 3,
      MADE_UP_REASON: 1,
    });
    expect(countsByAttribute(sectionHtml(html, 'locations'), 'location')).toEqual({
      'udp_rcv+0x1': 6,
      'nf_hook_slow+0xa0': 3,
      'somewhere+0x2': 1,
    });
    expect(breakdownCells(html).get('NETFILTER_DROP\u0000nf_hook_slow+0xa0')).toBe(3);
  });

  it('draws the timeline and the top reasons as inline SVG with axis labels and a legend', () => {
    const html = htmlOf(ordinary);
    const timeline = sectionHtml(html, 'timeline');
    expect(timeline).toMatch(/<svg class="chart timeline"/);
    expect(timeline).toContain('seconds since the first drop');
    expect(timeline).toMatch(/drops per \d+ (ms|s|µs)/);
    expect(timeline).toMatch(/NO_SOCKET <tspan class="muted">6<\/tspan>/);
    expect(sectionHtml(html, 'reasons')).toMatch(/<svg class="chart bars"[\s\S]*6 · 60\.0%/);
  });

  it('labels the time axis in a unit that suits the span, even for a single drop', () => {
    const seconds = sectionHtml(htmlOf(ordinary), 'timeline');
    expect(seconds).toContain('seconds since the first drop');
    const short = sectionHtml(
      htmlOf(loadedTraceOf(eventsOf(10, 'NO_SOCKET', 'x+0x1'))),
      'timeline',
    );
    expect(short).toContain('milliseconds since the first drop');
    expect(short).toMatch(/class="tick">8<\/text>/);
    const single = sectionHtml(
      htmlOf(loadedTraceOf(eventsOf(1, 'NO_SOCKET', 'x+0x1'))),
      'timeline',
    );
    expect(single).toContain('microseconds since the first drop');
    for (const html of [seconds, short, single]) expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('says when a trace has no timestamps instead of drawing an empty chart', () => {
    const html = htmlOf(
      loadedTraceOf(eventsOf(2, 'NO_SOCKET', 'x+0x1', 0, { timestampNs: Number.NaN })),
    );
    expect(sectionHtml(html, 'timeline')).toContain('no timestamps');
  });

  it('shows the filter, or says there was none', () => {
    const data = buildReportData(
      ordinary,
      { expr: { kind: 'in', field: 'reason', values: ['NO_SOCKET'] } },
      'reason in {NO_SOCKET}',
    );
    const filtered = renderer.html(assembleReport([data]));
    expect(sectionHtml(filtered, 'filter')).toContain('data-filter="reason in {NO_SOCKET}"');
    expect(sectionHtml(filtered, 'filter')).toContain('data-total-events="6"');
    expect(sectionHtml(htmlOf(ordinary), 'filter')).toContain('No filter');
  });

  it('reports skipped lines and warnings', () => {
    const quality = sectionHtml(htmlOf(hostile), 'quality');
    expect(quality).toContain('data-skipped-lines="1"');
    expect(quality).toContain('data-line="3"');
    expect(quality).toContain('data-warnings="1"');
  });

  it('combines several traces with a column per file', () => {
    const second = loadedTraceOf(eventsOf(4, 'NO_SOCKET', 'udp_rcv+0x1'), { file: 'b.txt' });
    const html = htmlOf(ordinary, second);
    expect(html).toContain('data-total-events="14"');
    expect(countsByAttribute(sectionHtml(html, 'reasons'), 'reason').NO_SOCKET).toBe(10);
    expect(sectionHtml(html, 'totals')).toContain('data-trace-file="b.txt" data-events="4"');
    expect(sectionHtml(html, 'timeline').match(/<svg class="chart timeline"/g)).toHaveLength(2);
  });
});
