import { afterEach, describe, expect, it } from 'vitest';
import { FilterBar } from '../../../../renderer/panels/filters';
import {
  click,
  pressKey,
  renderWithStores,
  typeInto,
  type Rendered,
} from '../../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

const handlers = {
  'trace:counts': () => ({ field: 'reason' as const, total: 0, entries: [] }),
};

function query(testId: string): Element | null {
  return rendered!.container.querySelector(`[data-testid="${testId}"]`);
}

describe('FilterBar', () => {
  it('applies a typed expression on Enter and shows it as chips', async () => {
    rendered = await renderWithStores(handlers, () => <FilterBar traceId="t1" firstNs={0} />);
    await typeInto(query('filter-input'), 'reason == NO_SOCKET and cpu in {1, 2}');
    await pressKey(query('filter-input'), 'Enter');

    const chips = rendered.container.querySelectorAll('[data-testid="filter-chip"]');
    expect(Array.from(chips, (chip) => chip.getAttribute('title'))).toEqual([
      'reason == NO_SOCKET',
      'cpu in {1, 2}',
    ]);
    expect(query('filter-error')).toBeNull();
  });

  it('shows a bad expression with a caret and keeps the last valid filter', async () => {
    rendered = await renderWithStores(handlers, () => <FilterBar traceId="t1" firstNs={0} />);
    await typeInto(query('filter-input'), 'cpu == 1');
    await pressKey(query('filter-input'), 'Enter');
    await typeInto(query('filter-input'), 'cpu == 1 and');
    await pressKey(query('filter-input'), 'Enter');

    expect(query('filter-error')?.textContent).toContain('cpu == 1 and\n            ^');
    expect(rendered.stores.filter.getState().byTrace.t1!.spec.expr).toEqual({
      kind: 'compare',
      field: 'cpu',
      op: '==',
      value: 1,
    });
  });

  it('removes a chip with its button, and the time range with its own', async () => {
    rendered = await renderWithStores(handlers, (stores) => {
      stores.filter.getState().toggleValue('t1', 'reason', 'NO_SOCKET', false);
      stores.filter.getState().setTimeRange('t1', { startNs: 2e9, endNs: 3e9 });
      return <FilterBar traceId="t1" firstNs={1e9} />;
    });
    expect(query('time-range-chip')?.textContent).toContain('1.000 s – 2.000 s');

    await click(query('filter-chip-remove'));
    await click(query('time-range-chip-remove'));
    expect(rendered.stores.filter.getState().byTrace.t1!.spec).toEqual({
      expr: null,
      timeRange: null,
    });
  });
});
