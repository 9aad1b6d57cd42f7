import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpftraceFormat } from '../../../main/ingest/bpftrace';
import {
  BPFTRACE_HEADER_MAGIC,
  BPFTRACE_KSTACK_STATEMENT,
  BPFTRACE_RECOMMENDED_SCRIPT,
  BPFTRACE_RX_SK_SCRIPT,
} from '../../../main/ingest/bpftraceScript';
import type { ParseSink } from '../../../main/ingest/TraceParser';
import { collectParse } from '../../helpers/collectParse';
import { hasSamples, repoRoot, samplePath, samplesDir } from '../../helpers/samples';
import { seededRandom } from '../../helpers/seededRandom';
import { mutateText } from '../../helpers/mutateLines';

const fixture = (name: string) =>
  readFileSync(resolve(repoRoot, 'test/fixtures/bpftrace', name), 'utf8');

/** First non-empty lines of a text, as the registry hands them to `detect`. */
const headOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .slice(0, 200);

/**
 * Reads the `| number | NAME | N |` rows of one sample's MANIFEST section: reason number →
 * events. (readManifest() keys by name; the bpftrace parser emits numbers.)
 */
function manifestCountsByNumber(file: string): { events: number; byNumber: Map<number, number> } {
  const text = readFileSync(resolve(samplesDir, 'MANIFEST.md'), 'utf8');
  const start = text.indexOf(`### \`${file}\``);
  const end = text.indexOf('\n---', start);
  const section = text.slice(start, end < 0 ? undefined : end);
  const events = Number(/Events: \*\*(\d+)\*\*/.exec(section)?.[1] ?? -1);
  const byNumber = new Map<number, number>();
  for (const row of section.matchAll(/^\|\s*(\d+)\s*\|\s*[A-Z0-9_]+\s*\|\s*(\d+)\s*\|$/gm)) {
    byNumber.set(Number(row[1]), Number(row[2]));
  }
  return { events, byNumber };
}

function countByReasonValue(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Applies one random edit (delete, insert, duplicate, truncate, splice) to a text. */
function mutate(text: string, random: () => number): string {
  return mutateText(text, random, [
    '\t',
    ': ',
    ' ',
    '0x',
    '\n',
    '@',
    '[',
    'SKB_DROP_REASON_',
    '9999999999999999999',
    '\u0000',
    'é',
  ]);
}

describe('bpftraceFormat', () => {
  describe.skipIf(!hasSamples)('on the real samples', () => {
    it('reads the one-liner sample into exactly the MANIFEST events, counted by reason number', () => {
      const expected = manifestCountsByNumber('bpftrace-redhat-oneliner.txt');
      const result = collectParse(
        bpftraceFormat,
        readFileSync(samplePath('bpftrace-redhat-oneliner.txt'), 'utf8'),
      );

      expect(result.events).toHaveLength(expected.events);
      expect(countByReasonValue(result.events.map((e) => e.reasonValue))).toEqual(
        expected.byNumber,
      );
      expect(result.skipped).toEqual([]);
      expect(result.events.every((e) => e.reason === null && Number.isNaN(e.timestampNs))).toBe(
        true,
      );
    });

    it('reads the rich sample into exactly the MANIFEST events with time, pid, cpu, skbaddr and location', () => {
      const expected = manifestCountsByNumber('bpftrace-rich.txt');
      const result = collectParse(
        bpftraceFormat,
        readFileSync(samplePath('bpftrace-rich.txt'), 'utf8'),
      );

      expect(result.events).toHaveLength(expected.events);
      expect(countByReasonValue(result.events.map((e) => e.reasonValue))).toEqual(
        expected.byNumber,
      );
      expect(result.skipped).toEqual([]);
      expect(result.events[0]).toMatchObject({
        timestampNs: 6906214274424,
        pid: 7243,
        comm: 'kworker/u8:3',
        cpu: 0,
        skbaddr: '0xffff88812b94ed00',
        protocol: 34525,
        reasonValue: 88,
        reason: null,
        location: 'ip6_pkt_discard',
        line: 2,
      });
    });

    it('recognises both samples and none of the perf script, ftrace or trace-cmd samples', () => {
      const read = (name: string) => headOf(readFileSync(samplePath(name), 'utf8'));

      expect(bpftraceFormat.detect(read('bpftrace-redhat-oneliner.txt'))).toBeGreaterThanOrEqual(
        0.6,
      );
      expect(bpftraceFormat.detect(read('bpftrace-rich.txt'))).toBeGreaterThanOrEqual(0.8);
      for (const other of [
        'perf.script.txt',
        'ftrace.trace.txt',
        'ftrace.trace_pipe.txt',
        'trace-cmd.report.txt',
      ]) {
        expect(bpftraceFormat.detect(read(other)), other).toBe(0);
      }
    });
  });

  it('reads the recommended program output captured on a real kernel', () => {
    const result = collectParse(bpftraceFormat, fixture('recommended.txt'));

    expect(result.events).toHaveLength(5);
    expect(result.skipped).toEqual([]);
    expect(result.meta).toMatchObject({ bpftraceLayout: 'dropscope-v1', lost: 0 });
    expect(result.events[0]).toEqual({
      timestampNs: 591865448536,
      cpu: 1,
      pid: 6842,
      comm: 'python3',
      skbaddr: '0xffff88810a591a00',
      rxSk: null,
      protocol: 2048,
      location: '__udp4_lib_rcv',
      reason: null,
      reasonValue: 3,
      callchain: null,
      line: 3,
      extra: { locationAddr: '0xffffffff820a7f2c' },
    });
  });

  it('emits each drop as soon as its line arrives once the file shows no kstack', () => {
    const seen: number[] = [];
    const sink: ParseSink = {
      event: (event) => seen.push(event.line),
      skip: () => undefined,
      meta: () => undefined,
      aggregate: () => undefined,
      embeddedReasonNames: () => undefined,
      warn: () => undefined,
    };
    const parser = bpftraceFormat.createParser(sink);
    const after: number[][] = [];

    ['ip: 2', 'ip: 3', 'ip: 4'].forEach((line, i) => {
      parser.line(line, i + 1);
      after.push([...seen]);
    });

    // The first drop waits for the next line (it could be followed by stack frames).
    expect(after).toEqual([[], [1, 2], [1, 2, 3]]);
  });

  it('attaches kstack frames to their drop and reads a NULL rx_sk as null', () => {
    const result = collectParse(bpftraceFormat, fixture('recommended-rx_sk-kstack.txt'));

    expect(result.events).toHaveLength(5);
    expect(result.skipped).toEqual([]);
    for (const event of result.events) {
      expect(event.rxSk).toBeNull();
      expect(event.callchain?.[0]).toBe('sk_skb_reason_drop+144');
      expect(event.callchain?.[1]).toBe('__udp4_lib_rcv+1212');
      expect(event.callchain).toHaveLength(21);
    }
  });

  it('keeps a non-NULL rx_sk and gives surplus tab fields to comm', () => {
    const text = [
      `${BPFTRACE_HEADER_MAGIC}\tnsecs\tcpu\ttid\tcomm\tskbaddr\trx_sk\tprotocol\treason\tlocation_addr\tlocation`,
      '100\t2\t77\tmy\ttask\t0xffff1\t0xffff2\t34525\t5\t0xffffffff81000000\ttcp_v6_rcv',
    ].join('\n');

    const [event] = collectParse(bpftraceFormat, text).events;

    expect(event).toMatchObject({
      comm: 'my\ttask',
      rxSk: '0xffff2',
      protocol: 34525,
      reasonValue: 5,
    });
  });

  it('reads tab lines without a header with the recommended columns', () => {
    const text = '5\t0\t1\tping\t0xffffa\t2048\t3\t0xffffffff8100\tip_rcv\n';

    const result = collectParse(bpftraceFormat, text);

    expect(result.events[0]).toMatchObject({
      timestampNs: 5,
      cpu: 0,
      pid: 1,
      comm: 'ping',
      location: 'ip_rcv',
    });
    expect(result.meta.bpftraceLayout).toBe('tab');
  });

  it('maps columns by header name and keeps columns it does not know in extra', () => {
    const text = [
      `${BPFTRACE_HEADER_MAGIC}\tcomm\treason\tpid\ttid\tnetns`,
      'curl\tSKB_DROP_REASON_NO_SOCKET\t10\t11\t4026531840',
    ].join('\n');

    const [event] = collectParse(bpftraceFormat, text).events;

    expect(event).toMatchObject({ comm: 'curl', reason: 'NO_SOCKET', reasonValue: -1, pid: 11 });
    expect(event?.extra).toEqual({ tgid: 10, netns: '4026531840' });
  });

  it('reads enum reason names printed by newer bpftrace in every layout', () => {
    const text = [
      'Attaching 1 probe...',
      'python3: SKB_DROP_REASON_NO_SOCKET',
      '6906214274424 7243 kworker/u8:3 0 0xffff88812b94ed00 34525 SKB_DROP_REASON_IP_INNOROUTES ip6_pkt_discard',
      '5\t0\t1\tping\t0xffffa\t2048\tSKB_DROP_REASON_TCP_CSUM\t0xffffffff8100\ttcp_v4_rcv',
    ].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events.map((e) => [e.reason, e.reasonValue])).toEqual([
      ['NO_SOCKET', -1],
      ['IP_INNOROUTES', -1],
      ['TCP_CSUM', -1],
    ]);
  });

  it("keeps comm with spaces and ': ' whole in the one-liner and the rich layout", () => {
    const text = [
      'Web Content: worker: 3',
      '123 45 Isolated Web Co 1 0xffff00 2048 2 __udp4_lib_rcv',
    ].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events.map((e) => e.comm)).toEqual(['Web Content: worker', 'Isolated Web Co']);
    expect(result.events[1]).toMatchObject({ pid: 45, cpu: 1, skbaddr: '0xffff00' });
  });

  it('treats banners, warnings, RLIMIT errors, ^C and blank lines as noise, not skipped lines', () => {
    const text = [
      'Attaching 1 probe...',
      'Attached 2 probes',
      'ERROR: Unknown error -1: couldn\'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem',
      'WARNING: Kernel debug info is not available',
      '',
      'ip: 2',
      '^C',
      '',
    ].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events).toHaveLength(1);
    expect(result.skipped).toEqual([]);
  });

  it('sums Lost N events into meta.lost and warns for each', () => {
    const text = ['ip: 2', 'Lost 17 events', 'ip: 3', 'Lost 3 events'].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events).toHaveLength(2);
    expect(result.meta.lost).toBe(20);
    expect(result.warnings).toHaveLength(2);
    expect(result.skipped).toEqual([]);
  });

  it('counts map dumps printed at exit in meta and warns once instead of skipping them', () => {
    const text = [
      'ip: 2',
      '',
      '@drops[ip, 2]: 10',
      '@total: 11',
      '@hist:',
      '[4, 8)   3 |@@@@   |',
    ].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events).toHaveLength(1);
    expect(result.skipped).toEqual([]);
    expect(result.meta.bpftraceMapLines).toBe(4);
    expect(result.warnings).toHaveLength(1);
  });

  it('skips garbage and truncated lines with a precise why and keeps every complete event', () => {
    const text = [
      '6906214274424 7243 kworker/u8:3 0 0xffff88812b94ed00 34525 88 ip6_pkt_discard',
      '6906214274424 7243 kworker/u8:3 0 0xffff88812b94',
      'hello world',
      'python3: three',
      `${BPFTRACE_HEADER_MAGIC}\tnsecs\tcpu\ttid\tcomm\tskbaddr\tprotocol\treason\tlocation_addr\tlocation`,
      '5\tzero\t1\tping\t0xffffa\t2048\t3\t0xffffffff8100\tip_rcv',
      '5\t0\t1\tping',
      '        orphan_frame+12',
    ].join('\n');

    const result = collectParse(bpftraceFormat, text);

    expect(result.events).toHaveLength(1);
    expect(result.skipped.map((s) => [s.line, s.why])).toEqual([
      [2, expect.stringContaining('bpftrace printf line')],
      [3, expect.stringContaining("expected 'comm: reason'")],
      [4, expect.stringContaining("found 'three'")],
      [6, "column cpu is not a number: 'zero'"],
      [7, expect.stringContaining('found 4')],
      [8, 'indented stack frame without a preceding drop line'],
    ]);
  });

  it('scores the recommended header 1 and plain text 0', () => {
    expect(bpftraceFormat.detect(headOf(fixture('recommended.txt')))).toBe(1);
    expect(bpftraceFormat.detect(['hello there', 'nothing here'])).toBe(0);
    expect(
      bpftraceFormat.detect([
        '         python3  6842 [001]   591.865448: skb:kfree_skb: skbaddr=0xffff88810a591a00 rx_sk=(nil) protocol=2048 location=__udp4_lib_rcv+0x4bc reason: NO_SOCKET',
      ]),
    ).toBe(0);
  });

  it('never throws on 300 seeded mutations of its inputs', () => {
    const random = seededRandom(20251125);
    const sources = [
      fixture('recommended-rx_sk-kstack.txt'),
      fixture('recommended.txt'),
      '1 2 a b 3 0xff 2048 3 loc\nx: 3\n@m: 1\nLost 2 events\n',
    ];
    for (let i = 0; i < 300; i++) {
      let text = sources[i % sources.length] ?? '';
      for (let k = 0; k < 1 + (i % 4); k++) text = mutate(text, random);
      expect(() => {
        collectParse(bpftraceFormat, text);
        bpftraceFormat.detect(headOf(text));
      }).not.toThrow();
    }
  });

  describe('recommended scripts', () => {
    it('print as many header columns as printf fields, and only the 6.11 variant reads rx_sk', () => {
      for (const script of [BPFTRACE_RECOMMENDED_SCRIPT, BPFTRACE_RX_SK_SCRIPT]) {
        const [header = '', format = ''] = [...script.matchAll(/printf\("([^"]*)"/g)].map(
          (m) => m[1],
        );
        expect(header.startsWith(BPFTRACE_HEADER_MAGIC)).toBe(true);
        expect(header.split('\\t')).toHaveLength(format.split('\\t').length + 1);
      }
      expect(BPFTRACE_RECOMMENDED_SCRIPT).not.toContain('rx_sk');
      expect(BPFTRACE_RX_SK_SCRIPT).toContain('args->rx_sk');
      expect(BPFTRACE_KSTACK_STATEMENT).toContain('kstack');
    });
  });
});

describe('bpftraceFormat with -f json', () => {
  it('reads the printf messages of bpftrace -f json output and counts lost events', () => {
    const text = readFileSync(`${repoRoot}/test/fixtures/bpftrace/json-oneliner.txt`, 'utf8');
    const head = text.split('\n').filter(Boolean);
    expect(bpftraceFormat.detect(head)).toBeGreaterThan(0.5);
    const parsed = collectParse(bpftraceFormat, text);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events).toHaveLength(head.filter((line) => line.includes('"printf"')).length);
    expect(parsed.events[0]).toMatchObject({ reason: null, reasonValue: 4, comm: 'chromium' });
    expect(parsed.meta.lost).toBe(7);
  });
});
