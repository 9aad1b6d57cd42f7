/**
 * `GET /api/download?id=…`: an export's private file, behind the token, as an attachment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, memoryRecentFiles } from '../../../main/api';
import { InProcessEngineClient } from '../../../main/engine';
import {
  attachmentDisposition,
  DownloadStore,
  startServer,
  type RunningServer,
} from '../../../main/server';

let server: RunningServer;
let downloads: DownloadStore;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'dropscope-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  downloads = new DownloadStore(2);
  const api = createApi({
    engine: new InProcessEngineClient(),
    mode: 'browser',
    version: 'test',
    initialFiles: [],
    samplePath: null,
    recent: memoryRecentFiles(),
    canOpen: () => false,
    canOpenPaths: false,
    downloads,
  });
  server = await startServer({ api, rendererDir, downloads });
});
afterAll(async () => {
  await server.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;

describe('GET /api/download', () => {
  it('answers a reserved file as an attachment, only with the token', async () => {
    const reserved = await downloads.reserve('trace report.html');
    writeFileSync(reserved.path, '<html>report</html>');
    const url = `${base()}/api/download?id=${reserved.id}`;
    const ok = await fetch(`${url}&token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(
      'attachment; filename="trace report.html"; filename*=UTF-8\'\'trace%20report.html',
    );
    expect(ok.headers.get('content-type')).toBe('application/octet-stream');
    expect(await ok.text()).toBe('<html>report</html>');
    expect((await fetch(url)).status).toBe(403);
    expect(
      (await fetch(`${base()}/api/download?id=${'0'.repeat(32)}&token=${server.token}`)).status,
    ).toBe(404);
    expect((await fetch(`${base()}/api/download?id=../x&token=${server.token}`)).status).toBe(404);
  });

  it('keeps only the newest exports', async () => {
    const first = await downloads.reserve('a.csv');
    writeFileSync(first.path, 'a');
    await downloads.reserve('b.csv');
    await downloads.reserve('c.csv');
    expect(
      (await fetch(`${base()}/api/download?id=${first.id}&token=${server.token}`)).status,
    ).toBe(404);
  });

  it('escapes names in Content-Disposition', () => {
    expect(attachmentDisposition('é"x.csv')).toBe(
      'attachment; filename="__x.csv"; filename*=UTF-8\'\'%C3%A9%22x.csv',
    );
  });
});
