import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retisFormat } from '../../../main/ingest/retis';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, repoRoot, samplePath } from '../../helpers/samples';
import { seededRandom } from '../../helpers/seededRandom';
import { mutateText } from '../../helpers/mutateLines';

const fixture = (name: string) =>
  readFileSync(resolve(repoRoot, 'test/fixtures/retis', name), 'utf8');

const headOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .slice(0, 200);

/** Applies one random edit (delete, insert, duplicate, truncate, splice) to a text. */
function mutate(text: string, random: () => number): string {
  return mutateText(text, random, [
    '\n',
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '"skb-drop":{}',
    'null',
    '99999999999999999999',
    '    ',
    'é',
  ]);
}

describe('retisFormat', () => {
  it('counts only events with an skb-drop section and fills meta from the startup event', () => {
    const result = collectParse(retisFormat, fixture('collect.json'));

    expect(result.skipped).toEqual([]);
    expect(result.events).toHaveLength(2);
    expect(result.meta).toMatchObject({
      retisVersion: '1.7.0',
      osRelease: '6.18.44-fc-v782',
      arch: 'x86_64',
      clockMonotonicOffset: '1764030000.123456789',
      retisNonDropEvents: 2,
    });
    expect(result.events[0]).toEqual({
      timestampNs: 661761457259,
      cpu: 1,
      pid: 7424,
      comm: 'python3',
      skbaddr: '0xffff88810a591a00',
      rxSk: null,
      protocol: 0x0800,
      location: '__udp4_lib_rcv+0x4bc',
      reason: 'NO_SOCKET',
      reasonValue: -1,
      callchain: [
        'sk_skb_reason_drop+0x90',
        '__udp4_lib_rcv+0x4bc',
        'ip_protocol_deliver_rcu+0xb3',
        'ip_local_deliver_finish+0x81',
      ],
      line: 3,
      extra: {
        tgid: 7424,
        origHead: '0xffff888104f3c000',
        probe: 'raw_tracepoint skb:kfree_skb',
        ifindex: 1,
        ifname: 'lo',
        rxIfindex: 1,
        netns: 4026531840,
        len: 43,
        saddr: '127.0.0.1',
        daddr: '127.0.0.1',
        l4Protocol: 17,
        sport: 41526,
        dport: 9,
      },
    });
  });

  it('reads the subsystem, IPv6 frame and falls back to the probe symbol without a stack', () => {
    const [, event] = collectParse(retisFormat, fixture('collect.json')).events;

    expect(event).toMatchObject({
      skbaddr: '0xffff8881099aa800',
      protocol: 0x86dd,
      location: 'skb:kfree_skb',
      reason: 'OVS_DROP_LAST_ACTION',
      extra: expect.objectContaining({
        subsys: 'OPENVSWITCH',
        saddr: '::1',
        dport: 80,
        netns: 4026532686,
      }),
    });
  });

  it('keeps every digit of skb addresses above 2^53', () => {
    const [event] = collectParse(retisFormat, fixture('collect-v1.4.json')).events;

    // 18446612686449815040 in the file; a float64 would have rounded it.
    expect(event?.skbaddr).toBe(`0x${18446612686449815040n.toString(16)}`);
  });

  it('reads the flat skb section of retis before 1.5 and strips the SKB_DROP_REASON_ prefix', () => {
    const result = collectParse(retisFormat, fixture('collect-v1.4.json'));

    expect(result.events).toHaveLength(1);
    expect(result.meta.retisNonDropEvents).toBe(1);
    expect(result.events[0]).toMatchObject({
      reason: 'NO_SOCKET',
      protocol: 0x0800,
      comm: 'napi/eth0-8197',
      extra: expect.objectContaining({
        ifname: 'veth-b',
        ifindex: 14,
        saddr: '172.31.9.3',
        netns: 4026532417,
      }),
    });
  });

  it('reads retis sort series, one JSON array of events per line', () => {
    const result = collectParse(retisFormat, fixture('sorted.json'));

    expect(result.skipped).toEqual([]);
    expect(result.events.map((e) => [e.line, e.reason])).toEqual([
      [2, 'NO_SOCKET'],
      [3, 'OVS_DROP_LAST_ACTION'],
    ]);
    expect(result.meta.retisNonDropEvents).toBe(2);
  });

  it('reads drops from retis print text with their stack, counting other events in meta', () => {
    const result = collectParse(retisFormat, fixture('print.txt'));

    expect(result.skipped).toEqual([]);
    expect(result.meta).toMatchObject({ retisVersion: '1.7.0', retisNonDropEvents: 2 });
    expect(
      result.events.map((e) => [e.line, e.skbaddr, e.reason, e.location, e.callchain?.length ?? 0]),
    ).toEqual([
      [10, '0xffff88810a591a00', 'NO_SOCKET', '__udp4_lib_rcv+0x4bc', 4],
      [18, '0xffff8881099aa800', 'OVS_DROP_LAST_ACTION', 'skb:kfree_skb', 0],
    ]);
    expect(result.events[1]).toMatchObject({
      comm: 'swapper/0',
      cpu: 0,
      timestampNs: 661761516850,
    });
  });

  it('skips malformed JSON and lines that are no retis event with a precise why', () => {
    const text = [
      '{"common":{"timestamp":1},"skb-drop":{"drop_reason":"NO_SOCKET"}',
      '[1, 2]',
      'hello world',
      '    orphan_frame+0x1',
      '{"common":{"timestamp":5,"smp_id":2},"skb-drop":{"drop_reason":"TCP_CSUM"}}',
    ].join('\n');

    const result = collectParse(retisFormat, text);

    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ reason: 'TCP_CSUM', cpu: 2, timestampNs: 5, line: 5 });
    expect(result.skipped.map((s) => [s.line, s.why])).toEqual([
      [1, expect.stringContaining('malformed retis JSON')],
      [2, 'retis JSON line holds no event object'],
      [3, expect.stringContaining('not a retis event')],
      [4, 'indented retis print line without a preceding event line'],
    ]);
  });

  it('scores retis JSON and text high and other tools 0', () => {
    expect(retisFormat.detect(headOf(fixture('collect.json')))).toBeGreaterThan(0.9);
    expect(retisFormat.detect(headOf(fixture('sorted.json')))).toBeGreaterThan(0.9);
    expect(retisFormat.detect(headOf(fixture('print.txt')))).toBeGreaterThan(0.5);
    expect(retisFormat.detect(['{"time":1,"reason":"NO_SOCKET"}', 'ip: 2'])).toBe(0);
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
      expect(retisFormat.detect(head), name).toBe(0);
    }
  });

  it('never throws on 300 seeded mutations of its inputs', () => {
    const random = seededRandom(42);
    const sources = [
      fixture('collect.json'),
      fixture('sorted.json'),
      fixture('print.txt'),
      fixture('collect-v1.4.json'),
    ];
    for (let i = 0; i < 300; i++) {
      let text = sources[i % sources.length] ?? '';
      for (let k = 0; k < 1 + (i % 4); k++) text = mutate(text, random);
      expect(() => {
        collectParse(retisFormat, text);
        retisFormat.detect(headOf(text));
      }).not.toThrow();
    }
  });
});
