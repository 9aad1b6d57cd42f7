import { describe, expect, it } from 'vitest';
import {
  FilterEvaluationError,
  histogram,
  selectAll,
  selectEvents,
  TraceQueries,
} from '../../../main/store';
import { seededRandom } from '../../helpers/seededRandom';
import type { EventInput, FilterSpec } from '../../../shared/model';
import { buildStore } from '../../helpers/buildStore';

const events: Partial<EventInput>[] = [
  {
    timestampNs: 1_000,
    cpu: 0,
    pid: 10,
    comm: 'python3',
    skbaddr: '0xa',
    protocol: 0x0800,
    location: '__udp4_lib_rcv+0x4bc',
    reason: 'NO_SOCKET',
  },
  {
    timestampNs: 2_000,
    cpu: 1,
    pid: 11,
    comm: 'ip',
    skbaddr: '0xb',
    protocol: 0x86dd,
    location: 'tcp_v6_rcv+0x34f',
    reason: 'NO_SOCKET',
  },
  {
    timestampNs: 3_000,
    cpu: 1,
    pid: 10,
    comm: 'python3',
    skbaddr: '0xa',
    protocol: 0x0800,
    location: 'nf_hook_slow+0xa0',
    reason: 'NETFILTER_DROP',
  },
  {
    timestampNs: 4_000,
    cpu: 0,
    pid: 12,
    comm: 'kworker/0:1',
    skbaddr: '0xc',
    protocol: 0x0806,
    location: 'arp_rcv+0x11',
    reason: 'NOT_SPECIFIED',
  },
  {
    timestampNs: 5_000,
    cpu: 0,
    pid: 10,
    comm: 'python3',
    skbaddr: '0xa',
    protocol: 0x0800,
    location: '__udp4_lib_rcv+0x1eb',
    reason: 'UDP_CSUM',
  },
  { cpu: 1, comm: 'no-time', reason: 'NO_SOCKET' },
];

function ids(filter: FilterSpec): number[] {
  return [...selectEvents(buildStore(events), filter)];
}

describe('selectEvents', () => {
  it('selects every event when the filter is empty', () => {
    expect(ids({})).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('includes and excludes reasons', () => {
    expect(
      ids({ expr: { kind: 'in', field: 'reason', values: ['NO_SOCKET', 'UDP_CSUM'] } }),
    ).toEqual([0, 1, 4, 5]);
    expect(
      ids({ expr: { kind: 'not', item: { kind: 'in', field: 'reason', values: ['NO_SOCKET'] } } }),
    ).toEqual([2, 3, 4]);
  });

  it('negates a string clause including events without that field', () => {
    const store = buildStore([
      { reason: 'NO_SOCKET' },
      { reason: null },
      { reason: 'TCP_CSUM', cpu: 1 },
    ]);
    const not = (expr: FilterSpec['expr']): number[] => [
      ...selectEvents(store, { expr: { kind: 'not', item: expr! } }),
    ];
    expect(not({ kind: 'compare', field: 'reason', op: '==', value: 'NO_SOCKET' })).toEqual([1, 2]);
    expect(not({ kind: 'compare', field: 'cpu', op: '==', value: 1 })).toEqual([0, 1]);
  });

  it('matches location text once per dictionary entry', () => {
    expect(ids({ expr: { kind: 'contains', field: 'location', text: 'udp' } })).toEqual([0, 4]);
    expect(
      ids({ expr: { kind: 'matches', field: 'location', pattern: '^tcp_v[46]_rcv' } }),
    ).toEqual([1]);
  });

  it('combines clauses with and, or and not', () => {
    expect(
      ids({
        expr: {
          kind: 'or',
          items: [
            {
              kind: 'and',
              items: [
                { kind: 'compare', field: 'cpu', op: '==', value: 1 },
                { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
              ],
            },
            { kind: 'compare', field: 'comm', op: '==', value: 'kworker/0:1' },
          ],
        },
      }),
    ).toEqual([2, 3]);
  });

  it('accepts protocol names and hex numbers for the protocol field', () => {
    expect(ids({ expr: { kind: 'compare', field: 'protocol', op: '==', value: 'ipv6' } })).toEqual([
      1,
    ]);
    expect(ids({ expr: { kind: 'in', field: 'protocol', values: ['0x0806'] } })).toEqual([3]);
  });

  it('never matches unknown values with a comparison, but matches them with !=', () => {
    expect(ids({ expr: { kind: 'compare', field: 'pid', op: '>=', value: 0 } })).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(ids({ expr: { kind: 'compare', field: 'pid', op: '!=', value: 10 } })).toEqual([
      1, 3, 5,
    ]);
  });

  it('treats time in expressions as relative to the first event', () => {
    expect(ids({ expr: { kind: 'compare', field: 'time', op: '>=', value: 2_000 } })).toEqual([
      2, 3, 4,
    ]);
  });

  it('keeps only events inside a time range, never those without time', () => {
    expect(ids({ timeRange: { startNs: 2_000, endNs: 4_000 } })).toEqual([1, 2]);
  });

  it('rejects an invalid regular expression with a message', () => {
    expect(() => ids({ expr: { kind: 'matches', field: 'location', pattern: '(' } })).toThrow(
      FilterEvaluationError,
    );
  });

  it('rejects a word on a numeric field with a message', () => {
    expect(() => ids({ expr: { kind: 'compare', field: 'cpu', op: '==', value: 'one' } })).toThrow(
      /cpu takes a number/,
    );
  });
});

describe('TraceQueries', () => {
  const queries = new TraceQueries(buildStore(events));

  it('pages the filtered view and reports its total', () => {
    const page = queries.page({
      filter: { expr: { kind: 'compare', field: 'comm', op: '==', value: 'python3' } },
      start: 1,
      end: 3,
    });
    expect(page.total).toBe(3);
    expect(page.rows.map((row) => row.id)).toEqual([2, 4]);
  });

  it('never returns more rows than asked, even past the end', () => {
    expect(queries.page({ filter: {}, start: 4, end: 100 }).rows).toHaveLength(2);
    expect(queries.page({ filter: {}, start: 50, end: 60 }).rows).toHaveLength(0);
  });

  it('sorts by a string column and keeps ties in event order', () => {
    const page = queries.page({
      filter: {},
      sort: { field: 'reason', direction: 'asc' },
      start: 0,
      end: 6,
    });
    expect(page.rows.map((row) => row.reason)).toEqual([
      'NETFILTER_DROP',
      'NOT_SPECIFIED',
      'NO_SOCKET',
      'NO_SOCKET',
      'NO_SOCKET',
      'UDP_CSUM',
    ]);
    expect(page.rows.filter((row) => row.reason === 'NO_SOCKET').map((row) => row.id)).toEqual([
      0, 1, 5,
    ]);
  });

  it('sorts descending by a numeric column, stably', () => {
    const page = queries.page({
      filter: {},
      sort: { field: 'pid', direction: 'desc' },
      start: 0,
      end: 6,
    });
    expect(page.rows.map((row) => row.id)).toEqual([3, 1, 0, 2, 4, 5]);
  });

  it('sorts by time descending with events without time last', () => {
    const page = queries.page({
      filter: {},
      sort: { field: 'time', direction: 'desc' },
      start: 0,
      end: 6,
    });
    expect(page.rows.map((row) => row.id)).toEqual([4, 3, 2, 1, 0, 5]);
  });

  it('counts by one field, largest first', () => {
    expect(queries.counts({}, 'reason').entries).toEqual([
      { key: 'NO_SOCKET', count: 3 },
      { key: 'NETFILTER_DROP', count: 1 },
      { key: 'NOT_SPECIFIED', count: 1 },
      { key: 'UDP_CSUM', count: 1 },
    ]);
    expect(queries.counts({}, 'protocol').entries[0]).toEqual({ key: 'IPv4', count: 3 });
  });

  it('counts reason × comm pairs, ties ordered by name', () => {
    const cross = queries.crossCounts({}, 'reason', 'comm');
    expect(cross.entries.slice(0, 2)).toEqual([
      { a: 'NETFILTER_DROP', b: 'python3', count: 1 },
      { a: 'NOT_SPECIFIED', b: 'kworker/0:1', count: 1 },
    ]);
    expect(cross.entries.reduce((sum, cell) => sum + cell.count, 0)).toBe(6);
  });

  it('builds a histogram split by reason, with untimed events outside', () => {
    const histogram = queries.histogram({
      filter: {},
      startNs: 1_000,
      bucketNs: 2_000,
      buckets: 2,
      splitBy: 'reason',
    });
    const byKey = Object.fromEntries(histogram.series.map((s) => [s.key, [...s.counts]]));
    expect(byKey).toEqual({ NO_SOCKET: [2, 0], NETFILTER_DROP: [0, 1], NOT_SPECIFIED: [0, 1] });
    expect(histogram.outside).toBe(2);
  });

  it('folds the smallest series into other beyond maxSeries', () => {
    const histogram = queries.histogram({
      filter: {},
      startNs: 0,
      bucketNs: 10_000,
      buckets: 1,
      splitBy: 'reason',
      maxSeries: 2,
    });
    expect(histogram.series.map((s) => [s.key, s.total])).toEqual([
      ['NO_SOCKET', 2],
      ['other', 3],
    ]);
  });

  it('follows one packet by skbaddr in time order', () => {
    expect(queries.eventsOfSkbaddr('0xa').map((row) => row.id)).toEqual([0, 2, 4]);
    expect(queries.eventsOfSkbaddr('0xdead')).toEqual([]);
  });
});

describe('histogram over every event of a time-sorted store', () => {
  it('counts a zoomed window exactly like a brute-force count, the rest outside', () => {
    const random = seededRandom(42);
    const reasons = ['NO_SOCKET', 'TCP_CSUM', 'NETFILTER_DROP'];
    let t = 0;
    const events = Array.from({ length: 200_000 }, () => {
      t += Math.floor(random() * 1000);
      return { timestampNs: t, reason: reasons[Math.floor(random() * 3)] ?? null };
    });
    const store = buildStore(events);
    const startNs = t * 0.3;
    const bucketNs = (t * 0.2) / 50;
    const result = histogram(store, selectAll(store), {
      startNs,
      bucketNs,
      buckets: 50,
      splitBy: 'reason',
    });
    const expected = new Map<string, number[]>();
    let outside = 0;
    for (const event of events) {
      const bucket = Math.floor((event.timestampNs - startNs) / bucketNs);
      if (bucket < 0 || bucket >= 50) {
        outside++;
        continue;
      }
      const counts = expected.get(event.reason ?? '') ?? new Array<number>(50).fill(0);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
      expected.set(event.reason ?? '', counts);
    }
    expect(result.outside).toBe(outside);
    expect(Object.fromEntries(result.series.map((s) => [s.key, [...s.counts]]))).toEqual(
      Object.fromEntries(expected),
    );
  });
});
