import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pwruFormat } from '../../../main/ingest/pwru';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, repoRoot, samplePath } from '../../helpers/samples';
import { seededRandom } from '../../helpers/seededRandom';
import { mutateText } from '../../helpers/mutateLines';

const fixture = (name: string) =>
  readFileSync(resolve(repoRoot, 'test/fixtures/pwru', name), 'utf8');

const headOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .slice(0, 200);

/** Applies one random edit (delete, insert, duplicate, truncate, splice) to a text. */
function mutate(text: string, random: () => number): string {
  return mutateText(text, random, [
    '\n',
    ' ',
    '0x',
    '(',
    ')',
    '->',
    '[',
    ']',
    '{"',
    'kfree_skb_reason',
    '=',
    'é',
  ]);
}

describe('pwruFormat', () => {
  it('counts only drop lines as events and the path steps in meta, with --output-meta --output-tuple', () => {
    const result = collectParse(pwruFormat, fixture('meta-tuple.txt'));

    expect(result.skipped).toEqual([]);
    expect(result.events).toHaveLength(3);
    expect(result.meta.pwruNonDropLines).toBe(20);
    expect(result.events[0]).toEqual({
      timestampNs: Number.NaN,
      cpu: 1,
      pid: 6842,
      comm: 'python3',
      skbaddr: '0xffff88810a591a00',
      rxSk: null,
      protocol: 0x0800,
      location: null,
      reason: 'NO_SOCKET',
      reasonValue: -1,
      callchain: null,
      line: 16,
      extra: {
        process: '~in/python3:6842',
        netns: 4026531840,
        mark: '0',
        iface: 'lo:1',
        mtu: 65536,
        len: 29,
        tuple: '127.0.0.1:41526->127.0.0.1:9(udp)',
        func: 'sk_skb_reason_drop',
      },
    });
    expect(result.events[1]).toMatchObject({
      protocol: 0x86dd,
      reason: null,
      reasonValue: 3,
      pid: 0,
      comm: null,
    });
    expect(result.events[2]).toMatchObject({
      reason: 'TCP_CSUM',
      extra: expect.objectContaining({ mark: '1a' }),
    });
  });

  it('reads the layout of pwru before 1.0.5 with bracketed processes and key=value metadata', () => {
    const result = collectParse(pwruFormat, fixture('legacy.txt'));

    expect(result.skipped).toEqual([]);
    expect(result.meta.pwruNonDropLines).toBe(13);
    expect(result.events.map((e) => [e.comm, e.pid, e.reason, e.protocol])).toEqual([
      ['pkt-sender-one', -1, 'IP_CSUM', -1],
      ['docker-proxy', 41377, 'NO_SOCKET', 0x0800],
      [null, -1, null, -1],
    ]);
    expect(result.events[1]?.extra).toMatchObject({
      netns: 4026532301,
      iface: '4(eth0)',
      tuple: '172.17.0.2:40102->10.99.0.7:4000(udp)',
    });
    expect(result.events[2]?.extra?.func).toBe('kfree_skb');
  });

  it('takes the location from --output-caller, the callchain from --output-stack and the time from --timestamp', () => {
    const result = collectParse(pwruFormat, fixture('caller-stack-timestamp.txt'));

    expect(result.skipped).toEqual([]);
    expect(result.events).toHaveLength(2);
    expect(result.events[0]).toMatchObject({
      timestampNs: 595603008600,
      location: '__udp4_lib_rcv',
      reason: 'NO_SOCKET',
      callchain: expect.arrayContaining(['sk_skb_reason_drop', '__udp4_lib_rcv']),
    });
    expect(result.events[0]?.callchain).toHaveLength(9);
    expect(result.events[1]).toMatchObject({
      location: 'nf_hook_slow',
      reason: 'NETFILTER_DROP',
      callchain: null,
    });
    expect(result.meta).toMatchObject({ pwruNonDropLines: 2, pwruDetailLines: 3 });
  });

  it('takes the location from the first stack frame that is not a free function when there is no caller', () => {
    const text = [
      '0xffff88810a591700 1   ~in/python3:6932 sk_skb_reason_drop(SKB_DROP_REASON_NO_SOCKET)',
      'sk_skb_reason_drop',
      '__udp4_lib_rcv',
      'ip_protocol_deliver_rcu',
    ].join('\n');

    const [event] = collectParse(pwruFormat, text).events;

    expect(event).toMatchObject({
      location: '__udp4_lib_rcv',
      callchain: ['sk_skb_reason_drop', '__udp4_lib_rcv', 'ip_protocol_deliver_rcu'],
    });
  });

  it('does not use relative timestamps as event times', () => {
    const text = [
      'SKB                CPU PROCESS          TIMESTAMP        FUNC',
      '0xffff88810a591700 1   <empty>:0        0                ip_rcv',
      '0xffff88810a591700 1   <empty>:0        4123             kfree_skb_reason(SKB_DROP_REASON_IP_CSUM)',
    ].join('\n');

    const result = collectParse(pwruFormat, text);

    expect(result.events[0]?.timestampNs).toBeNaN();
    expect(result.events[0]?.extra?.timestamp).toBe('4123');
    expect(result.meta.pwruTimestamps).toContain('relative');
  });

  it('reads --output-json lines, counting only drops', () => {
    const result = collectParse(pwruFormat, fixture('output.json'));

    expect(result.skipped).toEqual([]);
    expect(result.meta.pwruNonDropLines).toBe(2);
    expect(result.events.map((e) => [e.reason, e.protocol, e.location, e.cpu, e.comm])).toEqual([
      ['NO_SOCKET', 0x0800, '__udp4_lib_rcv', 1, 'python3'],
      ['IPV6DISABLED', 0x86dd, null, 0, null],
    ]);
  });

  it('treats pwru log lines as noise, not skipped lines', () => {
    const text = [
      '2023/02/15 03:42:33 Attaching kprobes (via kprobe-multi)...',
      'time=2025-11-25T00:52:11.000Z level=INFO msg="Listening for events.."',
      'Listening for events..',
      '',
      '^C',
    ].join('\n');

    const result = collectParse(pwruFormat, text);

    expect(result.skipped).toEqual([]);
    expect(result.events).toEqual([]);
  });

  it('skips garbage, truncated lines and malformed JSON with a precise why', () => {
    const text = [
      'hello world',
      '0xffff88810a591700 1',
      '0xffff88810a591700 x <empty>:0 ip_rcv',
      '{"skb":"0xffff","func":"kfree_skb_reason(SKB_DROP_REASON_IP_CSUM)"',
      '{"skb":"0xffff"}',
    ].join('\n');

    const result = collectParse(pwruFormat, text);

    expect(result.events).toEqual([]);
    expect(result.skipped.map((s) => [s.line, s.why])).toEqual([
      [1, expect.stringContaining('not pwru output')],
      [2, 'pwru line ends before its PROCESS column'],
      [3, expect.stringContaining('not pwru output')],
      [4, expect.stringContaining('malformed pwru JSON line')],
      [5, 'pwru JSON line without a "func" field'],
    ]);
  });

  it('scores pwru output high and other tools 0', () => {
    expect(pwruFormat.detect(headOf(fixture('meta-tuple.txt')))).toBeGreaterThan(0.9);
    expect(pwruFormat.detect(headOf(fixture('legacy.txt')))).toBeGreaterThan(0.9);
    expect(pwruFormat.detect(headOf(fixture('output.json')))).toBeGreaterThan(0.8);
    expect(pwruFormat.detect(['ip: 2', '1 drops at ip_rcv+1 (0xffffffff81000000)'])).toBe(0);
  });

  it.skipIf(!hasSamples)('does not claim the perf script, ftrace or bpftrace samples', () => {
    for (const name of [
      'perf.script.txt',
      'ftrace.trace.txt',
      'trace-cmd.report.txt',
      'bpftrace-rich.txt',
      'bpftrace-redhat-oneliner.txt',
    ]) {
      const head = headOf(readFileSync(samplePath(name), 'utf8'));
      expect(pwruFormat.detect(head), name).toBe(0);
    }
  });

  it('never throws on 300 seeded mutations of its inputs', () => {
    const random = seededRandom(5);
    const sources = [
      fixture('meta-tuple.txt'),
      fixture('legacy.txt'),
      fixture('caller-stack-timestamp.txt'),
      fixture('output.json'),
    ];
    for (let i = 0; i < 300; i++) {
      let text = sources[i % sources.length] ?? '';
      for (let k = 0; k < 1 + (i % 4); k++) text = mutate(text, random);
      expect(() => {
        collectParse(pwruFormat, text);
        pwruFormat.detect(headOf(text));
      }).not.toThrow();
    }
  });
});
