import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ftraceFormat } from '../../../main/ingest/ftrace';
import { perfScriptFormat } from '../../../main/ingest/perfScript';
import { traceCmdReportFormat } from '../../../main/ingest/traceCmdReport';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, readManifest, repoRoot, samplePath } from '../../helpers/samples';
import type { ManifestEntry } from '../../helpers/samples';
import type { EventInput } from '../../../shared/model';
import { mutateLines } from '../../helpers/mutateLines';

const PERF_SAMPLES = [
  'perf.script.txt',
  'perf.script-header.txt',
  'perf.script-fields.txt',
  'perf-callchain.script.txt',
  'perf-weighted.script.txt.gz',
];

function readSample(name: string): string {
  const bytes = readFileSync(samplePath(name));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

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

const parse = (text: string) => collectParse(perfScriptFormat, text);

describe.skipIf(!hasSamples)('perfScriptFormat on the real samples', () => {
  const manifest = hasSamples ? readManifest() : new Map<string, ManifestEntry>();

  it.each(PERF_SAMPLES)(
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

  it('reads the perf --header block into the trace meta', () => {
    const { meta } = parse(readSample('perf.script-header.txt'));
    expect(meta).toMatchObject({
      capturedOn: 'Tue Nov 24 20:11:47 2026',
      hostname: 'vm',
      osRelease: '6.18.44-fc-v595',
      perfVersion: '6.1.192',
      arch: 'x86_64',
      nrCpus: 2,
      cmdline:
        '/usr/bin/perf record -e skb:kfree_skb -a -o perf.data -- ./make-drops.sh -r 120 -d 3 -q',
    });
  });

  it('reads comm, tid, cpu and time of the default columns', () => {
    const [first] = parse(readSample('perf.script.txt')).events;
    expect(first).toMatchObject({
      comm: 'kworker/u8:3-fl',
      pid: 7243,
      cpu: 0,
      timestampNs: 6875302268000,
      skbaddr: '0xffff88810adc8100',
      rxSk: null,
      protocol: 34525,
      location: 'ip6_pkt_discard+0x11',
      reason: 'IP_INNOROUTES',
      line: 1,
    });
  });

  it('reads the -F comm,tid,cpu,time,trace output like the default one', () => {
    const plain = parse(readSample('perf.script.txt')).events;
    const fields = parse(readSample('perf.script-fields.txt')).events;
    expect(fields.map(({ line: _line, ...rest }) => rest)).toEqual(
      plain.map(({ line: _line, ...rest }) => rest),
    );
  });

  it('keeps callchain frames attached to their event', () => {
    const text = readSample('perf-callchain.script.txt');
    const { events } = parse(text);
    const frameLines = text.split('\n').filter((line) => line.startsWith('\t')).length;
    expect(events.every((event) => event.callchain !== null && event.callchain.length > 0)).toBe(
      true,
    );
    expect(events.reduce((sum, event) => sum + (event.callchain?.length ?? 0), 0)).toBe(frameLines);
    expect(events[0]?.callchain?.slice(0, 3)).toEqual([
      'sk_skb_reason_drop+0x90',
      'ip6_pkt_discard+0x11',
      '__netif_receive_skb_one_core+0x5f',
    ]);
    const frames = events.flatMap((event) => event.callchain ?? []);
    expect(frames).toContain('0x7f585ccd8c6c');
    expect(frames).toContain('__libc_sendmsg+0x10');
    expect(frames.some((frame) => frame.includes('[unknown]') || frame.includes('('))).toBe(false);
  });

  it('counts a truncated last line as skipped and keeps every complete event', () => {
    const text = readSample('perf.script.txt').trimEnd();
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    const complete = parse(text.slice(0, text.lastIndexOf('\n'))).events;
    // Cut inside the comm, the time, the skbaddr, the location, and right after `reason:`.
    const cuts = [12, 30, 60, lastLine.indexOf('location=') + 12, lastLine.indexOf('reason:') + 7];
    for (const cut of cuts) {
      const truncated = text.slice(0, text.length - lastLine.length + cut);
      const result = parse(truncated);
      expect(result.events, `cut at ${cut}`).toEqual(complete);
      expect(result.skipped, `cut at ${cut}`).toHaveLength(1);
      expect(result.skipped[0]?.line).toBe(complete.length + 1);
    }
  });

  it('counts a cut-off last callchain frame as skipped and keeps its event', () => {
    const text = readSample('perf-callchain.script.txt').trimEnd();
    const cut = text.slice(0, text.length - 20);
    const full = parse(text);
    const result = parse(cut);
    expect(result.events).toHaveLength(full.events.length);
    expect(result.skipped.map((skip) => skip.why)).toEqual([
      'truncated last line: callchain frame cut short',
    ]);
    expect(result.events.at(-1)?.callchain).toEqual(full.events.at(-1)?.callchain?.slice(0, -1));
  });

  it('scores its own samples clearly above ftrace and trace-cmd report', () => {
    for (const name of PERF_SAMPLES) {
      const head = headOf(readSample(name));
      const own = perfScriptFormat.detect(head);
      expect(own, name).toBeGreaterThanOrEqual(0.9);
      expect(ftraceFormat.detect(head), name).toBeLessThan(own - 0.5);
      expect(traceCmdReportFormat.detect(head), name).toBeLessThan(own - 0.5);
    }
    for (const name of [
      'ftrace.trace.txt',
      'ftrace.trace_pipe.txt',
      'trace-cmd.report.txt',
      'bpftrace-rich.txt',
    ]) {
      expect(perfScriptFormat.detect(headOf(readSample(name))), name).toBe(0);
    }
  });
});

describe('perfScriptFormat on hand-made lines', () => {
  it('reads comm names with spaces and dashes', () => {
    const { events, skipped } = parse(
      [
        '     Web Content  4242 [001]   100.000001: skb:kfree_skb: skbaddr=0xffff888100000001 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1f reason: NO_SOCKET',
        '     gnome-shell  2345 [000]   100.000002: skb:kfree_skb: skbaddr=0xffff888100000002 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1f reason: NO_SOCKET',
        ' kworker/u8:3-fl  7243 [000]   100.000003: skb:kfree_skb: skbaddr=0xffff888100000003 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1f reason: NO_SOCKET',
        'a b 1 [2] 3  9999 [003]   100.000004: skb:kfree_skb: skbaddr=0xffff888100000004 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1f reason: NO_SOCKET',
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.comm, event.pid, event.cpu])).toEqual([
      ['Web Content', 4242, 1],
      ['gnome-shell', 2345, 0],
      ['kworker/u8:3-fl', 7243, 0],
      ['a b 1 [2] 3', 9999, 3],
    ]);
  });

  it('reads the tid of the pid/tid column printed with -F pid,tid', () => {
    const { events } = parse(
      '            sshd   812/815     [001]   100.000001: skb:kfree_skb: skbaddr=0xffff888100000001 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1f reason: TCP_CSUM',
    );
    expect(events[0]).toMatchObject({ comm: 'sshd', pid: 815, cpu: 1 });
  });

  it('keeps the nanoseconds of --ns timestamps and reads --reltime times', () => {
    const { events } = parse(
      [
        '              ip 27161 [001]  6875.376682123: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=netif_napi_add_weight_locked+0x1b2 reason: NOT_SPECIFIED',
        '              ip 27161 [001]     0.000012: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=netif_napi_add_weight_locked+0x1b2 reason: NOT_SPECIFIED',
      ].join('\n'),
    );
    expect(events.map((event) => event.timestampNs)).toEqual([6875376682123, 12000]);
  });

  it('reads -F field sets without time, cpu, tid or event name, and with the period', () => {
    const payload =
      'skbaddr=0xffff888100000001 rx_sk=(nil) protocol=2048 location=ip_rcv_core+0x1a reason: IP_CSUM';
    const { events, skipped } = parse(
      [
        `          python3 27904 [000] skb:kfree_skb: ${payload}`,
        `          python3 [000]  100.000001: skb:kfree_skb: ${payload}`,
        `          python3  100.000002: ${payload}`,
        `  27904 [000]  100.000003: skb:kfree_skb: ${payload}`,
        `          python3 27904 [000]  100.000004:          1 skb:kfree_skb: ${payload}`,
        payload,
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.comm, event.pid, event.cpu, event.timestampNs])).toEqual([
      ['python3', 27904, 0, Number.NaN],
      ['python3', -1, 0, 100000001000],
      ['python3', -1, -1, 100000002000],
      [null, 27904, 0, 100000003000],
      ['python3', 27904, 0, 100000004000],
      [null, -1, -1, Number.NaN],
    ]);
    expect(events.every((event) => event.reason === 'IP_CSUM')).toBe(true);
  });

  it('loads pre-5.17 lines without a reason and 5.17–6.10 lines without rx_sk', () => {
    const { events, skipped } = parse(
      [
        '         swapper     0 [001]  1234.567890: skb:kfree_skb: skbaddr=0xffff8881028c6e00 protocol=2048 location=0xffffffff81a3c1e2',
        '         swapper     0 [001]  1234.567891: skb:kfree_skb: skbaddr=0xffff8881028c6e00 protocol=2048 location=0xffffffff81a3c1e2',
        '     gnome-shell  2345 [000]  1234.600000: skb:kfree_skb: skbaddr=0xffff8881028c6f00 protocol=34525 location=ip6_mc_input+0x15e reason: NOT_SPECIFIED',
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(
      events.map((event) => [event.reason, event.reasonValue, event.rxSk, event.location]),
    ).toEqual([
      [null, -1, null, '0xffffffff81a3c1e2'],
      [null, -1, null, '0xffffffff81a3c1e2'],
      ['NOT_SPECIFIED', -1, null, 'ip6_mc_input+0x15e'],
    ]);
  });

  it('reads a hex reason value, raw location and the IPv4/IPv6/ARP/CAN protocols', () => {
    const line = (protocol: number, reason: string) =>
      `         swapper     0 [001]  1234.567890: skb:kfree_skb: skbaddr=0xffff8881028c6e00 rx_sk=(nil) protocol=${protocol} location=0xffffffff81e42650 reason: ${reason}`;
    const { events } = parse(
      [
        line(2048, '0x10003'),
        line(34525, 'NO_SOCKET'),
        line(2054, 'ARP_PVLAN_DISABLE'),
        line(12, 'CAN_RX_INVALID_FRAME'),
      ].join('\n'),
    );
    expect(
      events.map((event) => [event.protocol, event.reason, event.reasonValue, event.location]),
    ).toEqual([
      [2048, null, 0x10003, '0xffffffff81e42650'],
      [34525, 'NO_SOCKET', -1, '0xffffffff81e42650'],
      [2054, 'ARP_PVLAN_DISABLE', -1, '0xffffffff81e42650'],
      [12, 'CAN_RX_INVALID_FRAME', -1, '0xffffffff81e42650'],
    ]);
  });

  it('skips samples of other events, with their callchains, as "other event"', () => {
    const { events, skipped } = parse(
      [
        '              ip 27161 [001]  100.000001: skb:consume_skb: skbaddr=0xffff888108ca2f00 location=unix_stream_read_generic+0x6d4',
        '\tffffffff81e42650 sk_skb_reason_drop+0x90 ([kernel.kallsyms])',
        '',
        '              ip 27161 [001]  100.000002:   net:netif_receive_skb: dev=lo skbaddr=0xffff888108ca2f00 len=84',
        '              ip 27161 [001]  100.000003: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=x+0x1 reason: NOT_SPECIFIED',
        '\tffffffff81e42650 sk_skb_reason_drop+0x90 ([kernel.kallsyms])',
      ].join('\n'),
    );
    expect(skipped.map((skip) => [skip.line, skip.why])).toEqual([
      [1, 'other event: skb:consume_skb'],
      [4, 'other event: net:netif_receive_skb'],
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]?.callchain).toEqual(['sk_skb_reason_drop+0x90']);
  });

  it('skips garbage and binary junk with a reason and never throws', () => {
    const junk = [
      '\tffffffff81e42650 sk_skb_reason_drop+0x90 ([kernel.kallsyms])',
      'hello world',
      '\u0000\u0001\u0002\u00ff\ufffd\u0007binary',
      '              ip 27161 [001]  6875.37x682: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=x+0x1 reason: NOT_SPECIFIED',
      '              ip 27161 [0a1]  6875.376682: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=x+0x1 reason: NOT_SPECIFIED',
      '              ip 27161 [001]  6875.376682: skb:kfree_skb: rx_sk=(nil) protocol=0 location=x+0x1 reason: NOT_SPECIFIED',
      '              ip 27161 [001]  6875.376682: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=zero location=x+0x1',
      '    kworker/u8:3-7243    [001] ..s1.  6925.762560: kfree_skb: skbaddr=000000008ce2375b rx_sk=0000000000000000 protocol=34525 location=ip6_pkt_discard+0x11/0x20 reason: IP_INNOROUTES',
      '-'.repeat(100_000) + ' 1 [0] 2',
    ];
    const result = parse(junk.join('\n'));
    expect(result.events).toEqual([]);
    expect(result.skipped.map((skip) => skip.why)).toEqual([
      'callchain frame without an event line',
      'not a skb:kfree_skb event line',
      'not a skb:kfree_skb event line',
      'bad timestamp',
      'bad [cpu] column',
      'missing skbaddr=',
      'bad protocol= value "zero"',
      'not perf script output: event name kfree_skb without skb:',
      'not a skb:kfree_skb event line',
    ]);
  });

  it('warns about lost events and keeps their running total in the meta', () => {
    const result = parse(
      [
        '            perf  1234 [000]   100.000001: PERF_RECORD_LOST lost 17',
        '              ip 27161 [001]   100.000002: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=x+0x1 reason: NOT_SPECIFIED',
        '            perf  1234 [001]   100.000003: PERF_RECORD_LOST_SAMPLES lost 3',
        '            perf  1234 [001]   100.000004: PERF_RECORD_COMM: ip:27162/27162',
      ].join('\n'),
    );
    expect(result.events).toHaveLength(1);
    expect(result.meta.lost).toBe(20);
    expect(result.warnings).toHaveLength(2);
    expect(result.skipped.map((skip) => skip.why)).toEqual(['other event: PERF_RECORD_COMM:']);
  });

  it('loads the hand-made fixture of older kernels and odd columns', () => {
    const text = readFileSync(`${repoRoot}/test/fixtures/perf-script/older-kernels.txt`, 'utf8');
    const result = parse(text);
    expect(result.skipped.map((skip) => skip.why)).toEqual(['other event: skb:consume_skb']);
    expect(
      result.events.map((event) => [event.comm, event.reason, event.reasonValue, event.rxSk]),
    ).toEqual([
      ['swapper', null, -1, null],
      ['gnome-shell', 'NOT_SPECIFIED', -1, null],
      ['Web Content', 'TCP_CSUM', -1, '0xffff88810c2a8000'],
      ['sshd', null, 0x10003, null],
    ]);
    expect(result.meta.osRelease).toBe('5.10.0-28-amd64');
  });
});

describe.skipIf(!hasSamples)('perfScriptFormat fuzzing', () => {
  it('never throws on 300 seeded mutations of sample lines and reads each line at most once', () => {
    const lines = [
      ...readSample('perf.script-header.txt').split('\n').slice(0, 60),
      ...readSample('perf-callchain.script.txt').split('\n').slice(0, 60),
    ];
    const mutated = mutateLines(lines, 300, 0x5eed1);
    const result = parse(mutated.join('\n'));
    expect(result.events.length + result.skipped.length).toBeLessThanOrEqual(mutated.length);
    for (const event of result.events) {
      expect(event.skbaddr).not.toBeNull();
      expect(event.location).not.toBeNull();
      expect(event.protocol).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('perfScriptFormat detection of reduced -F field sets', () => {
  const payload =
    'skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=0xffffffff820e9091 reason: IP_INNOROUTES';
  const cases: [string, string][] = [
    ['-F time,trace', ` 6875.302268: ${payload}`],
    [
      '-F comm,tid,time,event,trace --ns',
      ` kworker/u8:3-fl  7243  6875.302268633: skb:kfree_skb: ${payload}`,
    ],
    ['-F trace', payload],
  ];

  it.each(cases)('recognises %s output and reads its events', (_flags, line) => {
    const head = [line, line, line];
    expect(perfScriptFormat.detect(head)).toBeGreaterThanOrEqual(0.3);
    expect(ftraceFormat.detect(head)).toBeLessThan(perfScriptFormat.detect(head));
    expect(traceCmdReportFormat.detect(head)).toBeLessThan(perfScriptFormat.detect(head));
    const parsed = collectParse(perfScriptFormat, head.join('\n'));
    expect(parsed.events).toHaveLength(3);
    expect(parsed.events[0]).toMatchObject({
      reason: 'IP_INNOROUTES',
      protocol: 34525,
      location: '0xffffffff820e9091',
    });
  });
});
