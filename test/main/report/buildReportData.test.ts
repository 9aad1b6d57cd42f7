import { describe, expect, it } from 'vitest';
import { buildReportData, summarizeTrace } from '../../../main/engine';
import { BREAKDOWN_CELLS, TIMELINE_REASON_SERIES } from '../../../main/report';
import type { EventInput } from '../../../shared/model';
import { describeReason } from '../../../shared/reasons';
import { eventsOf, loadedTraceOf } from './loadedTraceOf';

const AT = new Date('2026-01-02T03:04:05.000Z');

/** `n` reasons, reason i having n - i events (so their order is fixed). */
function manyReasons(n: number): Partial<EventInput>[] {
  const names = [
    'NO_SOCKET',
    'TCP_CSUM',
    'UDP_CSUM',
    'IP_CSUM',
    'NETFILTER_DROP',
    'SOCKET_RCVBUFF',
    'TCP_LISTEN_OVERFLOW',
    'QDISC_DROP',
    'OTHERHOST',
    'IP_NOPROTO',
    'PKT_TOO_SMALL',
    'DUP_FRAG',
  ];
  return names
    .slice(0, n)
    .flatMap((name, i) => eventsOf(n - i, name, `fn_${i}+0x1`, 1_000_000_000 + i * 7_000_000));
}

describe('buildReportData', () => {
  it('counts reasons, locations and totals exactly as the summary does', () => {
    const trace = loadedTraceOf([
      ...eventsOf(5, 'NO_SOCKET', 'udp_rcv+0x1'),
      ...eventsOf(3, 'NETFILTER_DROP', 'nf_hook_slow+0xa0', 2_000_000_000),
      ...eventsOf(2, 'NO_SOCKET', 'tcp_v4_rcv+0x91', 3_000_000_000),
    ]);
    const data = buildReportData(trace, {}, null, { generatedAt: AT });
    const summary = summarizeTrace(trace);
    expect(data.totals.events).toBe(summary.events);
    expect(Object.fromEntries(data.reasons.map((r) => [r.name, r.count]))).toEqual(summary.reasons);
    expect(Object.fromEntries(data.locations.map((l) => [l.key, l.count]))).toEqual(
      summary.locations,
    );
    expect(data.reasons[0]).toMatchObject({ name: 'NO_SOCKET', count: 7, percent: 70 });
    expect(data.span).toEqual({
      firstNs: summary.firstNs,
      lastNs: summary.lastNs,
      durationNs: (summary.lastNs ?? 0) - (summary.firstNs ?? 0),
    });
    expect(data.generatedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('explains every reason present with the catalogue summary, next steps and category', () => {
    const trace = loadedTraceOf([
      ...eventsOf(2, 'SOCKET_RCVBUFF', 'sock_queue_rcv_skb+0x1'),
      ...eventsOf(1, 'TCP_LISTEN_OVERFLOW', 'tcp_conn_request+0x1'),
    ]);
    const data = buildReportData(trace, {}, null);
    for (const reason of data.reasons) {
      const info = describeReason(reason.name);
      expect(reason).toMatchObject({
        summary: info.summary,
        nextSteps: info.nextSteps,
        category: info.category,
        known: true,
      });
    }
  });

  it('explains events without a reason (kernels before 5.17) instead of calling them unknown names', () => {
    const data = buildReportData(loadedTraceOf(eventsOf(4, null, 'kfree_skb+0x1')), {}, null);
    expect(data.reasons).toHaveLength(1);
    expect(data.reasons[0]?.name).toBe('(none)');
    expect(data.reasons[0]?.summary).toMatch(/5\.17/);
  });

  it('stacks the timeline so every timed event is in exactly one bucket', () => {
    const data = buildReportData(loadedTraceOf(manyReasons(5)), {}, null);
    const timeline = data.timeline!;
    const drawn = timeline.series.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0);
    expect(drawn).toBe(data.totals.events);
    expect(timeline.outside).toBe(0);
    expect(timeline.buckets).toBeLessThanOrEqual(121);
    expect(timeline.buckets * timeline.bucketNs).toBeGreaterThan(data.span!.durationNs);
    expect(String(timeline.bucketNs)).toMatch(/^[125]0*$/);
    expect(timeline.series.map((s) => s.key)).toEqual(data.reasons.map((r) => r.name));
  });

  it(`keeps the top ${TIMELINE_REASON_SERIES} reasons as series and sums the rest as other`, () => {
    const data = buildReportData(loadedTraceOf(manyReasons(12)), {}, null);
    const series = data.timeline!.series;
    expect(series).toHaveLength(TIMELINE_REASON_SERIES + 1);
    expect(series.slice(0, -1).every((s) => !s.isOther)).toBe(true);
    const other = series[series.length - 1]!;
    expect(other).toMatchObject({ key: 'other', isOther: true });
    const rest = data.reasons.slice(TIMELINE_REASON_SERIES).reduce((sum, r) => sum + r.count, 0);
    expect(other.total).toBe(rest);
  });

  it('draws nine reasons as nine series without an other remainder', () => {
    const data = buildReportData(loadedTraceOf(manyReasons(9)), {}, null);
    expect(data.timeline!.series).toHaveLength(9);
    expect(data.timeline!.series.some((s) => s.isOther)).toBe(false);
  });

  it('has no timeline and no rate when the format has no timestamps', () => {
    const trace = loadedTraceOf(eventsOf(3, 'NO_SOCKET', 'x+0x1', 0, { timestampNs: Number.NaN }));
    const data = buildReportData(trace, {}, null);
    expect(data.span).toBeNull();
    expect(data.timeline).toBeNull();
    expect(data.dropsPerSecond).toBeNull();
    expect(data.totals.events).toBe(3);
  });

  it('gives the drop rate as events per second of span', () => {
    // 11 events 1 ms apart: a 10 ms span.
    const data = buildReportData(loadedTraceOf(eventsOf(11, 'NO_SOCKET', 'x+0x1')), {}, null);
    expect(data.dropsPerSecond).toBeCloseTo(1100, 6);
  });

  it(`keeps the ${BREAKDOWN_CELLS} largest reason × location cells and says how many there are`, () => {
    const events = Array.from({ length: 60 }, (_, i) =>
      eventsOf(i + 1, 'NO_SOCKET', `fn_${i}+0x1`),
    ).flat();
    const data = buildReportData(loadedTraceOf(events), {}, null);
    expect(data.breakdown.totalCells).toBe(60);
    expect(data.breakdown.cells).toHaveLength(BREAKDOWN_CELLS);
    expect(data.breakdown.cells[0]).toMatchObject({ location: 'fn_59+0x1', count: 60 });
  });

  it('counts only the filtered events and keeps the filter text', () => {
    const trace = loadedTraceOf([
      ...eventsOf(5, 'NO_SOCKET', 'udp_rcv+0x1'),
      ...eventsOf(3, 'NETFILTER_DROP', 'nf_hook_slow+0xa0'),
    ]);
    const filter = { expr: { kind: 'in', field: 'reason', values: ['NETFILTER_DROP'] } } as const;
    const data = buildReportData(trace, filter, 'reason in {NETFILTER_DROP}');
    expect(data.totals).toMatchObject({ events: 3, eventsInTrace: 8 });
    expect(data.reasons.map((r) => r.name)).toEqual(['NETFILTER_DROP']);
    expect(data.reasons[0]?.percent).toBe(100);
    expect(data.filter).toBe('reason in {NETFILTER_DROP}');
  });

  it('reads host, capture command and lost events from the trace meta', () => {
    const trace = loadedTraceOf(eventsOf(1, 'NO_SOCKET', 'x+0x1'), {
      meta: { hostname: 'vm', cmdline: 'perf record -e skb:kfree_skb', capturedOn: 'Tue', lost: 7 },
    });
    expect(buildReportData(trace, {}, null).meta).toEqual({
      hostname: 'vm',
      captureCommand: 'perf record -e skb:kfree_skb',
      capturedOn: 'Tue',
      osRelease: null,
      lostEvents: 7,
    });
  });
});
