import { describe, expect, it } from 'vitest';
import { formatFilter, parseFilter } from '../../../shared/filter';
import { catalogueVocabulary, createFilterStore, splitClauses } from '../../../renderer/state';
import { memoryStorage } from '../../../renderer/services';

const T = 't1';

function newStore() {
  return createFilterStore({ storage: memoryStorage() });
}

describe('filterStore', () => {
  it('turns facet includes and excludes into chips that print as one expression', () => {
    const store = newStore();
    const { toggleValue } = store.getState();
    toggleValue(T, 'reason', 'NO_SOCKET', false);
    toggleValue(T, 'reason', 'TCP_CSUM', false);
    toggleValue(T, 'protocol', 0x86dd, true);

    const filter = store.getState().byTrace[T]!;
    expect(filter.clauses).toHaveLength(2);
    expect(filter.text).toBe('reason in {NO_SOCKET, TCP_CSUM} and not protocol in {IPv6}');
    expect(filter.spec.expr).toEqual({
      kind: 'and',
      items: [
        { kind: 'in', field: 'reason', values: ['NO_SOCKET', 'TCP_CSUM'] },
        { kind: 'not', item: { kind: 'in', field: 'protocol', values: [0x86dd] } },
      ],
    });
  });

  it('reads the printed chips back to the same chips (round trip)', () => {
    const store = newStore();
    const { toggleValue, setColumnFilter } = store.getState();
    toggleValue(T, 'reason', 'NO_SOCKET', false);
    toggleValue(T, 'cpu', 3, true);
    toggleValue(T, 'comm', null, false);
    setColumnFilter(T, 'location', 'udp_queue');
    const before = store.getState().byTrace[T]!.clauses;

    const text = formatFilter({ kind: 'and', items: before });
    const parsed = parseFilter(text, catalogueVocabulary());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(splitClauses(parsed.expr)).toEqual(before);
  });

  it('shows a typed expression as one chip per top-level and', () => {
    const store = newStore();
    store
      .getState()
      .setText(T, 'reason == NO_SOCKET and (cpu == 1 or cpu == 2) and comm contains "ping"');
    expect(store.getState().applyText(T)).toBe(true);

    const filter = store.getState().byTrace[T]!;
    expect(filter.clauses.map((clause) => clause.kind)).toEqual(['compare', 'or', 'contains']);
    expect(filter.text).toBe(
      'reason == NO_SOCKET and (cpu == 1 or cpu == 2) and comm contains "ping"',
    );
    expect(filter.error).toBeNull();
  });

  it('removes a value when it is clicked again and moves it between include and exclude', () => {
    const store = newStore();
    const { toggleValue } = store.getState();
    toggleValue(T, 'reason', 'NO_SOCKET', false);
    toggleValue(T, 'reason', 'NO_SOCKET', true);
    expect(store.getState().byTrace[T]!.text).toBe('not reason in {NO_SOCKET}');
    toggleValue(T, 'reason', 'NO_SOCKET', true);
    expect(store.getState().byTrace[T]!.clauses).toEqual([]);
    expect(store.getState().byTrace[T]!.spec.expr).toBeNull();
  });

  it('adds a facet value to a typed == clause of the same field', () => {
    const store = newStore();
    store.getState().setText(T, 'reason == NO_SOCKET');
    store.getState().applyText(T);
    store.getState().toggleValue(T, 'reason', 'TCP_CSUM', false);
    expect(store.getState().byTrace[T]!.text).toBe('reason in {NO_SOCKET, TCP_CSUM}');
  });

  it('keeps the last valid filter applied and shows where a bad expression fails', () => {
    const store = newStore();
    store.getState().toggleValue(T, 'reason', 'NO_SOCKET', false);
    const applied = store.getState().byTrace[T]!.spec;

    store.getState().setText(T, 'reason == NO_SOCKET and cpu >');
    expect(store.getState().applyText(T)).toBe(false);

    const filter = store.getState().byTrace[T]!;
    expect(filter.spec).toBe(applied);
    expect(filter.text).toBe('reason == NO_SOCKET and cpu >');
    expect(filter.error?.position).toBe('reason == NO_SOCKET and cpu >'.length);
    expect(filter.error?.display).toContain('^');
  });

  it('keeps the time range apart from the expression and in the spec', () => {
    const store = newStore();
    store.getState().toggleValue(T, 'cpu', 1, false);
    store.getState().setTimeRange(T, { startNs: 2e9, endNs: 3e9 });

    const filter = store.getState().byTrace[T]!;
    expect(filter.spec.timeRange).toEqual({ startNs: 2e9, endNs: 3e9 });
    expect(filter.specWithoutTime.timeRange).toBeNull();
    expect(filter.specWithoutTime.expr).toBe(filter.spec.expr);
    expect(filter.text).toBe('cpu in {1}');

    store.getState().setTimeRange(T, null);
    expect(store.getState().byTrace[T]!.spec.timeRange).toBeNull();
  });

  it('adds the quick search as a case-insensitive match over location, comm and reason', () => {
    const store = newStore();
    store.getState().setQuickSearch(T, 'udp.rcv');
    const expr = store.getState().byTrace[T]!.spec.expr;
    expect(expr).toEqual({
      kind: 'or',
      items: ['location', 'comm', 'reason'].map((field) => ({
        kind: 'matches',
        field,
        pattern: 'udp\\.rcv',
        flags: 'i',
      })),
    });
    expect(store.getState().byTrace[T]!.text).toBe('');
  });

  it('clears chips, text, quick search and time range together', () => {
    const store = newStore();
    const state = store.getState();
    state.toggleValue(T, 'cpu', 1, false);
    state.setQuickSearch(T, 'x');
    state.setTimeRange(T, { startNs: 1, endNs: 2 });
    state.clearFilter(T);
    const filter = store.getState().byTrace[T]!;
    expect(filter.spec).toEqual({ expr: null, timeRange: null });
    expect(filter.text).toBe('');
  });

  it('remembers applied expressions newest first in storage', () => {
    const storage = memoryStorage();
    const store = createFilterStore({ storage });
    store.getState().setText(T, 'cpu == 1');
    store.getState().applyText(T);
    store.getState().setText(T, 'cpu == 2');
    store.getState().applyText(T);
    store.getState().setText(T, 'cpu == 1');
    store.getState().applyText(T);
    expect(store.getState().history).toEqual(['cpu == 1', 'cpu == 2']);
    expect(createFilterStore({ storage }).getState().history).toEqual(['cpu == 1', 'cpu == 2']);
  });
});
