import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropwatchFormat } from '../../../main/ingest/dropwatch';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, repoRoot, samplePath } from '../../helpers/samples';
import { seededRandom } from '../../helpers/seededRandom';
import { mutateText } from '../../helpers/mutateLines';

const fixture = (name: string) =>
  readFileSync(resolve(repoRoot, 'test/fixtures/dropwatch', name), 'utf8');

const headOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .slice(0, 200);

/** Applies one random edit (delete, insert, duplicate, truncate, splice) to a text. */
function mutate(text: string, random: () => number): string {
  return mutateText(text, random, [
    '\n',
    ': ',
    ' drops at ',
    'drop at: ',
    ' (',
    ')',
    '+',
    '/0x',
    '^C',
    '\t',
    'é',
  ]);
}

describe('dropwatchFormat', () => {
  it('turns summary lines into aggregates and never into events', () => {
    const result = collectParse(dropwatchFormat, fixture('summary.txt'));

    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.aggregates).toEqual([
      { location: '__udp4_lib_rcv+0x4bc', drops: 1, line: 6 },
      { location: 'sk_stream_kill_queues+0x54', drops: 2, line: 7 },
      { location: '0xffffffffc0a1b2c3', drops: 3, line: 8 },
      { location: '__udp4_lib_rcv+0x4bc', drops: 1, line: 9 },
      { location: 'ip6_mc_input+0x1f8', drops: 12, line: 10 },
      { location: 'ttl_value_is_too_small', drops: 5, line: 11 },
    ]);
  });

  it('reads the summary form of dropwatch before 1.5, without the [software] suffix', () => {
    const result = collectParse(dropwatchFormat, fixture('summary-legacy.txt'));

    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.aggregates.map((a) => [a.location, a.drops])).toEqual([
      ['skb_queue_purge+0x18', 1],
      ['ip_recv_error+0x81', 2],
      ['0xffffffff8163c638', 1],
    ]);
  });

  it('turns each packet-mode block into one event with its fields', () => {
    const result = collectParse(dropwatchFormat, fixture('packet.txt'));

    expect(result.skipped).toEqual([]);
    expect(result.aggregates).toEqual([]);
    expect(result.events).toHaveLength(4);
    expect(result.events[0]).toEqual({
      timestampNs: Date.UTC(2025, 10, 25, 0, 41, 7) * 1e6 + 208771931,
      cpu: -1,
      pid: -1,
      comm: null,
      skbaddr: null,
      rxSk: null,
      protocol: 0x800,
      location: '__udp4_lib_rcv+0x4bc',
      reason: 'NO_SOCKET',
      reasonValue: -1,
      callchain: null,
      line: 9,
      extra: {
        locationAddr: '0xffffffff820a7f2c',
        origin: 'software',
        ifindex: 1,
        timestamp: 'Tue Nov 25 00:41:07 2025 208771931 nsec',
        length: 29,
        originalLength: 29,
      },
    });
    expect(result.events[1]).toMatchObject({ protocol: 0x86dd, reason: 'NOT_SPECIFIED', line: 18 });
    expect(result.events[2]).toMatchObject({
      location: 'do_execute_actions+0x1a3',
      reason: 'OVS_DROP_LAST_ACTION',
      extra: expect.objectContaining({ module: 'openvsw' }),
    });
    expect(result.events[3]).toMatchObject({
      location: 'ttl_value_is_too_small',
      reason: null,
      timestampNs: Date.UTC(2025, 10, 6, 9, 5, 10) * 1e6 + 445911505,
      extra: expect.objectContaining({ origin: 'hardware', trapGroup: 'l3_drops', ifname: 'swp3' }),
    });
    expect(result.meta.dropwatchClock).toContain('local time');
  });

  it('treats banners, prompts, acknowledgements and help text as noise, not skipped lines', () => {
    const text = [
      'Initalizing null lookup method',
      'dropwatch> set alertmode packet',
      'Setting alert mode',
      'Alert mode successfully set',
      'dropwatch> help',
      'Command Syntax:',
      'exit\t\t\t\t - Quit dropwatch',
      '\talertlimit <number>\t - capture only this many alert packets',
      'Only applicable when "alertmode" is set to "packet"',
      'dropwatch> start',
      'Enabling monitoring...',
      'Waiting for activation ack....',
      'Kernel monitoring activated.',
      'Issue Ctrl-C to stop monitoring',
      '^CGot a stop message',
      'dropwatch> stop',
      'Deactivation requested, turning off monitoring',
      'Waiting for deactivation ack...',
      'Got a stop message',
      'Terminating dropwatch...',
    ].join('\n');

    const result = collectParse(dropwatchFormat, text);

    expect(result.skipped).toEqual([]);
    expect(result.events).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("warns about dropwatch's own failures instead of skipping them", () => {
    const text = [
      "Unable to find NET_DM family, dropwatch can't work",
      'Cleaning up on socket creation error',
    ].join('\n');

    const result = collectParse(dropwatchFormat, text);

    expect(result.warnings).toHaveLength(2);
    expect(result.skipped).toEqual([]);
  });

  it('skips garbage lines and a block truncated before original length, keeping the complete block', () => {
    const result = collectParse(dropwatchFormat, fixture('truncated.txt'));

    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ reason: 'TCP_CSUM', location: 'tcp_v4_rcv+0x1a4' });
    expect(result.skipped.map((s) => [s.line, s.why])).toEqual([
      [13, expect.stringContaining('not dropwatch output')],
      [14, "dropwatch summary line without a drop location after 'drops at'"],
      [15, "truncated dropwatch packet block: it ends before its 'original length:' line"],
    ]);
  });

  it('ends a block at a line that is not one of its fields and reads that line normally', () => {
    const text = [
      'drop at: ip_rcv_core+0x1e2/0x350 (0xffffffff82061c32)',
      'origin: software',
      'protocol: 0x800',
      'length: 60',
      'original length: 60',
      'drop reason: IP_CSUM',
      '3 drops at ip_rcv_core+1e2 (0xffffffff82061c32) [software]',
    ].join('\n');

    const result = collectParse(dropwatchFormat, text);

    expect(result.events).toHaveLength(1);
    expect(result.aggregates).toEqual([{ location: 'ip_rcv_core+0x1e2', drops: 3, line: 7 }]);
  });

  it('scores dropwatch sessions high and other text 0', () => {
    expect(dropwatchFormat.detect(headOf(fixture('summary.txt')))).toBeGreaterThan(0.9);
    expect(dropwatchFormat.detect(headOf(fixture('packet.txt')))).toBeGreaterThan(0.9);
    expect(
      dropwatchFormat.detect(['1 drops at skb_queue_purge+18 (0xffffffff81572ec8)']),
    ).toBeGreaterThan(0.8);
    expect(dropwatchFormat.detect(['ip: 2', 'python3: 3'])).toBe(0);
  });

  it.skipIf(!hasSamples)('does not claim the perf script or ftrace samples', () => {
    for (const name of [
      'perf.script.txt',
      'ftrace.trace.txt',
      'trace-cmd.report.txt',
      'bpftrace-rich.txt',
    ]) {
      const head = headOf(readFileSync(samplePath(name), 'utf8'));
      expect(dropwatchFormat.detect(head), name).toBe(0);
    }
  });

  it('never throws on 300 seeded mutations of its inputs', () => {
    const random = seededRandom(1125);
    const sources = [fixture('packet.txt'), fixture('summary.txt'), fixture('truncated.txt')];
    for (let i = 0; i < 300; i++) {
      let text = sources[i % sources.length] ?? '';
      for (let k = 0; k < 1 + (i % 4); k++) text = mutate(text, random);
      expect(() => {
        collectParse(dropwatchFormat, text);
        dropwatchFormat.detect(headOf(text));
      }).not.toThrow();
    }
  });
});
