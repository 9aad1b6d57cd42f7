import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventField, TimeRange } from '../../../../shared/model';
import {
  TimelinePanel,
  type TimelinePanelProps,
} from '../../../../renderer/panels/timeline/TimelinePanel';
import { FakeHistogramClient, recordingContext } from './fakeCanvas';

// React's act() needs this flag outside a test renderer.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let client: FakeHistogramClient;

function props(overrides: Partial<TimelinePanelProps> = {}): TimelinePanelProps {
  return {
    client,
    traceId: 't1',
    filter: {},
    timeRange: null,
    onBrush: vi.fn<(range: TimeRange | null) => void>(),
    splitBy: 'reason',
    onSplitByChange: vi.fn<(field: EventField) => void>(),
    firstNs: 1_000_000_000,
    lastNs: 11_000_000_000,
    ...overrides,
  };
}

async function render(panelProps: TimelinePanelProps): Promise<void> {
  await act(async () => {
    root.render(createElement(TimelinePanel, panelProps));
    await Promise.resolve();
  });
}

/** Runs pending animation frames (jsdom's rAF is a timer). */
async function nextFrames(): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(50);
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  client = new FakeHistogramClient();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () => recordingContext().ctx,
  );
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
    x: 0,
    y: 0,
    left: 0,
    top: 0,
    width: 800,
    height: 200,
    right: 800,
    bottom: 200,
    toJSON: () => ({}),
  });
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
    setTimeout(() => callback(performance.now()), 16),
  );
  vi.stubGlobal('cancelAnimationFrame', (handle: number) => clearTimeout(handle));
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('TimelinePanel', () => {
  it('says so when the trace has no timestamps, and draws nothing', async () => {
    await render(props({ firstNs: null, lastNs: null }));
    await nextFrames();
    expect(container.querySelector('[data-testid="timeline-no-timestamps"]')?.textContent).toMatch(
      /no timestamps/,
    );
    expect(container.querySelector('canvas')).toBeNull();
    expect(client.requests).toHaveLength(0);
  });

  it('fetches a histogram for the canvas width and lists its series in the legend', async () => {
    await render(props());
    await nextFrames();
    expect(client.requests).toHaveLength(1);
    await act(async () => {
      await client.answer((request) => [
        { key: 'NO_SOCKET', total: 3, counts: new Array<number>(request.buckets).fill(0) },
        { key: 'other', total: 1, counts: new Array<number>(request.buckets).fill(0) },
      ]);
    });
    await nextFrames();
    const items = [...container.querySelectorAll('[data-testid="timeline-legend-item"]')];
    expect(items.map((item) => item.textContent)).toEqual(['NO_SOCKET', 'Other']);

    await act(async () => {
      (items[0] as HTMLButtonElement).click();
      await vi.advanceTimersByTimeAsync(50);
    });
    const first = container.querySelector('[data-testid="timeline-legend-item"]');
    expect(first?.getAttribute('aria-pressed')).toBe('false');
  });

  it('reports a new split field chosen in the header', async () => {
    const panelProps = props();
    await render(panelProps);
    const select = container.querySelector<HTMLSelectElement>(
      '[data-testid="timeline-split-select"]',
    )!;
    await act(async () => {
      select.value = 'cpu';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await Promise.resolve();
    });
    expect(panelProps.onSplitByChange).toHaveBeenCalledWith('cpu');
  });

  it('keeps a zoom key it handled from the app-wide shortcuts', async () => {
    await render(props());
    await nextFrames();
    const seenByWindow: string[] = [];
    const listener = (event: KeyboardEvent): void => {
      seenByWindow.push(event.key);
    };
    window.addEventListener('keydown', listener);
    const canvas = container.querySelector('canvas')!;
    await act(async () => {
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'x', bubbles: true }));
      await vi.advanceTimersByTimeAsync(50);
    });
    window.removeEventListener('keydown', listener);
    expect(seenByWindow).toEqual(['x']);
    expect(container.querySelector('[data-testid="timeline-reset"]')).not.toBeNull();
  });

  it('offers a reset button while a range is brushed, which clears it', async () => {
    const panelProps = props({ timeRange: { startNs: 2_000_000_000, endNs: 3_500_000_000 } });
    await render(panelProps);
    const reset = container.querySelector<HTMLButtonElement>('[data-testid="timeline-reset"]')!;
    await act(async () => {
      reset.click();
      await Promise.resolve();
    });
    expect(panelProps.onBrush).toHaveBeenCalledWith(null);
  });
});
