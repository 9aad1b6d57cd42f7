import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { useShortcuts, type ShortcutHandlers } from '../../../renderer/app/useShortcuts';
import { renderWithStores, type Rendered } from '../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

function Harness({ handlers }: { handlers: ShortcutHandlers }) {
  useShortcuts(handlers);
  return <input data-testid="other-input" />;
}

async function press(target: EventTarget, init: KeyboardEventInit) {
  await act(async () => {
    target.dispatchEvent(
      new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }),
    );
    await Promise.resolve();
  });
}

describe('useShortcuts', () => {
  it('maps Ctrl+O, Ctrl+F, Escape and +/- to their handlers', async () => {
    const seen: string[] = [];
    const handlers: ShortcutHandlers = {
      onOpen: () => seen.push('open'),
      onFind: () => seen.push('find'),
      onClearFilter: () => seen.push('clear'),
      onZoom: (direction) => seen.push(`zoom-${direction}`),
    };
    rendered = await renderWithStores({}, () => <Harness handlers={handlers} />);
    await press(document.body, { key: 'o', ctrlKey: true });
    await press(document.body, { key: 'f', metaKey: true });
    await press(document.body, { key: 'Escape' });
    await press(document.body, { key: '+' });
    await press(document.body, { key: '-' });
    expect(seen).toEqual(['open', 'find', 'clear', 'zoom-in', 'zoom-out']);
  });

  it('leaves single keys typed in other inputs alone', async () => {
    const seen: string[] = [];
    const handlers: ShortcutHandlers = {
      onOpen: () => seen.push('open'),
      onFind: () => seen.push('find'),
      onClearFilter: () => seen.push('clear'),
      onZoom: () => seen.push('zoom'),
    };
    rendered = await renderWithStores({}, () => <Harness handlers={handlers} />);
    const input = rendered.container.querySelector('[data-testid="other-input"]')!;
    await press(input, { key: '+' });
    await press(input, { key: 'Escape' });
    expect(seen).toEqual([]);
  });
});
