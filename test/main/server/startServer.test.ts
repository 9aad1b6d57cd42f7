import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApi, memoryRecentFiles } from '../../../main/api';
import { InProcessEngineClient } from '../../../main/engine';
import { PathAllowlist, startServer, type RunningServer } from '../../../main/server';
import type { TraceInfo, UploadResponse, WsPush, WsResponse } from '../../../shared/contract';
import { hasSamples, samplePath } from '../../helpers/samples';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP request with the path and headers sent exactly as given (fetch would normalise them). */
function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A WebSocket client speaking wsProtocol.ts. */
class WsClient {
  readonly pushes: WsPush[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (response: WsResponse) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as WsResponse | WsPush;
      if ('push' in message) this.pushes.push(message);
      else this.waiting.get(message.id)?.(message);
    });
  }

  static connect(url: string, options: { headers?: Record<string, string>; origin?: string } = {}) {
    const socket = new WebSocket(url, options);
    return new Promise<WsClient>((resolve, reject) => {
      socket.once('open', () => resolve(new WsClient(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`unexpected response ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  sendRaw(text: string): Promise<WsResponse> {
    return new Promise((resolve) => {
      this.waiting.set(-1, resolve);
      this.socket.send(text);
    });
  }

  call(channel: string, request: unknown): Promise<WsResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, channel, request }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

describe.skipIf(!hasSamples)('startServer', () => {
  const sample = samplePath('perf.script.txt');
  let root: string;
  let rendererDir: string;
  let server: RunningServer;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dropscope-server-test-'));
    rendererDir = join(root, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Dropscope</title>');
    writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1);');
    writeFileSync(join(rendererDir, 'assets', 'app-1234.css'), 'body{}');
    writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE-THE-BUILD');
    const allowlist = new PathAllowlist([sample]);
    const api = createApi({
      engine: new InProcessEngineClient(),
      mode: 'browser',
      version: '0.0.0-test',
      initialFiles: [sample],
      samplePath: null,
      recent: memoryRecentFiles(),
      canOpen: (path) => allowlist.has(path),
      canOpenPaths: false,
    });
    server = await startServer({
      api,
      rendererDir,
      allowlist,
      maxUploadBytes: 1024 * 1024,
      log: () => undefined,
    });
    base = `ws://127.0.0.1:${server.port}`;
    cookie = `dropscope_token=${server.token}`;
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints a loopback URL carrying a 64-hex-digit token', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('answers 403 to the index, an asset and an upload without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app-1234.js', '/?token=wrong']) {
      const response = await rawRequest(server.port, path);
      expect(response.status, path).toBe(403);
      expect(response.body).toMatch(/forbidden/);
    }
    const upload = await rawRequest(server.port, '/api/upload?name=x.txt', {
      method: 'POST',
      body: 'data',
    });
    expect(upload.status).toBe(403);
  });

  it('refuses a WebSocket upgrade without the token', async () => {
    await expect(WsClient.connect(`${base}/ws`)).rejects.toThrow(/403/);
  });

  it('serves index.html with the cookie and a strict CSP when the token is in the URL', async () => {
    const response = await rawRequest(server.port, `/?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>Dropscope</title>');
    expect(response.headers['set-cookie']?.[0]).toBe(
      `dropscope_token=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content type and a long cache once the cookie is set', async () => {
    const js = await rawRequest(server.port, '/assets/app-1234.js', { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(js.body).toBe('console.log(1);');
    const css = await rawRequest(server.port, `/assets/app-1234.css?token=${server.token}`);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await rawRequest(server.port, '/assets/none.js', { headers: { cookie } });
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/index.html%00.js',
    ]) {
      const response = await rawRequest(server.port, path, { headers: { cookie } });
      expect(response.status, path).not.toBe(200);
      expect(response.body).not.toContain('SECRET');
    }
  });

  it('refuses a Host header other than the loopback names (DNS rebinding)', async () => {
    const response = await rawRequest(server.port, `/?token=${server.token}`, {
      headers: { host: `evil.example:${server.port}` },
    });
    expect(response.status).toBe(403);
  });

  it('refuses a WebSocket opened by another origin even with the cookie', async () => {
    await expect(
      WsClient.connect(`${base}/ws`, { headers: { cookie }, origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
  });

  describe('over the WebSocket', () => {
    let client: WsClient;

    beforeAll(async () => {
      client = await WsClient.connect(`${base}/ws`, {
        headers: { cookie },
        origin: `http://127.0.0.1:${server.port}`,
      });
    });

    afterAll(() => client.close());

    it('answers app:info with browser-mode policy', async () => {
      const response = await client.call('app:info', {});
      expect(response).toEqual({
        id: expect.any(Number),
        ok: true,
        value: {
          mode: 'browser',
          version: '0.0.0-test',
          canOpenPaths: false,
          initialFiles: [sample],
          hasSample: false,
          canCapture: false,
        },
      });
    });

    it('opens an allowlisted sample and pushes its load progress', async () => {
      const response = await client.call('trace:open', { path: sample, loadId: 'first' });
      expect(response.ok).toBe(true);
      const info = (response as { value: TraceInfo }).value;
      expect(info.events).toBe(382);
      expect(info.name).toBe('perf.script.txt');
      expect(info.format).toBe('perf-script');
      const done = client.pushes
        .filter((push): push is WsPush<'trace:loadProgress'> => push.push === 'trace:loadProgress')
        .find((push) => push.payload.loadId === 'first' && push.payload.done);
      expect(done?.payload).toMatchObject({ file: sample, events: 382, done: true });
    });

    it('refuses a path that is not allowlisted, with a message', async () => {
      const response = await client.call('trace:open', { path: '/etc/passwd' });
      expect(response).toEqual({
        id: expect.any(Number),
        ok: false,
        error: expect.stringMatching(/^\/etc\/passwd: not allowed here/),
      });
    });

    it('answers an invalid payload with the validation message', async () => {
      const response = await client.call('trace:open', { path: 42 });
      expect(response.ok).toBe(false);
      expect((response as { error: string }).error).toMatch(/^invalid trace:open request: path:/);
    });

    it('answers an unknown channel and a malformed message without closing', async () => {
      const unknown = await client.call('trace:delete', {});
      expect(unknown).toMatchObject({ ok: false, error: 'unknown channel trace:delete' });
      const malformed = await client.sendRaw('{not json');
      expect(malformed).toEqual({ id: -1, ok: false, error: 'a message must be JSON' });
      const info = await client.call('app:info', {});
      expect(info.ok).toBe(true);
    });

    it('opens an uploaded file under its original name', async () => {
      const bytes = readFileSync(sample);
      const upload = await rawRequest(server.port, '/api/upload?name=my%20capture.txt', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      expect(upload.status).toBe(200);
      const uploaded = JSON.parse(upload.body) as UploadResponse;
      expect(uploaded).toEqual({
        path: expect.any(String),
        name: 'my capture.txt',
        bytes: bytes.length,
      });
      expect(uploaded.path.endsWith('/my capture.txt')).toBe(true);
      expect(server.allowlist.has(uploaded.path)).toBe(true);

      const response = await client.call('trace:open', { path: uploaded.path });
      expect(response.ok).toBe(true);
      expect((response as { value: TraceInfo }).value).toMatchObject({
        name: 'my capture.txt',
        events: 382,
      });
    });

    it('keeps an upload inside its folder whatever name it claims', async () => {
      const upload = await rawRequest(server.port, '/api/upload?name=..%2F..%2F.bashrc', {
        method: 'POST',
        headers: { cookie },
        body: 'x',
      });
      const uploaded = JSON.parse(upload.body) as UploadResponse;
      expect(uploaded.name).toBe('bashrc');
      expect(dirname(dirname(uploaded.path))).toMatch(/dropscope-uploads-/);
    });

    it('refuses a streamed upload with 413 once it passes the size limit', async () => {
      const response = await new Promise<RawResponse>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/api/upload?name=streamed.txt',
            method: 'POST',
            headers: { cookie },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString(),
              }),
            );
          },
        );
        req.on('error', reject);
        req.write(Buffer.alloc(600 * 1024));
        req.end(Buffer.alloc(600 * 1024));
      });
      expect(response.status).toBe(413);
      expect(response.body).toMatch(/larger than 1048576 bytes/);
    });

    it('refuses an upload over the size limit with 413', async () => {
      const upload = await rawRequest(server.port, '/api/upload?name=big.txt', {
        method: 'POST',
        headers: { cookie },
        body: Buffer.alloc(1024 * 1024 + 1),
      });
      expect(upload.status).toBe(413);
    });
  });

  it('deletes the uploads and disconnects when closed', async () => {
    const other = await startServer({
      api: createApi({
        engine: new InProcessEngineClient(),
        mode: 'browser',
        version: '0',
        initialFiles: [],
        samplePath: null,
        recent: memoryRecentFiles(),
        canOpen: () => false,
        canOpenPaths: false,
      }),
      rendererDir,
      log: () => undefined,
    });
    const upload = await rawRequest(other.port, `/api/upload?name=a.txt&token=${other.token}`, {
      method: 'POST',
      body: 'abc',
    });
    const { path } = JSON.parse(upload.body) as UploadResponse;
    expect(existsSync(path)).toBe(true);
    const client = await WsClient.connect(`ws://127.0.0.1:${other.port}/ws?token=${other.token}`);
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    await other.close();
    await closed;
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to listen on a non-loopback address unless asked explicitly', async () => {
    const api = createApi({
      engine: new InProcessEngineClient(),
      mode: 'browser',
      version: '0',
      initialFiles: [],
      samplePath: null,
      recent: memoryRecentFiles(),
      canOpen: () => false,
      canOpenPaths: false,
    });
    await expect(startServer({ api, rendererDir, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
