import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ftraceFormat } from '../../../main/ingest/ftrace';
import { perfScriptFormat } from '../../../main/ingest/perfScript';
import { traceCmdReportFormat } from '../../../main/ingest/traceCmdReport';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, readManifest, repoRoot, samplePath } from '../../helpers/samples';
import type { EventInput } from '../../../shared/model';
import { mutateLines } from '../../helpers/mutateLines';

const readSample = (name: string): string => readFileSync(samplePath(name), 'utf8');

function headOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 200);
}

function countReasons(events: readonly EventInput[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    const key = event.reason ?? 'null';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const parse = (text: string) => collectParse(traceCmdReportFormat, text);

const PAYLOAD =
  'skbaddr=0xffff888105352b00 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES';

describe.skipIf(!hasSamples)('traceCmdReportFormat on the real sample', () => {
  it('reads every event of trace-cmd.report.txt with the per-reason counts of the MANIFEST', () => {
    const expected = readManifest().get('trace-cmd.report.txt');
    expect(expected, 'MANIFEST has no section for trace-cmd.report.txt').toBeDefined();
    const result = parse(readSample('trace-cmd.report.txt'));
    expect(result.skipped).toEqual([]);
    expect(result.events).toHaveLength(expected?.events ?? -1);
    expect(countReasons(result.events)).toEqual(expected?.reasons);
    expect(result.meta).toEqual({ nrCpus: 2 });
  });

  it('reads comm, pid, cpu, time and the raw pointers of an event line', () => {
    const [first] = parse(readSample('trace-cmd.report.txt')).events;
    expect(first).toMatchObject({
      comm: 'kworker/u8:1',
      pid: 32,
      cpu: 1,
      timestampNs: 6915455052000,
      skbaddr: '0xffff888105352b00',
      rxSk: null,
      protocol: 34525,
      location: 'ip6_pkt_discard+0x11',
      reason: 'IP_INNOROUTES',
      line: 2,
    });
  });

  it('counts a truncated last line as skipped and keeps every complete event', () => {
    const text = readSample('trace-cmd.report.txt').trimEnd();
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    const complete = parse(text.slice(0, text.lastIndexOf('\n'))).events;
    const cuts = [
      10,
      25,
      40,
      lastLine.indexOf('skbaddr=') + 12,
      lastLine.indexOf('location=') + 12,
      lastLine.indexOf('reason:') + 7,
    ];
    for (const cut of cuts) {
      const result = parse(text.slice(0, text.length - lastLine.length + cut));
      expect(result.events, `cut at ${cut}`).toEqual(complete);
      expect(result.skipped, `cut at ${cut}`).toHaveLength(1);
    }
  });

  it('scores its own sample clearly above perf script and ftrace, also without the cpus= line', () => {
    const head = headOf(readSample('trace-cmd.report.txt'));
    for (const lines of [head, head.slice(1)]) {
      const own = traceCmdReportFormat.detect(lines);
      expect(own).toBeGreaterThanOrEqual(0.9);
      expect(perfScriptFormat.detect(lines)).toBeLessThan(own - 0.5);
      expect(ftraceFormat.detect(lines)).toBeLessThan(own - 0.5);
    }
    for (const name of [
      'perf.script.txt',
      'ftrace.trace.txt',
      'ftrace.trace_pipe.txt',
      'bpftrace-rich.txt',
    ]) {
      expect(traceCmdReportFormat.detect(headOf(readSample(name))), name).toBe(0);
    }
  });
});

describe('traceCmdReportFormat on hand-made lines', () => {
  it('reads the -l latency form, skb:kfree_skb names, dropped events and the version header', () => {
    const text = readFileSync(
      `${repoRoot}/test/fixtures/trace-cmd-report/latency-and-drops.txt`,
      'utf8',
    );
    const result = parse(text);
    expect(result.events.map((event) => [event.comm, event.pid, event.cpu, event.reason])).toEqual([
      ['kworker/', 7243, 1, 'IP_INNOROUTES'],
      ['ip', 27730, 0, 'NOT_SPECIFIED'],
      ['python3', 27904, 0, 'TCP_CSUM'],
    ]);
    expect(result.events[2]?.rxSk).toBe('0xffff88810c2a8000');
    expect(result.meta).toEqual({ traceDatVersion: 6, nrCpus: 4, lost: 12 });
    expect(result.warnings).toEqual(['line 5: CPU 0 dropped 12 events']);
    expect(result.skipped.map((skip) => [skip.line, skip.why])).toEqual([
      [8, 'other event: consume_skb'],
    ]);
    expect(traceCmdReportFormat.detect(headOf(text).slice(3))).toBeGreaterThanOrEqual(0.9);
  });

  it('reads comm names with dashes and spaces, -t nanoseconds and --ts-diff columns', () => {
    const { events, skipped } = parse(
      [
        'cpus=2',
        `     gnome-shell-2345  [000]  100.000001: kfree_skb:            ${PAYLOAD}`,
        `     Web Content-4242  [001]  100.000002123: kfree_skb:            ${PAYLOAD}`,
        `kworker/u8:3-fl-7243  [001]  100.000003: (+1000)    kfree_skb:            ${PAYLOAD}`,
        `           <...>-77    [001]  100.000004:            kfree_skb:            ${PAYLOAD}`,
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.comm, event.pid, event.cpu, event.timestampNs])).toEqual([
      ['gnome-shell', 2345, 0, 100000001000],
      ['Web Content', 4242, 1, 100000002123],
      ['kworker/u8:3-fl', 7243, 1, 100000003000],
      [null, 77, 1, 100000004000],
    ]);
  });

  it('loads pre-5.17 lines without a reason, lines without rx_sk, hex reasons and the usual protocols', () => {
    const line = (payload: string) =>
      `          <idle>-0     [001]  100.000001: kfree_skb:            ${payload}`;
    const { events, skipped } = parse(
      [
        line('skbaddr=0xffff8881028c6e00 protocol=2048 location=0xffffffff81a3c1e2'),
        line('skbaddr=0xffff8881028c6e00 protocol=2048 location=0xffffffff81a3c1e2'),
        line(
          'skbaddr=0xffff8881028c6f00 protocol=34525 location=ip6_mc_input+0x15e reason: NOT_SPECIFIED',
        ),
        line(
          'skbaddr=0xffff8881028c6f00 rx_sk=(nil) protocol=2054 location=arp_rcv+0x8b reason: 0x10003',
        ),
        line(
          'skbaddr=0xffff8881028c6f00 rx_sk=(nil) protocol=12 location=can_rcv+0x4c reason: CAN_RX_INVALID_FRAME',
        ),
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(
      events.map((event) => [event.protocol, event.reason, event.reasonValue, event.location]),
    ).toEqual([
      [2048, null, -1, '0xffffffff81a3c1e2'],
      [2048, null, -1, '0xffffffff81a3c1e2'],
      [34525, 'NOT_SPECIFIED', -1, 'ip6_mc_input+0x15e'],
      [2054, null, 0x10003, 'arp_rcv+0x8b'],
      [12, 'CAN_RX_INVALID_FRAME', -1, 'can_rcv+0x4c'],
    ]);
  });

  it('skips other events, garbage and binary junk with a reason and never throws', () => {
    const result = parse(
      [
        'cpus=2',
        'CPU 1 is empty',
        'CPU:0 [SUBBUFFER START]',
        'CPU:1 [EVENTS DROPPED]',
        '              ip-27730 [000]  6915.530242: consume_skb:          skbaddr=0xffff88810adc8700 location=x+0x1',
        'garbage line',
        '\u0000\u00ff\ufffd\u0007',
        `              ip-27730 [000]  6915.53x242: kfree_skb:            ${PAYLOAD}`,
        '              ip-27730 [000]  6915.530242: kfree_skb:            skbaddr=0xffff88810adc8700 protocol=0',
        ' kworker/u8:3-fl  7243 [000]  6875.302268: skb:kfree_skb: skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
        ' '.repeat(100_000) + '-1 '.repeat(10_000),
      ].join('\n'),
    );
    expect(result.events).toEqual([]);
    expect(result.warnings).toEqual(['line 4: CPU 1 dropped events (count not recorded)']);
    expect(result.skipped.map((skip) => skip.why)).toEqual([
      'other event: consume_skb',
      'not a skb:kfree_skb event line',
      'not a skb:kfree_skb event line',
      'bad timestamp',
      'missing location=',
      'missing task-pid before [cpu]',
      'not a skb:kfree_skb event line',
    ]);
  });

  it('leaves the time unknown and warns once for a raw counter clock', () => {
    const result = parse(
      [
        `          <idle>-0     [001] 123456789012: kfree_skb:            ${PAYLOAD}`,
        `          <idle>-0     [001] 123456789013: kfree_skb:            ${PAYLOAD}`,
      ].join('\n'),
    );
    expect(result.events.map((event) => event.timestampNs)).toEqual([Number.NaN, Number.NaN]);
    expect(result.warnings).toHaveLength(1);
  });
});

describe.skipIf(!hasSamples)('traceCmdReportFormat fuzzing', () => {
  it('never throws on 300 seeded mutations of sample lines and reads each line at most once', () => {
    const lines = [
      ...readSample('trace-cmd.report.txt').split('\n').slice(0, 120),
      'CPU:0 [12 EVENTS DROPPED]',
      `kworker/-7243    1..s1  6915.455052: kfree_skb:            ${PAYLOAD}`,
    ];
    const mutated = mutateLines(lines, 300, 0x7cd);
    const result = parse(mutated.join('\n'));
    expect(result.events.length + result.skipped.length).toBeLessThanOrEqual(mutated.length);
    for (const event of result.events) {
      expect(event.skbaddr).not.toBeNull();
      expect(event.location).not.toBeNull();
      expect(event.protocol).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('traceCmdReportFormat with --verbose', () => {
  it('treats the plugin registration lines as noise, not skipped lines', () => {
    const text = readFileSync(
      `${repoRoot}/test/fixtures/trace-cmd-report/verbose-head.txt`,
      'utf8',
    );
    const parsed = collectParse(traceCmdReportFormat, text);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events).toHaveLength(5);
  });
});
