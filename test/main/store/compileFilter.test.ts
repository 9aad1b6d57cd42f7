import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, type EventStore, selectEvents } from '../../../main/store';
import {
  type CompareOp,
  type DropRow,
  type EventField,
  type EventInput,
  type FilterExpr,
  type FilterSpec,
  formatProtocol,
} from '../../../shared/model';
import { buildStore } from '../../helpers/buildStore';
import { seededRandom } from '../../helpers/seededRandom';

/**
 * The filter semantics written per event, independently of the store's evaluator: a null (or
 * unknown) value matches no positive predicate and matches `!=`; `time` is relative to the first
 * event; `contains`/`matches` on `protocol` test its name.
 */
function passes(expr: FilterExpr, row: DropRow, originNs: number): boolean {
  if (expr.kind === 'and') return expr.items.every((item) => passes(item, row, originNs));
  if (expr.kind === 'or') return expr.items.some((item) => passes(item, row, originNs));
  if (expr.kind === 'not') return !passes(expr.item, row, originNs);
  const value = fieldOf(row, expr.field, originNs);
  switch (expr.kind) {
    case 'compare':
      if (value === null) return expr.op === '!=';
      return compare(value, expr.op, expr.value);
    case 'in':
      return value !== null && expr.values.some((v) => v === value);
    case 'contains':
      return value !== null && textOf(expr.field, value).includes(expr.text);
    case 'matches':
      return value !== null && new RegExp(expr.pattern, expr.flags).test(textOf(expr.field, value));
    case 'exists':
      return value !== null;
  }
}

function fieldOf(row: DropRow, field: EventField, originNs: number): string | number | null {
  switch (field) {
    case 'time':
      return row.timestampNs === null ? null : row.timestampNs - originNs;
    case 'cpu':
      return row.cpu;
    case 'pid':
      return row.pid;
    case 'protocol':
      return row.protocol;
    case 'comm':
      return row.comm;
    case 'location':
      return row.location;
    case 'reason':
      return row.reason;
    case 'reason.value':
    case 'rx_sk':
    case 'skbaddr':
      throw new Error(`field ${field} is not used by these tests`);
  }
}

function textOf(field: EventField, value: string | number): string {
  if (typeof value === 'string') return value;
  return field === 'protocol' ? formatProtocol(value) : String(value);
}

function compare(value: string | number, op: CompareOp, target: string | number): boolean {
  switch (op) {
    case '==':
      return value === target;
    case '!=':
      return value !== target;
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    case '>=':
      return value >= target;
  }
}

/** Ids passing `filter` by the per-event semantics above. */
function expectedIds(store: EventStore, filter: FilterSpec): number[] {
  const originNs = store.timeBounds?.firstNs ?? 0;
  const range = filter.timeRange;
  const out: number[] = [];
  for (let id = 0; id < store.length; id++) {
    const row = store.row(id);
    if (filter.expr && !passes(filter.expr, row, originNs)) continue;
    if (range) {
      const t = row.timestampNs;
      if (t === null || t < range.startNs || t >= range.endNs) continue;
    }
    out.push(id);
  }
  return out;
}

const REASONS = ['NO_SOCKET', 'NOT_SPECIFIED', 'TCP_CSUM', 'NETFILTER_DROP'];
const LOCATIONS = ['__udp4_lib_rcv+0x4bc', 'tcp_v4_rcv+0x34f', 'nf_hook_slow+0xa0', 'ip_rcv+0x1'];
const PROTOCOLS = [0x0800, 0x86dd, 0x0806];

/**
 * Events over two full chunks and a partial third. `pid` is unknown in all of chunk 0 and `cpu`
 * in all of chunk 1 (so those chunks are never allocated); other fields are sometimes null.
 * With `sorted`, times increase; otherwise some are missing and some go back.
 */
function bigStore(sorted: boolean): EventStore {
  const random = seededRandom(sorted ? 7 : 8);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const events: Partial<EventInput>[] = [];
  const length = 2 * CHUNK_SIZE + 1234;
  for (let id = 0; id < length; id++) {
    const chunk = Math.floor(id / CHUNK_SIZE);
    events.push({
      timestampNs: sorted || random() < 0.9 ? 1_000_000 + id * 10 - (sorted ? 0 : 25) : Number.NaN,
      cpu: chunk === 1 ? -1 : Math.floor(random() * 4),
      pid: chunk === 0 ? -1 : random() < 0.1 ? -1 : 100 + Math.floor(random() * 12),
      comm: random() < 0.1 ? null : pick(['python3', 'ip', 'kworker/0:1']),
      protocol: random() < 0.05 ? -1 : pick(PROTOCOLS),
      location: random() < 0.05 ? null : pick(LOCATIONS),
      reason: random() < 0.05 ? null : pick(REASONS),
    });
  }
  return buildStore(events);
}

const sortedStore = bigStore(true);
const unsortedStore = bigStore(false);

const threeClauses: FilterExpr = {
  kind: 'and',
  items: [
    { kind: 'not', item: { kind: 'compare', field: 'reason', op: '==', value: 'NOT_SPECIFIED' } },
    { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
    { kind: 'contains', field: 'location', text: 'rcv' },
  ],
};

function ids(store: EventStore, filter: FilterSpec): number[] {
  return [...selectEvents(store, filter)];
}

describe('selectEvents over several chunks', () => {
  it('selects what a per-event evaluation selects for an and of clauses, in id order', () => {
    const expected = expectedIds(sortedStore, { expr: threeClauses });

    const selected = ids(sortedStore, { expr: threeClauses });

    expect(selected.length).toBeGreaterThan(CHUNK_SIZE / 10);
    expect(selected).toEqual(expected);
  });

  it('gives the same selection whatever the order of the clauses of an and', () => {
    const items = threeClauses.kind === 'and' ? threeClauses.items : [];
    const reversed: FilterExpr = { kind: 'and', items: [...items].reverse() };
    const nested: FilterExpr = {
      kind: 'and',
      items: [items[2]!, { kind: 'and', items: [items[1]!, items[0]!] }],
    };

    const expected = ids(sortedStore, { expr: threeClauses });

    expect(ids(sortedStore, { expr: reversed })).toEqual(expected);
    expect(ids(sortedStore, { expr: nested })).toEqual(expected);
  });

  it('includes events of the partial last chunk and ends at the last event', () => {
    const last = sortedStore.length - 1;
    const expr: FilterExpr = { kind: 'compare', field: 'comm', op: '!=', value: 'no such comm' };

    const selected = ids(sortedStore, { expr });

    expect(selected).toHaveLength(sortedStore.length);
    expect(selected[last]).toBe(last);
  });

  it('returns an empty selection when no event passes', () => {
    const expr: FilterExpr = {
      kind: 'and',
      items: [
        { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
        { kind: 'compare', field: 'protocol', op: '==', value: 0x86dd },
      ],
    };

    expect(ids(sortedStore, { expr })).toEqual([]);
    expect(ids(sortedStore, { expr: { kind: 'in', field: 'cpu', values: [] } })).toEqual([]);
  });

  it('returns every event when every event passes an and', () => {
    const expr: FilterExpr = {
      kind: 'and',
      items: [
        { kind: 'not', item: { kind: 'compare', field: 'reason', op: '==', value: 'NOPE' } },
        { kind: 'compare', field: 'protocol', op: '!=', value: 0x1234 },
        { kind: 'and', items: [] },
      ],
    };

    const selected = selectEvents(sortedStore, { expr });

    expect(selected).toHaveLength(sortedStore.length);
    expect(selected.every((id, index) => id === index)).toBe(true);
  });

  it('treats a never-written chunk as unknown values: no match, except for != and not', () => {
    const pidKnown: FilterExpr = { kind: 'compare', field: 'pid', op: '>=', value: 0 };
    const cpuNotOne: FilterExpr = { kind: 'compare', field: 'cpu', op: '!=', value: 1 };
    const notCpuOne: FilterExpr = {
      kind: 'not',
      item: { kind: 'compare', field: 'cpu', op: '==', value: 1 },
    };

    const known = ids(sortedStore, { expr: pidKnown });
    const different = ids(sortedStore, { expr: cpuNotOne });

    expect(known[0]).toBeGreaterThanOrEqual(CHUNK_SIZE);
    expect(known).toEqual(expectedIds(sortedStore, { expr: pidKnown }));
    expect(different).toEqual(expectedIds(sortedStore, { expr: cpuNotOne }));
    expect(different).toContain(CHUNK_SIZE + 5);
    expect(ids(sortedStore, { expr: notCpuOne })).toEqual(different);
  });

  it('matches numeric in-lists of any length, ignoring negative values', () => {
    const short: FilterExpr = { kind: 'in', field: 'pid', values: [101, 105, -1] };
    const long: FilterExpr = {
      kind: 'in',
      field: 'pid',
      values: [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, -1],
    };

    expect(ids(sortedStore, { expr: short })).toEqual(expectedIds(sortedStore, { expr: short }));
    expect(ids(sortedStore, { expr: long })).toEqual(expectedIds(sortedStore, { expr: long }));
  });

  it('evaluates filters of the same shape with their own values', () => {
    const byProtocol = (protocol: number, text: string): FilterSpec => ({
      expr: {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'protocol', op: '==', value: protocol },
          { kind: 'contains', field: 'location', text },
        ],
      },
    });

    for (const [protocol, text] of [
      [0x0800, 'udp'],
      [0x86dd, 'tcp'],
      [0x0806, 'nf_'],
    ] as const) {
      const filter = byProtocol(protocol, text);
      expect(ids(sortedStore, filter)).toEqual(expectedIds(sortedStore, filter));
    }
  });

  it('applies the expression only inside a time range that starts and ends mid-chunk', () => {
    const origin = sortedStore.timeBounds?.firstNs ?? 0;
    const filter: FilterSpec = {
      expr: threeClauses,
      timeRange: {
        startNs: origin + 10 * (CHUNK_SIZE - 37),
        endNs: origin + 10 * 2 * CHUNK_SIZE + 55,
      },
    };

    const selected = ids(sortedStore, filter);

    expect(selected[0]).toBeGreaterThanOrEqual(CHUNK_SIZE - 37);
    expect(selected).toEqual(expectedIds(sortedStore, filter));
  });

  it('keeps nothing of an earlier, larger selection in a later, smaller one', () => {
    const everything: FilterSpec = { expr: { kind: 'exists', field: 'time' } };
    const origin = sortedStore.timeBounds?.firstNs ?? 0;
    const narrow: FilterSpec = {
      expr: { kind: 'compare', field: 'protocol', op: '==', value: 0x0806 },
      timeRange: { startNs: origin + 10 * 40, endNs: origin + 10 * 300 },
    };

    expect(ids(sortedStore, everything)).toHaveLength(sortedStore.length);
    expect(ids(sortedStore, narrow)).toEqual(expectedIds(sortedStore, narrow));
    expect(ids(sortedStore, { expr: { kind: 'in', field: 'pid', values: [] } })).toEqual([]);
  });

  it('tests every event time on a store whose times are missing or go back', () => {
    const origin = unsortedStore.timeBounds?.firstNs ?? 0;
    const range = { startNs: origin + 300_000, endNs: origin + 900_000 };

    expect(unsortedStore.isFullyTimeSorted).toBe(false);
    expect(ids(unsortedStore, { timeRange: range })).toEqual(
      expectedIds(unsortedStore, { timeRange: range }),
    );
    expect(ids(unsortedStore, { expr: threeClauses, timeRange: range })).toEqual(
      expectedIds(unsortedStore, { expr: threeClauses, timeRange: range }),
    );
  });

  it('selects what a per-event evaluation selects for random and/or/not trees', () => {
    const random = seededRandom(42);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const ops: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];
    const leaf = (): FilterExpr => {
      switch (Math.floor(random() * 9)) {
        case 0:
          return { kind: 'compare', field: 'reason', op: pick(ops), value: pick(REASONS) };
        case 1:
          return { kind: 'in', field: 'reason', values: [pick(REASONS), pick(REASONS)] };
        case 2:
          return { kind: 'contains', field: 'location', text: pick(['rcv', 'udp', 'tcp_v']) };
        case 3:
          return { kind: 'compare', field: 'protocol', op: pick(ops), value: pick(PROTOCOLS) };
        case 4:
          return { kind: 'compare', field: 'cpu', op: pick(ops), value: pick([-1, 0, 1, 2, 7]) };
        case 5:
          return { kind: 'compare', field: 'pid', op: pick(ops), value: 100 + pick([0, 5, 11]) };
        case 6:
          return { kind: 'exists', field: pick<EventField>(['pid', 'cpu', 'comm']) };
        case 7:
          return { kind: 'matches', field: 'protocol', pattern: pick(['^IPv', '6$']) };
        default:
          return { kind: 'compare', field: 'time', op: pick(ops), value: pick([0, 500_000]) };
      }
    };
    const tree = (depth: number): FilterExpr => {
      const choice = random();
      if (depth === 0 || choice < 0.35) return leaf();
      if (choice < 0.5) return { kind: 'not', item: tree(depth - 1) };
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => tree(depth - 1));
      return { kind: choice < 0.75 ? 'and' : 'or', items };
    };

    for (let round = 0; round < 12; round++) {
      const filter: FilterSpec = { expr: tree(3) };
      expect(ids(sortedStore, filter), JSON.stringify(filter)).toEqual(
        expectedIds(sortedStore, filter),
      );
    }
  });

  it('reports the first invalid clause even when an earlier clause matches nothing', () => {
    const expr: FilterExpr = {
      kind: 'and',
      items: [
        { kind: 'in', field: 'cpu', values: [] },
        { kind: 'matches', field: 'location', pattern: '(' },
      ],
    };

    expect(() => selectEvents(sortedStore, { expr })).toThrow(/invalid regular expression/);
  });
});
