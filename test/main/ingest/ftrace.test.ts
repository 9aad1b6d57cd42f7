import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ftraceFormat } from '../../../main/ingest/ftrace';
import { perfScriptFormat } from '../../../main/ingest/perfScript';
import { traceCmdReportFormat } from '../../../main/ingest/traceCmdReport';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, readManifest, repoRoot, samplePath } from '../../helpers/samples';
import type { ManifestEntry } from '../../helpers/samples';
import type { EventInput } from '../../../shared/model';
import { mutateLines } from '../../helpers/mutateLines';

const FTRACE_SAMPLES = ['ftrace.trace.txt', 'ftrace.trace_pipe.txt'];

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

const parse = (text: string) => collectParse(ftraceFormat, text);

const PAYLOAD =
  'skbaddr=000000008ce2375b rx_sk=0000000000000000 protocol=34525 location=ip6_pkt_discard+0x11/0x20 reason: IP_INNOROUTES';

describe.skipIf(!hasSamples)('ftraceFormat on the real samples', () => {
  const manifest = hasSamples ? readManifest() : new Map<string, ManifestEntry>();

  it.each(FTRACE_SAMPLES)(
    'reads every event of %s with the per-reason counts of the MANIFEST',
    (name) => {
      const expected = manifest.get(name);
      expect(expected, `MANIFEST has no section for ${name}`).toBeDefined();
      const result = parse(readSample(name));
      expect(result.skipped).toEqual([]);
      expect(result.events).toHaveLength(expected?.events ?? -1);
      expect(countReasons(result.events)).toEqual(expected?.reasons);
    },
  );

  it('reads the trace header into the meta, with nothing lost', () => {
    const { meta, warnings } = parse(readSample('ftrace.trace.txt'));
    expect(meta).toEqual({
      tracer: 'nop',
      entriesInBuffer: 405,
      entriesWritten: 405,
      nrCpus: 2,
      lost: 0,
    });
    expect(warnings).toEqual([]);
  });

  it('reads comm, pid, cpu, time and the hashed pointers of an event line', () => {
    const [first] = parse(readSample('ftrace.trace.txt')).events;
    expect(first).toEqual({
      timestampNs: 6925762560000,
      cpu: 1,
      pid: 7243,
      comm: 'kworker/u8:3',
      skbaddr: '000000008ce2375b',
      rxSk: null,
      protocol: 34525,
      location: 'ip6_pkt_discard+0x11',
      reason: 'IP_INNOROUTES',
      reasonValue: -1,
      callchain: null,
      line: 13,
      extra: null,
    });
  });

  it('counts a truncated last line as skipped and keeps every complete event', () => {
    const text = readSample('ftrace.trace_pipe.txt').trimEnd();
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

  it('scores its own samples clearly above perf script and trace-cmd report', () => {
    for (const name of FTRACE_SAMPLES) {
      const head = headOf(readSample(name));
      const own = ftraceFormat.detect(head);
      expect(own, name).toBeGreaterThanOrEqual(0.9);
      expect(perfScriptFormat.detect(head), name).toBeLessThan(own - 0.5);
      expect(traceCmdReportFormat.detect(head), name).toBeLessThan(own - 0.5);
    }
    for (const name of [
      'perf.script.txt',
      'trace-cmd.report.txt',
      'bpftrace-rich.txt',
      'bpftrace-redhat-oneliner.txt',
    ]) {
      expect(ftraceFormat.detect(headOf(readSample(name))), name).toBe(0);
    }
  });
});

describe('ftraceFormat on hand-made lines', () => {
  it('reads comm names with dashes and spaces: the pid follows the last dash', () => {
    const { events, skipped } = parse(
      [
        `     gnome-shell-2345    [002] ..s1.  100.000001: kfree_skb: ${PAYLOAD}`,
        `     Web Content-4242    [000] ..s1.  100.000002: kfree_skb: ${PAYLOAD}`,
        `kworker/u8:3-fl-7243    [001] ..s1.  100.000003: kfree_skb: ${PAYLOAD}`,
        `           <...>-9999    [003] ..s1.  100.000004: kfree_skb: ${PAYLOAD}`,
        `  a-1 [0] 2-3-12     [001] ..s1.  100.000005: kfree_skb: ${PAYLOAD}`,
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.comm, event.pid, event.cpu])).toEqual([
      ['gnome-shell', 2345, 2],
      ['Web Content', 4242, 0],
      ['kworker/u8:3-fl', 7243, 1],
      [null, 9999, 3],
      ['a-1 [0] 2-3', 12, 1],
    ]);
  });

  it('reads lines without the flags column, with 4-character flags and with the tgid column', () => {
    const { events, skipped } = parse(
      [
        `          <idle>-0       [001]  100.000001: kfree_skb: ${PAYLOAD}`,
        `     ksoftirqd/0-9       [000] ..s.  100.000002: kfree_skb: ${PAYLOAD}`,
        `            sshd-815     (    812) [001] ..s1.  100.000003: kfree_skb: ${PAYLOAD}`,
        `            sshd-815     (-------) [001] ..s1.  100.000004: kfree_skb: ${PAYLOAD}`,
        `          python-77      [002] d..2.  100.000005123: kfree_skb: ${PAYLOAD}`,
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.comm, event.pid, event.cpu, event.timestampNs])).toEqual([
      ['<idle>', 0, 1, 100000001000],
      ['ksoftirqd/0', 9, 0, 100000002000],
      ['sshd', 815, 1, 100000003000],
      ['sshd', 815, 1, 100000004000],
      ['python', 77, 2, 100000005123],
    ]);
  });

  it('loads pre-5.17 lines without a reason and lines without rx_sk', () => {
    const { events, skipped } = parse(
      [
        '          <idle>-0       [001] ..s.  100.000001: kfree_skb: skbaddr=00000000a1b2c3d4 protocol=2048 location=00000000deadbeef',
        '          <idle>-0       [001] ..s.  100.000002: kfree_skb: skbaddr=00000000a1b2c3d4 protocol=2048 location=00000000deadbeef',
        '     gnome-shell-2345    [002] ..s1.  100.000003: kfree_skb: skbaddr=000000001234abcd protocol=34525 location=ip6_mc_input+0x15e/0x270 reason: NOT_SPECIFIED',
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(
      events.map((event) => [event.reason, event.reasonValue, event.rxSk, event.location]),
    ).toEqual([
      [null, -1, null, '00000000deadbeef'],
      [null, -1, null, '00000000deadbeef'],
      ['NOT_SPECIFIED', -1, null, 'ip6_mc_input+0x15e'],
    ]);
  });

  it('reads a hex reason value, a module location and the IPv4/IPv6/ARP/CAN protocols', () => {
    const line = (protocol: number, tail: string) =>
      `          <idle>-0       [001] ..s1.  100.000001: kfree_skb: skbaddr=00000000a1b2c3d4 rx_sk=0000000000000000 protocol=${protocol} location=${tail}`;
    const { events } = parse(
      [
        line(2048, 'nft_do_chain+0x3c5/0x5a0 [nf_tables] reason: NETFILTER_DROP'),
        line(34525, 'ovs_dp_process_packet+0x1d0/0x210 [openvswitch] reason: 0x10003'),
        line(2054, 'arp_rcv+0x8b/0x1e0 reason: ARP_PVLAN_DISABLE'),
        line(12, 'can_rcv+0x4c/0x90 [can] reason: CAN_RX_INVALID_FRAME'),
      ].join('\n'),
    );
    expect(
      events.map((event) => [
        event.protocol,
        event.location,
        event.extra,
        event.reason,
        event.reasonValue,
      ]),
    ).toEqual([
      [2048, 'nft_do_chain+0x3c5', { module: 'nf_tables' }, 'NETFILTER_DROP', -1],
      [34525, 'ovs_dp_process_packet+0x1d0', { module: 'openvswitch' }, null, 0x10003],
      [2054, 'arp_rcv+0x8b', null, 'ARP_PVLAN_DISABLE', -1],
      [12, 'can_rcv+0x4c', { module: 'can' }, 'CAN_RX_INVALID_FRAME', -1],
    ]);
  });

  it('warns about lost events and adds the notices to the header count', () => {
    const text = readFileSync(`${repoRoot}/test/fixtures/ftrace/irq-info-off-and-lost.txt`, 'utf8');
    const result = parse(text);
    expect(result.events).toHaveLength(3);
    expect(result.meta).toEqual({
      tracer: 'nop',
      entriesInBuffer: 4,
      entriesWritten: 10,
      nrCpus: 4,
      lost: 9,
    });
    expect(result.warnings).toHaveLength(2);
    expect(result.skipped.map((skip) => [skip.line, skip.why])).toEqual([
      [11, 'other event: consume_skb'],
    ]);
  });

  it('keeps the running total of LOST notices of trace_pipe', () => {
    const result = parse(
      [
        'CPU:0 [LOST 5 EVENTS]',
        `          <idle>-0       [001] ..s1.  100.000001: kfree_skb: ${PAYLOAD}`,
        'CPU:1 [LOST 7 EVENTS]',
      ].join('\n'),
    );
    expect(result.meta.lost).toBe(12);
    expect(result.warnings).toHaveLength(2);
    expect(result.events).toHaveLength(1);
  });

  it('attaches the frames of a stacktrace trigger to their event', () => {
    const { events, skipped } = parse(
      [
        `          <idle>-0       [001] ..s1.  100.000001: kfree_skb: ${PAYLOAD}`,
        '          <idle>-0       [001] ..s1.  100.000002: <stack trace>',
        ' => kfree_skb_reason',
        ' => ip6_pkt_discard+0x11/0x20',
        ' => nft_do_chain+0x3c5/0x5a0 [nf_tables]',
        `          <idle>-0       [001] ..s1.  100.000003: kfree_skb: ${PAYLOAD}`,
        '          <idle>-0       [001] ..s1.  100.000004: consume_skb: skbaddr=00000000a1b2c3d4 location=x+0x1/0x2',
        '          <idle>-0       [001] ..s1.  100.000005: <stack trace>',
        ' => consume_skb',
      ].join('\n'),
    );
    expect(events.map((event) => event.callchain)).toEqual([
      ['kfree_skb_reason', 'ip6_pkt_discard+0x11', 'nft_do_chain+0x3c5'],
      null,
    ]);
    expect(skipped.map((skip) => skip.why)).toEqual([
      'other event: consume_skb',
      'other event: stack trace',
    ]);
  });

  it('skips other events, function tracer lines, garbage and binary junk with a reason', () => {
    const result = parse(
      [
        ' => orphan_frame',
        '          <idle>-0       [001] ..s1.  100.000001: consume_skb: skbaddr=00000000a1b2c3d4 location=x+0x1/0x2',
        '            bash-1234    [000] .....  100.000002: do_sys_openat2 <-do_sys_open',
        'garbage',
        '\u0000\u0001\u00fe\ufffd binary',
        `    kworker/u8:3-7243    [001] ..s1.  69x5.762560: kfree_skb: ${PAYLOAD}`,
        `    kworker/u8:3-7243    [001] ..s1.xx  6925.762560: kfree_skb: ${PAYLOAD}`,
        `    kworker/u8:3 7243    [001] ..s1.  6925.762560: kfree_skb: ${PAYLOAD}`,
        `    kworker/u8:3-7243    001 ..s1.  6925.762560: kfree_skb: ${PAYLOAD}`,
        '    kworker/u8:3-7243    [001] ..s1.  6925.762560: kfree_skb: skbaddr=000000008ce2375b rx_sk=0000000000000000 location=x+0x1/0x2',
        ' kworker/u8:3-fl  7243 [000]  6875.302268: skb:kfree_skb: skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
        '-1 [1] '.repeat(50_000),
      ].join('\n'),
    );
    expect(result.events).toEqual([]);
    expect(result.skipped.map((skip) => skip.why)).toEqual([
      'stack frame without an event line',
      'other event: consume_skb',
      'not a skb:kfree_skb event line',
      'not a skb:kfree_skb event line',
      'not a skb:kfree_skb event line',
      'bad timestamp',
      'bad flags column',
      'missing task-pid before [cpu]',
      'missing [cpu] column',
      'missing protocol=',
      'missing task-pid before [cpu]',
      'not a skb:kfree_skb event line',
    ]);
  });

  it('leaves the time unknown and warns once for a raw counter clock', () => {
    const result = parse(
      [
        `          <idle>-0       [001] ..s1. 123456789012: kfree_skb: ${PAYLOAD}`,
        `          <idle>-0       [001] ..s1. 123456789013: kfree_skb: ${PAYLOAD}`,
      ].join('\n'),
    );
    expect(result.events.map((event) => event.timestampNs)).toEqual([Number.NaN, Number.NaN]);
    expect(result.warnings).toHaveLength(1);
  });
});

describe.skipIf(!hasSamples)('ftraceFormat fuzzing', () => {
  it('never throws on 300 seeded mutations of sample lines and reads each line at most once', () => {
    const lines = [
      ...readSample('ftrace.trace.txt').split('\n').slice(0, 60),
      ...readSample('ftrace.trace_pipe.txt').split('\n').slice(0, 60),
      '          <idle>-0       [001] ..s1.  100.000002: <stack trace>',
      ' => ip6_pkt_discard+0x11/0x20',
      'CPU:1 [LOST 7 EVENTS]',
    ];
    const mutated = mutateLines(lines, 300, 0xf7ace);
    const result = parse(mutated.join('\n'));
    expect(result.events.length + result.skipped.length).toBeLessThanOrEqual(mutated.length);
    for (const event of result.events) {
      expect(event.skbaddr).not.toBeNull();
      expect(event.location).not.toBeNull();
      expect(event.protocol).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('ftraceFormat with tracefs options changed', () => {
  const fixture = (name: string): string =>
    readFileSync(`${repoRoot}/test/fixtures/ftrace/options-${name}.txt`, 'utf8');

  it.each(['latency', 'nocontext', 'tgid', 'noirq'])(
    'detects and reads every event of options-%s',
    (name) => {
      const text = fixture(name);
      const head = text.split('\n').filter(Boolean);
      expect(ftraceFormat.detect(head)).toBeGreaterThanOrEqual(0.4);
      const parsed = collectParse(ftraceFormat, text);
      expect(parsed.skipped).toEqual([]);
      expect(parsed.events).toHaveLength(head.length);
      expect(parsed.events.every((e) => e.reason === 'NO_SOCKET')).toBe(true);
    },
  );

  it('reads the microsecond time, cpu and pid of the latency format', () => {
    const [event] = collectParse(ftraceFormat, fixture('latency')).events;
    expect(event).toMatchObject({
      pid: 12024,
      cpu: 0,
      timestampNs: 2470619873000,
      comm: 'python3',
    });
  });

  it('leaves time, cpu and pid unknown without context info', () => {
    const [event] = collectParse(ftraceFormat, fixture('nocontext')).events;
    expect(event).toMatchObject({ pid: -1, cpu: -1, comm: null, location: '__udp4_lib_rcv+0x4bc' });
    expect(event?.timestampNs).toBeNaN();
  });
});
