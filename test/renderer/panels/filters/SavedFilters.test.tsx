import { afterEach, describe, expect, it } from 'vitest';
import { FilterBar } from '../../../../renderer/panels/filters';
import { click, renderWithStores, typeInto, type Rendered } from '../../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

const handlers = {
  'trace:counts': () => ({ field: 'reason' as const, total: 0, entries: [] }),
};

function query(testId: string): Element | null {
  return rendered!.container.querySelector(`[data-testid="${testId}"]`);
}

function all(testId: string): Element[] {
  return Array.from(rendered!.container.querySelectorAll(`[data-testid="${testId}"]`));
}

async function submit(form: Element | null): Promise<void> {
  await click(query('filter-save-confirm'));
  expect(form).not.toBeNull();
}

describe('saved filters in the filter bar', () => {
  it('saves the expression under a name, lists it and applies it', async () => {
    rendered = await renderWithStores(handlers, () => <FilterBar traceId="t1" firstNs={0} />);
    await typeInto(query('filter-input'), 'reason == NO_SOCKET and protocol == IPv4');
    await click(query('filter-save'));
    await typeInto(query('filter-save-name'), 'udp no socket');
    await submit(query('filter-save-form'));

    expect(rendered.stores.filter.getState().savedFilters).toEqual([
      { name: 'udp no socket', text: 'reason == NO_SOCKET and protocol == IPv4' },
    ]);
    expect(query('filter-save-form')).toBeNull();

    await rendered.change(() => rendered!.stores.filter.getState().clearFilter('t1'));
    await click(query('saved-filters-button'));
    expect(all('saved-filter').map((item) => item.textContent)).toEqual([
      'udp no socket reason == NO_SOCKET and protocol == IPv4×',
    ]);
    await click(query('saved-filter-apply'));
    expect(all('filter-chip').map((chip) => chip.getAttribute('title'))).toEqual([
      'reason == NO_SOCKET',
      'protocol == IPv4',
    ]);
    expect(query('saved-filters')).toBeNull();
  });

  it('refuses an invalid expression or a blank name, and deletes a saved one', async () => {
    rendered = await renderWithStores(handlers, () => <FilterBar traceId="t1" firstNs={0} />);
    await typeInto(query('filter-input'), 'cpu ==');
    await click(query('filter-save'));
    await typeInto(query('filter-save-name'), 'broken');
    await submit(query('filter-save-form'));
    expect(query('filter-save-error')?.textContent).toBe('Only a valid expression can be saved.');
    expect(rendered.stores.filter.getState().savedFilters).toEqual([]);

    await typeInto(query('filter-input'), 'cpu == 1');
    await typeInto(query('filter-save-name'), '  ');
    await submit(query('filter-save-form'));
    expect(query('filter-save-error')?.textContent).toBe('Give the filter a name.');

    await typeInto(query('filter-save-name'), 'cpu one');
    await submit(query('filter-save-form'));
    await click(query('saved-filters-button'));
    expect(all('saved-filter')).toHaveLength(1);
    await click(query('saved-filter-delete'));
    expect(all('saved-filter')).toHaveLength(0);
    expect(rendered.stores.filter.getState().savedFilters).toEqual([]);
  });

  it('remembers saved filters in storage across stores', async () => {
    const { createFilterStore } = await import('../../../../renderer/state');
    const { memoryStorage } = await import('../../../../renderer/services');
    const storage = memoryStorage();
    const first = createFilterStore({ storage });
    expect(first.getState().saveFilter('mine', 'cpu == 2')).toBe(true);
    const second = createFilterStore({ storage });
    expect(second.getState().savedFilters).toEqual([{ name: 'mine', text: 'cpu == 2' }]);
  });
});
