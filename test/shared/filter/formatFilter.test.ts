import { describe, expect, it } from 'vitest';
import { formatFilter, parseFilter } from '../../../shared/filter';
import type { FilterExpr } from '../../../shared/model';
import { vocabulary } from './testVocabulary';

function parsed(text: string): FilterExpr | null {
  const result = parseFilter(text, vocabulary);
  if (!result.ok) throw new Error(`expected ${text} to parse:\n${result.error.display}`);
  return result.expr;
}

const ROUND_TRIP_TEXTS = [
  'reason == NO_SOCKET',
  'protocol == IPv6 and not reason == NOT_SPECIFIED',
  'location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}',
  'cpu == 1 && protocol == 0x0800',
  'time >= 2.5 and time < 3',
  'time == 0.000000001 or time == -1.25 or time == 6875.302268123',
  'cpu == 1 or not cpu == 2 and pid == 3',
  '(cpu == 1 or cpu == 2) and (pid == 3 or pid == 4)',
  '(cpu == 1 and cpu == 2) and pid == 3',
  'cpu == 1 or (cpu == 2 or cpu == 3)',
  'not (cpu == 1 and pid == 2)',
  'not not not rx_sk',
  '!(reason in {NO_SOCKET}) || !(comm contains "x")',
  'protocol in {IPv4, ipv6, ARP, 802.1Q, 802.3, 0x1234, 1588, 0x88f7}',
  'comm == "two words" and comm != "" and comm == "and"',
  'comm == "quote \\" and backslash \\\\"',
  'comm in {kworker/0:1, "ksoftirqd/0", 1234, é}',
  'skbaddr == 0xffff8881045a3d00 and rx_sk != 0000000012345678',
  'location == tcp_v4_rcv+0x1a/0x2b0',
  'location matches "(?i)^tcp_v\\d+_rcv$" and comm matches "a\\"b"',
  'location matches "(?su)."',
  'reason.value in {2, 0x10001} and reason.value > 3',
  'reason.category == tcp',
  'reason.category != socket',
  'reason in {openvswitch:ovs_drop_last_action, skb_drop_reason_no_socket}',
  'pid == -1 and cpu >= 0 and pid < 1e3',
  'cpu in {}',
  'comm < m and comm >= "M"',
  'cpu not in {1, 2}',
  'protocol contains "IPv" or protocol matches "^0x8"',
];

describe('formatFilter', () => {
  it('prints the documented examples in their usual form', () => {
    const print = (text: string): string => {
      const expr = parsed(text);
      return expr === null ? '' : formatFilter(expr);
    };
    expect(print('reason == NO_SOCKET')).toBe('reason == NO_SOCKET');
    expect(print('protocol == IPv6 and not reason == NOT_SPECIFIED')).toBe(
      'protocol == IPv6 and not reason == NOT_SPECIFIED',
    );
    expect(print('location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}')).toBe(
      'location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}',
    );
    expect(print('cpu == 1 && protocol == 0x0800')).toBe('cpu == 1 and protocol == IPv4');
    expect(print('time >= 2.5 and time < 3')).toBe('time >= 2.5 and time < 3');
  });

  it.each(ROUND_TRIP_TEXTS)('prints a tree that parses back to the same tree: %s', (text) => {
    const expr = parsed(text);
    expect(expr).not.toBeNull();
    if (expr === null) return;
    const printed = formatFilter(expr);
    expect(parsed(printed)).toEqual(expr);
    // Printing is stable: the printed text prints to itself.
    const again = parsed(printed);
    expect(again === null ? '' : formatFilter(again)).toBe(printed);
  });

  it('prints protocols as names when known and 0x hex otherwise', () => {
    expect(
      formatFilter({ kind: 'in', field: 'protocol', values: [0x0800, 0x86dd, 0x1234, 0x88f7] }),
    ).toBe('protocol in {IPv4, IPv6, 0x1234, 0x88f7}');
  });

  it('prints nanoseconds as exact seconds', () => {
    const cases: [number, string][] = [
      [2_500_000_000, '2.5'],
      [3_000_000_000, '3'],
      [1, '0.000000001'],
      [-1_250_000_000, '-1.25'],
      [0, '0'],
      [1500.25, '0.00000150025'],
    ];
    for (const [ns, seconds] of cases) {
      const expr: FilterExpr = { kind: 'compare', field: 'time', op: '>=', value: ns };
      expect(formatFilter(expr)).toBe(`time >= ${seconds}`);
      expect(parsed(formatFilter(expr))).toEqual(expr);
    }
  });

  it('quotes strings that are not bare words or that are keywords', () => {
    expect(formatFilter({ kind: 'compare', field: 'comm', op: '==', value: 'a b' })).toBe(
      'comm == "a b"',
    );
    expect(formatFilter({ kind: 'compare', field: 'comm', op: '==', value: 'not' })).toBe(
      'comm == "not"',
    );
    expect(formatFilter({ kind: 'compare', field: 'comm', op: '==', value: '' })).toBe(
      'comm == ""',
    );
    expect(formatFilter({ kind: 'compare', field: 'comm', op: '==', value: 'kworker/1:0' })).toBe(
      'comm == kworker/1:0',
    );
    expect(formatFilter({ kind: 'contains', field: 'location', text: 'say "hi" \\o/' })).toBe(
      'location contains "say \\"hi\\" \\\\o/"',
    );
  });

  it('prints regular expression flags as a leading (?flags)', () => {
    const expr: FilterExpr = { kind: 'matches', field: 'location', pattern: '^udp', flags: 'im' };
    expect(formatFilter(expr)).toBe('location matches "(?im)^udp"');
    expect(parsed(formatFilter(expr))).toEqual(expr);
  });

  it('keeps the grouping of nested groups of the same kind', () => {
    const a: FilterExpr = { kind: 'exists', field: 'rx_sk' };
    const b: FilterExpr = { kind: 'compare', field: 'cpu', op: '==', value: 1 };
    const c: FilterExpr = { kind: 'compare', field: 'pid', op: '==', value: 2 };
    const nested: FilterExpr = { kind: 'and', items: [{ kind: 'and', items: [a, b] }, c] };
    expect(formatFilter(nested)).toBe('(rx_sk and cpu == 1) and pid == 2');
    expect(parsed(formatFilter(nested))).toEqual(nested);
    const mixed: FilterExpr = {
      kind: 'or',
      items: [
        { kind: 'and', items: [a, b] },
        { kind: 'not', item: { kind: 'or', items: [b, c] } },
      ],
    };
    expect(formatFilter(mixed)).toBe('rx_sk and cpu == 1 or not (cpu == 1 or pid == 2)');
    expect(parsed(formatFilter(mixed))).toEqual(mixed);
  });

  it('prints a group of one item as the item', () => {
    const item: FilterExpr = { kind: 'compare', field: 'cpu', op: '==', value: 1 };
    const wrapped: FilterExpr = { kind: 'or', items: [{ kind: 'and', items: [item] }] };
    expect(formatFilter(wrapped)).toBe('cpu == 1');
    expect(parsed(formatFilter(wrapped))).toEqual(item);
  });

  it('folds empty groups: an empty and matches everything, an empty or nothing', () => {
    const item: FilterExpr = { kind: 'compare', field: 'cpu', op: '==', value: 1 };
    expect(formatFilter({ kind: 'and', items: [] })).toBe('');
    expect(parseFilter(formatFilter({ kind: 'and', items: [] }), vocabulary)).toEqual({
      ok: true,
      expr: null,
    });
    expect(formatFilter({ kind: 'or', items: [] })).toBe('cpu in {}');
    expect(formatFilter({ kind: 'and', items: [item, { kind: 'and', items: [] }] })).toBe(
      'cpu == 1',
    );
    expect(formatFilter({ kind: 'or', items: [item, { kind: 'or', items: [] }] })).toBe('cpu == 1');
    expect(
      formatFilter({ kind: 'or', items: [item, { kind: 'not', item: { kind: 'or', items: [] } }] }),
    ).toBe('');
    expect(formatFilter({ kind: 'and', items: [item, { kind: 'or', items: [] }] })).toBe(
      'cpu in {}',
    );
  });
});
