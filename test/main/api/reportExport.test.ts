/**
 * The export and statistics channels through `createApi` over an in-process engine:
 * `trace:stats`, `report:export` (every format, desktop paths and browser-mode downloads, progress
 * events, PDF through the host's `HtmlToPdf`) and `app:chooseSavePath`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, memoryRecentFiles, type Api, type ApiOptions } from '../../../main/api';
import { computeStats, InProcessEngineClient, readTrace } from '../../../main/engine';
import { DownloadStore } from '../../../main/server';
import type { PushEvents, RequestOf, TraceInfo } from '../../../shared/contract';
import { repoRoot } from '../../helpers/samples';

const FIXTURE = resolve(repoRoot, 'test', 'fixtures', 'perf-script', 'older-kernels.txt');
const CPU_1: RequestOf<'trace:stats'>['filter'] = {
  expr: { kind: 'compare', field: 'cpu', op: '==', value: 1 },
};
const CPU_1_TEXT = 'cpu == 1';

let folder: string;

function makeApi(overrides: Partial<ApiOptions> = {}): Api {
  return createApi({
    engine: new InProcessEngineClient(),
    mode: 'desktop',
    version: 'test',
    initialFiles: [],
    samplePath: null,
    recent: memoryRecentFiles(),
    canOpen: () => true,
    canOpenPaths: true,
    ...overrides,
  });
}

async function openFixture(api: Api): Promise<TraceInfo> {
  return api.call('trace:open', { path: FIXTURE });
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'dropscope-export-test-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('trace:stats', () => {
  it('answers computeStats of the trace under the filter', async () => {
    const api = makeApi();
    const trace = await openFixture(api);
    const stats = await api.call('trace:stats', { traceId: trace.traceId, filter: CPU_1 });
    const loaded = await readTrace(FIXTURE);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(stats).toEqual(computeStats(loaded.value, CPU_1));
    expect(Object.keys(stats.cpus)).toEqual(['1']);
    expect(stats.events).toBeGreaterThan(0);
    expect(stats.host).toBe('buildbox');
  });

  it('rejects an unknown trace with a message', async () => {
    await expect(makeApi().call('trace:stats', { traceId: 'nope', filter: {} })).rejects.toThrow(
      /no open trace nope/,
    );
  });
});

describe('report:export on the desktop', () => {
  it('streams the filtered view as CSV with progress events', async () => {
    const api = makeApi();
    const trace = await openFixture(api);
    const total = (
      await api.call('trace:page', {
        traceId: trace.traceId,
        filter: CPU_1,
        start: 0,
        end: 0,
      })
    ).total;
    const progress: PushEvents['report:exportProgress'][] = [];
    api.onPush((event, payload) => {
      if (event === 'report:exportProgress')
        progress.push(payload as PushEvents['report:exportProgress']);
    });
    const path = join(folder, 'view.csv');
    const result = await api.call('report:export', {
      traceId: trace.traceId,
      filter: CPU_1,
      filterText: CPU_1_TEXT,
      format: 'csv',
      exportId: 'e1',
      path,
    });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    // A `# dropscope:` header line, the column names, then one line per event.
    expect(lines).toHaveLength(total + 2);
    expect(lines[0]).toContain(CPU_1_TEXT);
    expect(result).toMatchObject({ path, rows: total, downloadId: null, fileName: 'view.csv' });
    expect(result.bytes).toBe(readFileSync(path).byteLength);
    expect(progress.at(-1)).toEqual({ exportId: 'e1', rows: total, total, done: true });
    expect(progress.every((p) => p.exportId === 'e1')).toBe(true);
  });

  it('writes JSON lines, the breakdown CSV, Markdown and HTML stating the filter', async () => {
    const api = makeApi();
    const trace = await openFixture(api);
    const base = { traceId: trace.traceId, filter: CPU_1, filterText: CPU_1_TEXT };
    const jsonl = await api.call('report:export', {
      ...base,
      format: 'jsonl',
      exportId: 'j',
      path: join(folder, 'view.jsonl'),
    });
    expect(readFileSync(jsonl.path, 'utf8').trimEnd().split('\n')).toHaveLength(
      (jsonl.rows ?? 0) + 1,
    );
    const breakdown = await api.call('report:export', {
      ...base,
      format: 'breakdown-csv',
      exportId: 'b',
      path: join(folder, 'breakdown.csv'),
    });
    expect(readFileSync(breakdown.path, 'utf8')).toMatch(
      /^reason,location,count,percent_of_total\n/,
    );
    const md = await api.call('report:export', {
      ...base,
      format: 'md',
      exportId: 'm',
      path: join(folder, 'summary.md'),
    });
    expect(readFileSync(md.path, 'utf8')).toContain(CPU_1_TEXT);
    const html = await api.call('report:export', {
      ...base,
      format: 'html',
      exportId: 'h',
      path: join(folder, 'report.html'),
    });
    const text = readFileSync(html.path, 'utf8');
    expect(text).toMatch(/^<!DOCTYPE html>/i);
    expect(text).toContain(CPU_1_TEXT);
    expect(html.rows).toBeUndefined();
  });

  it('prints PDF through the host HtmlToPdf, and says so when there is none', async () => {
    let printed = '';
    const api = makeApi({
      htmlToPdf: (html) => {
        printed = html;
        return Promise.resolve(new TextEncoder().encode('%PDF-1.7 fake'));
      },
    });
    const trace = await openFixture(api);
    const request = {
      traceId: trace.traceId,
      filter: CPU_1,
      filterText: CPU_1_TEXT,
      format: 'pdf' as const,
      exportId: 'p',
      path: join(folder, 'report.pdf'),
    };
    const result = await api.call('report:export', request);
    expect(readFileSync(result.path, 'utf8')).toBe('%PDF-1.7 fake');
    expect(result.bytes).toBe(13);
    expect(printed).toContain(CPU_1_TEXT);

    const none = makeApi({ noPdfMessage: 'no headless Chromium found' });
    const other = await openFixture(none);
    await expect(
      none.call('report:export', { ...request, traceId: other.traceId }),
    ).rejects.toThrow('no headless Chromium found');
  });

  it('refuses relative paths and reports unwritable ones as messages', async () => {
    const api = makeApi();
    const trace = await openFixture(api);
    const request = {
      traceId: trace.traceId,
      filter: {},
      filterText: null,
      format: 'csv' as const,
      exportId: 'x',
    };
    await expect(api.call('report:export', { ...request, path: 'out.csv' })).rejects.toThrow(
      /not an absolute path/,
    );
    await expect(
      api.call('report:export', { ...request, path: join(folder, 'missing', 'out.csv') }),
    ).rejects.toThrow(/cannot write/);
    await expect(api.call('report:export', request)).rejects.toThrow(/choose where to save/);
  });

  it('asks the host for a save path', async () => {
    const asked: string[] = [];
    const api = makeApi({
      chooseSavePath: (name, extension) => {
        asked.push(`${name}|${extension}`);
        return Promise.resolve('/home/user/r.html');
      },
    });
    await expect(
      api.call('app:chooseSavePath', { defaultName: 'r.html', extension: 'html' }),
    ).resolves.toBe('/home/user/r.html');
    expect(asked).toEqual(['r.html|html']);
  });
});

describe('report:export in browser mode', () => {
  it('writes to a private download and never to a path the page names', async () => {
    const downloads = new DownloadStore();
    const api = makeApi({ mode: 'browser', canOpenPaths: false, downloads });
    try {
      await expect(
        api.call('app:chooseSavePath', { defaultName: 'a.csv', extension: 'csv' }),
      ).resolves.toBeNull();
      const trace = await openFixture(api);
      const request = {
        traceId: trace.traceId,
        filter: CPU_1,
        filterText: CPU_1_TEXT,
        format: 'csv' as const,
        exportId: 'd',
      };
      const result = await api.call('report:export', request);
      expect(result.downloadId).toMatch(/^[0-9a-f]{32}$/);
      expect(result.fileName).toBe('older-kernels.csv');
      expect(readFileSync(result.path, 'utf8')).toContain(CPU_1_TEXT);
      await expect(
        api.call('report:export', { ...request, path: join(folder, 'evil.csv') }),
      ).rejects.toThrow(/cannot be written to a path here/);
    } finally {
      await downloads.dispose();
    }
  });
});
