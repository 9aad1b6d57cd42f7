import { afterEach, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../../shared/contract';
import type { Counts } from '../../../../shared/model';
import { FacetsPanel } from '../../../../renderer/panels/filters';
import { click, renderWithStores, type Rendered } from '../../helpers/renderWithStores';

const COUNTS: Record<string, Counts['entries']> = {
  reason: [
    { key: 'NO_SOCKET', count: 60 },
    { key: 'TCP_CSUM', count: 40 },
  ],
  location: [{ key: 'tcp_v4_rcv+0x91', count: 100 }],
  protocol: [
    { key: 'IPv4', count: 70 },
    { key: 'IPv6', count: 30 },
  ],
  comm: [{ key: 'swapper/0', count: 100 }],
  cpu: [{ key: '0', count: 100 }],
};

function counts(request: RequestOf<'trace:counts'>): Counts {
  return { field: request.field, total: 100, entries: COUNTS[request.field] ?? [] };
}

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

function item(field: string, value: string): Element | null {
  return rendered!.container.querySelector(
    `[data-testid="facet-item"][data-field="${field}"][data-value="${value}"]`,
  );
}

describe('FacetsPanel', () => {
  it('shows the top values of each field with their counts', async () => {
    rendered = await renderWithStores({ 'trace:counts': counts }, () => (
      <FacetsPanel traceId="t1" />
    ));
    expect(item('reason', 'NO_SOCKET')?.textContent).toContain('60');
    expect(item('protocol', 'IPv6')?.textContent).toContain('30');
    expect(
      rendered.client
        .callsOf('trace:counts')
        .map((request) => request.field)
        .sort(),
    ).toEqual(['comm', 'cpu', 'location', 'protocol', 'reason']);
  });

  it('includes a value on click and asks the counts again under the new filter', async () => {
    rendered = await renderWithStores({ 'trace:counts': counts }, () => (
      <FacetsPanel traceId="t1" />
    ));
    const before = rendered.client.callsOf('trace:counts').length;

    await click(item('reason', 'NO_SOCKET'));
    await rendered.settle();

    const filter = rendered.stores.filter.getState().byTrace.t1!;
    expect(filter.text).toBe('reason in {NO_SOCKET}');
    const after = rendered.client.callsOf('trace:counts').slice(before);
    expect(after).toHaveLength(5);
    expect(after[0]!.filter.expr).toEqual({ kind: 'in', field: 'reason', values: ['NO_SOCKET'] });
    expect(item('reason', 'NO_SOCKET')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('excludes a value on alt-click (protocols as ethertype numbers)', async () => {
    rendered = await renderWithStores({ 'trace:counts': counts }, () => (
      <FacetsPanel traceId="t1" />
    ));
    await click(item('protocol', 'IPv6'), { altKey: true });
    expect(rendered.stores.filter.getState().byTrace.t1!.spec.expr).toEqual({
      kind: 'not',
      item: { kind: 'in', field: 'protocol', values: [0x86dd] },
    });
  });

  it('uses the time range in its counts', async () => {
    rendered = await renderWithStores({ 'trace:counts': counts }, () => (
      <FacetsPanel traceId="t1" />
    ));
    const { stores, client, change } = rendered;
    await change(() => stores.filter.getState().setTimeRange('t1', { startNs: 5, endNs: 10 }));
    expect(client.callsOf('trace:counts').at(-1)!.filter.timeRange).toEqual({
      startNs: 5,
      endNs: 10,
    });
  });
});
