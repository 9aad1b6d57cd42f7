import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../main/engine';
import { assembleReport, MarkdownReportRenderer } from '../../../main/report';
import { describeReason } from '../../../shared/reasons';
import { eventsOf, loadedTraceOf } from './loadedTraceOf';
import { markdownCounts } from './reportChecks';

const renderer = new MarkdownReportRenderer();
const REASONS = [
  'NO_SOCKET',
  'TCP_CSUM',
  'UDP_CSUM',
  'IP_CSUM',
  'NETFILTER_DROP',
  'OTHERHOST',
  'DUP_FRAG',
];

function trace(file = 'a.txt'): ReturnType<typeof loadedTraceOf> {
  return loadedTraceOf(
    REASONS.flatMap((reason, i) => eventsOf(10 - i, reason, `fn_${i}|x+0x1`)),
    { file },
  );
}

describe('MarkdownReportRenderer', () => {
  it('lists the top 5 reasons with share and one-line meaning, and the top 5 locations', () => {
    const markdown = renderer.markdown(assembleReport([buildReportData(trace(), {}, null)]));
    expect(markdownCounts(markdown, 'Reason')).toEqual({
      NO_SOCKET: 10,
      TCP_CSUM: 9,
      UDP_CSUM: 8,
      IP_CSUM: 7,
      NETFILTER_DROP: 6,
    });
    expect(markdown).toContain('| `NO_SOCKET` | 10 | 20.4% |');
    expect(markdown).toContain(describeReason('TCP_CSUM').summary);
    expect(markdown).toContain('| 2 more reasons | 9 | 18.4% | |');
    // A pipe inside a location must not split the table cell.
    expect(markdownCounts(markdown, 'Location')['fn_0|x+0x1']).toBe(10);
    expect(markdown).toContain('**Filter:** none');
  });

  it('stays short enough for a ticket, also for several traces', () => {
    const one = renderer.markdown(assembleReport([buildReportData(trace(), {}, null)]));
    const many = renderer.markdown(
      assembleReport(
        ['a', 'b', 'c', 'd'].map((name) => buildReportData(trace(`${name}.txt`), {}, null)),
      ),
    );
    expect(one.trimEnd().split('\n').length).toBeLessThanOrEqual(40);
    expect(many.trimEnd().split('\n').length).toBeLessThanOrEqual(40);
    expect(many).toContain('4 traces');
  });

  it('states the filter', () => {
    const data = buildReportData(
      trace(),
      { expr: { kind: 'in', field: 'reason', values: ['NO_SOCKET'] } },
      'reason in {NO_SOCKET}',
    );
    const markdown = renderer.markdown(assembleReport([data]));
    expect(markdown).toContain('**Filter:** `reason in {NO_SOCKET}`');
    expect(markdownCounts(markdown, 'Reason')).toEqual({ NO_SOCKET: 10 });
  });

  it('keeps HTML out of the text', () => {
    const hostile = loadedTraceOf(eventsOf(1, 'NO_SOCKET', 'x+0x1'), {
      meta: { capturedOn: '<script>x</script>' },
      warnings: ['<img src=x>'],
    });
    const markdown = renderer.markdown(assembleReport([buildReportData(hostile, {}, null)]));
    expect(markdown).not.toMatch(/<script|<img/);
  });
});
