import { afterEach, describe, expect, it } from 'vitest';
import { ExportMenu, ExportStatus } from '../../../renderer/app/ExportMenu';
import type { AppInfo, ExportResult } from '../../../shared/contract';
import type { Stores } from '../../../renderer/state';
import { traceInfo } from '../helpers/fakeClient';
import { click, renderWithStores, type Rendered } from '../helpers/renderWithStores';

let rendered: Rendered | null = null;
afterEach(() => rendered?.unmount());

function appInfo(mode: AppInfo['mode']): AppInfo {
  return {
    mode,
    version: 't',
    canOpenPaths: mode === 'desktop',
    initialFiles: [],
    hasSample: false,
    canCapture: false,
  };
}

/** An open trace t1 (first event at 1 s) filtered to NO_SOCKET between 2 s and 3 s. */
function openFilteredTrace(stores: Stores, mode: AppInfo['mode']): void {
  stores.session.setState({ traces: [traceInfo()], activeTraceId: 't1', appInfo: appInfo(mode) });
  stores.filter.getState().toggleValue('t1', 'reason', 'NO_SOCKET', false);
  stores.filter.getState().setTimeRange('t1', { startNs: 2e9, endNs: 3e9 });
}

function query(testId: string): Element | null {
  return rendered!.container.querySelector(`[data-testid="${testId}"]`);
}

function view() {
  return (
    <>
      <ExportMenu />
      <ExportStatus />
    </>
  );
}

const RESULT: ExportResult = {
  path: '/home/me/drops.csv',
  bytes: 2048,
  rows: 33,
  downloadId: null,
  fileName: 'drops.csv',
};

describe('ExportMenu', () => {
  it('exports exactly the current view to the file chosen in the save dialog', async () => {
    rendered = await renderWithStores(
      {
        'app:chooseSavePath': () => '/home/me/drops.csv',
        'report:export': () => RESULT,
      },
      (stores) => {
        openFilteredTrace(stores, 'desktop');
        return view();
      },
    );
    await click(query('export-button'));
    const labels = Array.from(
      rendered.container.querySelectorAll('[data-testid="export-menu"] button'),
      (button) => button.textContent,
    );
    expect(labels).toEqual([
      'HTML report',
      'PDF report',
      'Markdown summary',
      'CSV',
      'JSON lines',
      'Reason × location CSV',
    ]);
    await click(query('export-csv'));
    await rendered.settle();

    expect(rendered.client.callsOf('app:chooseSavePath')).toEqual([
      { defaultName: 'drops.csv', extension: 'csv' },
    ]);
    const [request] = rendered.client.callsOf('report:export');
    expect(request).toMatchObject({
      traceId: 't1',
      format: 'csv',
      path: '/home/me/drops.csv',
      filter: rendered.stores.filter.getState().byTrace.t1!.spec,
      filterText: 'reason in {NO_SOCKET} and time >= 1 and time < 2',
    });
    expect(query('export-path')?.textContent).toBe('/home/me/drops.csv');
    expect(query('export-result')?.textContent).toContain('33 rows');
  });

  it('does nothing when the save dialog is cancelled on the desktop', async () => {
    rendered = await renderWithStores({ 'app:chooseSavePath': () => null }, (stores) => {
      openFilteredTrace(stores, 'desktop');
      return view();
    });
    await click(query('export-button'));
    await click(query('export-html'));
    await rendered.settle();
    expect(rendered.client.callsOf('report:export')).toEqual([]);
    expect(query('export-result')).toBeNull();
  });

  it('downloads the file in browser mode and shows progress meanwhile', async () => {
    const downloads: string[] = [];
    let finish: (result: ExportResult) => void = () => undefined;
    rendered = await renderWithStores(
      {
        'app:chooseSavePath': () => null,
        'report:export': () =>
          new Promise<ExportResult>((resolve) => {
            finish = resolve;
          }),
      },
      (stores) => {
        openFilteredTrace(stores, 'browser');
        return view();
      },
      { download: (url, name) => downloads.push(`${url} ${name}`) },
    );
    await click(query('export-button'));
    await click(query('export-jsonl'));
    await rendered.settle();
    const [request] = rendered.client.callsOf('report:export');
    expect(request?.path).toBeNull();
    await rendered.change(() =>
      rendered!.client.push('report:exportProgress', {
        exportId: request!.exportId,
        rows: 10,
        total: 33,
        done: false,
      }),
    );
    expect(query('export-progress')?.textContent).toContain('10 of 33 drops');
    expect(query('export-button')?.hasAttribute('disabled')).toBe(true);

    await rendered.change(() =>
      finish({ ...RESULT, path: '/tmp/x/drops.jsonl', fileName: 'drops.jsonl', downloadId: 'abc' }),
    );
    expect(downloads).toEqual(['/api/download?id=abc drops.jsonl']);
    expect(query('export-download-link')?.getAttribute('href')).toBe('/api/download?id=abc');
    expect(query('export-progress')).toBeNull();
  });

  it('shows why an export failed', async () => {
    rendered = await renderWithStores(
      {
        'app:chooseSavePath': () => '/home/me/r.pdf',
        'report:export': () => Promise.reject(new Error('no headless Chromium found')),
      },
      (stores) => {
        openFilteredTrace(stores, 'desktop');
        return view();
      },
    );
    await click(query('export-button'));
    await click(query('export-pdf'));
    await rendered.settle();
    expect(query('export-error')?.textContent).toBe('Export failed: no headless Chromium found');
    await click(query('export-dismiss'));
    expect(query('export-result')).toBeNull();
  });
});
