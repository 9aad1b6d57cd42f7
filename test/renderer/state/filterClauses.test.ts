import { describe, expect, it } from 'vitest';
import {
  columnFilterOf,
  facetValue,
  labelClause,
  printWholeFilter,
  setColumnFilter,
  toggleValue,
} from '../../../renderer/state';

describe('filterClauses', () => {
  it('maps count keys to filter values (protocol names and hex to numbers, none to null)', () => {
    expect(facetValue('protocol', 'IPv4')).toBe(0x0800);
    expect(facetValue('protocol', '0x88cc')).toBe(0x88cc);
    expect(facetValue('cpu', '7')).toBe(7);
    expect(facetValue('reason', 'NO_SOCKET')).toBe('NO_SOCKET');
    expect(facetValue('comm', '(none)')).toBeNull();
  });

  it('includes a missing value as "not field" and excludes it as "field"', () => {
    expect(toggleValue([], 'comm', null, false)).toEqual([
      { kind: 'not', item: { kind: 'exists', field: 'comm' } },
    ]);
    expect(toggleValue([], 'comm', null, true)).toEqual([{ kind: 'exists', field: 'comm' }]);
  });

  it('sets, replaces and removes one column filter per field', () => {
    let clauses = setColumnFilter([], 'location', 'udp');
    clauses = setColumnFilter(clauses, 'cpu', '3');
    expect(columnFilterOf(clauses, 'location')).toBe('udp');
    expect(columnFilterOf(clauses, 'cpu')).toBe('3');
    clauses = setColumnFilter(clauses, 'location', 'tcp');
    expect(clauses).toHaveLength(2);
    clauses = setColumnFilter(clauses, 'location', '');
    expect(columnFilterOf(clauses, 'location')).toBeNull();
    expect(setColumnFilter([], 'cpu', 'abc')).toEqual([]);
    expect(setColumnFilter([], 'reason', 'socket')).toEqual([
      { kind: 'contains', field: 'reason', text: 'SOCKET' },
    ]);
  });

  it('labels simple clauses by field and verb, others by their text', () => {
    expect(labelClause({ kind: 'in', field: 'reason', values: ['A_B', 'C'] })).toMatchObject({
      field: 'reason',
      verb: 'is',
      text: 'A_B, C',
    });
    expect(
      labelClause({ kind: 'not', item: { kind: 'in', field: 'protocol', values: [0x0800] } }),
    ).toMatchObject({ field: 'protocol', verb: 'is not', text: 'IPv4', isExclude: true });
    expect(
      labelClause({
        kind: 'or',
        items: [
          { kind: 'compare', field: 'cpu', op: '==', value: 1 },
          { kind: 'compare', field: 'cpu', op: '==', value: 2 },
        ],
      }),
    ).toMatchObject({ field: null, text: 'cpu == 1 or cpu == 2' });
  });

  it('prints the whole filter with the time range relative to the first event', () => {
    const text = printWholeFilter(
      [{ kind: 'in', field: 'cpu', values: [1] }],
      '',
      { startNs: 3_500_000_000, endNs: 4_000_000_000 },
      1_000_000_000,
    );
    expect(text).toBe('cpu in {1} and time >= 2.5 and time < 3');
  });
});
