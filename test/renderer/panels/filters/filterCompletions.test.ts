import { describe, expect, it } from 'vitest';
import { completeFilter } from '../../../../renderer/panels/filters/filterCompletions';
import { highlightFilter } from '../../../../renderer/panels/filters/highlightFilter';

const values = {
  reason: ['NO_SOCKET', 'TCP_CSUM', 'NETFILTER_DROP'],
  location: ['udp_queue_rcv_one_skb+0x153', 'tcp_v4_rcv+0x91'],
};

function labels(text: string, caret = text.length) {
  return completeFilter(text, caret, values).items.map((item) => item.label);
}

describe('completeFilter', () => {
  it('completes field names at the start of a comparison', () => {
    expect(labels('re')).toEqual(['reason', 'reason.value', 'reason.category']);
    expect(labels('cpu == 1 and lo')).toEqual(['location']);
  });

  it('offers operators after a field', () => {
    expect(labels('reason ')).toContain('==');
    expect(labels('reason ')).toContain('contains');
  });

  it('offers the values present in the trace after an operator, prefix matches first', () => {
    expect(labels('reason == ')).toEqual(['NO_SOCKET', 'TCP_CSUM', 'NETFILTER_DROP']);
    expect(labels('reason == so')).toEqual(['NO_SOCKET']);
    expect(labels('reason in {NO_SOCKET, t')).toEqual(['TCP_CSUM', 'NO_SOCKET', 'NETFILTER_DROP']);
    expect(labels('location contains tcp')).toEqual(['tcp_v4_rcv+0x91']);
  });

  it('offers and/or after a complete comparison, nothing inside a string', () => {
    expect(labels('cpu == 1 ')).toEqual(['and', 'or']);
    expect(labels('comm == "my ')).toEqual([]);
  });

  it('replaces the whole word under the caret', () => {
    const result = completeFilter('reason == NO_SO and cpu == 1', 13, values);
    expect(result.from).toBe(10);
    expect(result.to).toBe(15);
  });
});

describe('highlightFilter', () => {
  it('covers every character and classifies fields, keywords, operators and strings', () => {
    const text = 'reason == NO_SOCKET and not comm contains "a b" or cpu > 2';
    const spans = highlightFilter(text);
    expect(spans.map((span) => span.text).join('')).toBe(text);
    const kinds = Object.fromEntries(spans.map((span) => [span.text, span.kind]));
    expect(kinds).toMatchObject({
      reason: 'field',
      '==': 'operator',
      NO_SOCKET: 'value',
      and: 'keyword',
      not: 'keyword',
      contains: 'keyword',
      '"a b"': 'string',
      '2': 'number',
    });
  });
});
