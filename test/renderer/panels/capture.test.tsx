/**
 * Live capture in the UI over a fake client: the Record dialog lists backends with why not,
 * checks the filter as typed, starts a capture that opens its tab; the capture bar shows the
 * live counters from `capture:progress`, Stop, the failure reason, and Save capture saves every
 * drop as JSON lines whatever the view's filter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureProgress } from '../../../shared/contract';
import type { CaptureBackendsInfo, CaptureStatus } from '../../../shared/model';
import {
  CaptureBar,
  formatElapsed,
  parseRingLimit,
  RecordDialog,
} from '../../../renderer/panels/capture';
import { traceInfo } from '../helpers/fakeClient';
import { click, renderWithStores, typeInto, type Rendered } from '../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

const BACKENDS: CaptureBackendsInfo = {
  allowed: true,
  why: 'captures run as root through pkexec (polkit asks for a password)',
  launch: 'pkexec',
  backends: [
    { name: 'tracefs', label: 'tracefs instance', available: true, why: 'runs as root' },
    { name: 'perf', label: 'perf record', available: true, why: '/usr/bin/perf' },
    { name: 'bpftrace', label: 'bpftrace', available: false, why: 'bpftrace is not installed' },
  ],
};

function status(overrides: Partial<CaptureStatus> = {}): CaptureStatus {
  return {
    captureId: 'c1',
    traceId: 't9',
    state: 'recording',
    backend: 'tracefs',
    launch: 'pkexec',
    filter: { text: null, kernel: null, kernelWhere: '', user: null },
    startedAt: '2026-11-25T10:00:00.000Z',
    endedAt: null,
    elapsedMs: 65_000,
    received: 12_345,
    inStore: 12_345,
    evicted: 0,
    ringLimit: 1_000_000,
    ratePerS: 4321,
    peakRatePerS: 9000,
    lost: { total: 0, parts: { overrun: 0 } },
    filteredOut: 0,
    skippedLines: 0,
    reasons: { NO_SOCKET: 12_000, NETFILTER_DROP: 345 },
    warnings: [],
    error: null,
    ...overrides,
  };
}

function progress(overrides: Partial<CaptureStatus> = {}): CaptureProgress {
  const s = status(overrides);
  return {
    status: s,
    info: traceInfo({ traceId: s.traceId, name: 'capture.jsonl', events: s.inStore }),
  };
}

const text = (testId: string): string =>
  rendered?.container.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';

describe('RecordDialog', () => {
  it('lists the backends with why one is unavailable, and starts a capture with the filter', async () => {
    let closed = false;
    rendered = await renderWithStores(
      {
        'capture:backends': () => BACKENDS,
        'capture:start': () => progress({ state: 'starting', received: 0, inStore: 0 }),
      },
      () => (
        <RecordDialog
          onClose={() => {
            closed = true;
          }}
        />
      ),
    );
    expect(text('record-backends')).toContain('bpftrace is not installed');
    const bpftrace = rendered.container.querySelector<HTMLInputElement>(
      '[data-testid="record-backend-bpftrace"] input',
    );
    expect(bpftrace?.disabled).toBe(true);

    await typeInto(rendered.container.querySelector('[data-testid="record-filter"]'), 'reason ==');
    expect(text('record-filter-error')).toContain('^');
    const start = rendered.container.querySelector<HTMLButtonElement>(
      '[data-testid="record-start"]',
    );
    expect(start?.disabled).toBe(true);

    await typeInto(
      rendered.container.querySelector('[data-testid="record-filter"]'),
      'reason == NO_SOCKET',
    );
    await click(
      rendered.container.querySelector('[data-testid="record-backend-perf"] input') ?? null,
    );
    await click(start);
    await rendered.settle();
    const request = rendered.client.callsOf('capture:start')[0];
    expect(request).toEqual({
      backend: 'perf',
      filter: { kind: 'compare', field: 'reason', op: '==', value: 'NO_SOCKET' },
      filterText: 'reason == NO_SOCKET',
      ringLimit: 1_000_000,
    });
    expect(closed).toBe(true);
    const session = rendered.stores.session.getState();
    expect(session.activeTraceId).toBe('t9');
    expect(session.traces.map((t) => t.traceId)).toEqual(['t9']);
  });

  it('says why capture is off and offers no start', async () => {
    rendered = await renderWithStores(
      {
        'capture:backends': () => ({
          allowed: false,
          why: 'live capture is off in this server: start it with dropscope serve --capture',
          launch: null,
          backends: [],
        }),
      },
      () => <RecordDialog onClose={() => undefined} />,
    );
    expect(text('record-not-allowed')).toMatch(/serve --capture/);
    expect(
      rendered.container.querySelector<HTMLButtonElement>('[data-testid="record-start"]')?.disabled,
    ).toBe(true);
  });

  it('keeps the dialog open with the reason when the start fails', async () => {
    rendered = await renderWithStores(
      {
        'capture:backends': () => BACKENDS,
        'capture:start': () =>
          Promise.reject(new Error('capture needs root: sudo is not installed')),
      },
      () => <RecordDialog onClose={() => undefined} />,
    );
    await click(rendered.container.querySelector('[data-testid="record-start"]'));
    await rendered.settle();
    expect(text('record-error')).toBe('capture needs root: sudo is not installed');
  });

  it('reads ring limits with separators and refuses those out of range', () => {
    expect(parseRingLimit('2_000_000')).toBe(2_000_000);
    expect(parseRingLimit('1,000,000')).toBe(1_000_000);
    expect(parseRingLimit('100')).toBeNull();
    expect(parseRingLimit('lots')).toBeNull();
  });
});

describe('CaptureBar', () => {
  async function renderBar(handlers = {}) {
    rendered = await renderWithStores(
      { 'capture:stop': () => progress({ state: 'stopped', ratePerS: 0 }), ...handlers },
      () => <CaptureBar traceId="t9" />,
    );
    await rendered.change(() =>
      rendered!.stores.session.getState().adoptTrace(progress().info, true),
    );
    return rendered;
  }

  it('shows nothing for a trace that is not a capture', async () => {
    await renderBar();
    expect(rendered?.container.querySelector('[data-testid="capture-bar"]')).toBeNull();
  });

  it('shows the live counters of each progress, then Stop settles the final state', async () => {
    await renderBar();
    await rendered!.change(() => rendered!.client.push('capture:progress', progress()));
    expect(text('capture-state')).toBe('Recording');
    expect(text('capture-received')).toBe('12,345 drops');
    expect(text('capture-rate')).toContain('4,321/s');
    expect(text('capture-rate')).toContain('peak 9,000/s');
    expect(text('capture-reasons')).toContain('NO_SOCKET 12,000');
    expect(text('capture-lost')).toBe('lost 0');
    expect(rendered!.stores.captures.getState().dataVersions.t9).toBe(1);

    await rendered!.change(() =>
      rendered!.client.push(
        'capture:progress',
        progress({ received: 200_000, inStore: 68_928, evicted: 131_072 }),
      ),
    );
    expect(text('capture-evicted')).toBe('evicted 131,072');
    expect(rendered!.stores.session.getState().traces[0]?.events).toBe(68_928);

    await click(rendered!.container.querySelector('[data-testid="capture-stop"]'));
    await rendered!.settle();
    expect(rendered!.client.callsOf('capture:stop')).toEqual([{ captureId: 'c1' }]);
    expect(text('capture-state')).toBe('Capture stopped');
    expect(rendered!.container.querySelector('[data-testid="capture-stop"]')).toBeNull();
    // A late progress of the running capture does not bring back "Recording".
    await rendered!.change(() => rendered!.client.push('capture:progress', progress()));
    expect(text('capture-state')).toBe('Capture stopped');
  });

  it('says why a capture failed and that its drops are kept', async () => {
    await renderBar();
    await rendered!.change(() =>
      rendered!.client.push(
        'capture:progress',
        progress({
          state: 'failed',
          error: 'the capture helper was killed (SIGKILL); the 300 drops received are kept',
        }),
      ),
    );
    expect(text('capture-state')).toBe('Capture failed');
    expect(text('capture-error')).toMatch(/killed \(SIGKILL\).*kept/);
  });

  it('saves every drop of the capture as JSON lines, whatever the view filter', async () => {
    await renderBar({
      'app:chooseSavePath': () => '/home/me/capture.jsonl',
      'report:export': () => ({
        path: '/home/me/capture.jsonl',
        bytes: 10,
        rows: 12_345,
        downloadId: null,
        fileName: 'capture.jsonl',
      }),
    });
    await rendered!.change(() => rendered!.client.push('capture:progress', progress()));
    await rendered!.change(() =>
      rendered!.stores.filter.getState().toggleValue('t9', 'reason', 'NO_SOCKET', false),
    );
    await click(rendered!.container.querySelector('[data-testid="capture-save"]'));
    await rendered!.settle();
    const request = rendered!.client.callsOf('report:export')[0];
    expect(request).toMatchObject({
      traceId: 't9',
      format: 'jsonl',
      filterText: null,
      path: '/home/me/capture.jsonl',
    });
    expect(request?.filter.expr ?? null).toBeNull();
  });

  it('formats elapsed time as m:ss or h:mm:ss', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
  });
});
