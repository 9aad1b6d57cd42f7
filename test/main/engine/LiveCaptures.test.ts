/**
 * The engine's live captures against a stand-in helper process that speaks the real helper
 * protocol (test/fixtures/fakeCaptureHelper.mjs): events fill a trace that queries see, progress
 * is pushed, the ring limit evicts and counts, Stop settles `stopped`, a helper that dies or is
 * refused settles `failed` with the reason while the drops stay. Real kernel captures are in
 * test/integration/liveCapture.integration.test.ts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureProgress } from '../../../shared/contract';
import { Engine, type EngineOptions } from '../../../main/engine';
import { repoRoot } from '../../helpers/samples';

const FAKE_HELPER = join(repoRoot, 'test', 'fixtures', 'fakeCaptureHelper.mjs');

const DIRECT = { privileged: true, pkexec: null, sudo: null, graphicalSession: false };

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stopCaptures()));
});

/** An engine whose helper is the fake in `mode`. */
function setup(mode: string[], options: Partial<EngineOptions['capture']> = {}) {
  const pushes: CaptureProgress[] = [];
  const engine = new Engine(
    (event, payload) => {
      if (event === 'capture:progress') pushes.push(payload as CaptureProgress);
    },
    {
      capture: {
        helperProgram: { command: '/usr/bin/dropscope', args: [] },
        probe: DIRECT,
        progressIntervalMs: 20,
        spawnProcess: () =>
          spawn(process.execPath, [FAKE_HELPER, ...mode], { stdio: ['pipe', 'pipe', 'pipe'] }),
        ...options,
      },
    },
  );
  engines.push(engine);
  return { engine, pushes };
}

async function waitFor(test: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const START = { backend: null, filter: null, filterText: null, ringLimit: 1_000_000 } as const;

describe('LiveCaptures', () => {
  it('fills a trace that queries see while recording, then stops with the counts kept', async () => {
    const { engine, pushes } = setup(['normal', '500']);
    const started = await engine.handle('capture:start', START);
    expect(started.status.state).toBe('starting');
    expect(started.info.events).toBe(0);
    const traceId = started.info.traceId;
    await waitFor(() => pushes.some((p) => p.status.received === 500));

    const page = await engine.handle('trace:page', {
      traceId,
      filter: {},
      start: 0,
      end: 3,
    });
    expect(page.total).toBe(500);
    expect(page.rows[0]?.reason).toBe('NO_SOCKET');
    const live = pushes.at(-1);
    expect(live?.status.state).toBe('recording');
    expect(live?.status.backend).toBe('tracefs');
    expect(live?.status.lost.total).toBe(2);
    expect(live?.status.reasons).toEqual({ NO_SOCKET: 500 });
    expect(live?.info.events).toBe(500);
    expect(live?.info.firstNs).toBe(1_000_000_000);

    const stopped = await engine.handle('capture:stop', { captureId: started.status.captureId });
    expect(stopped.status.state).toBe('stopped');
    expect(stopped.status.error).toBeNull();
    expect(stopped.status.received).toBe(500);
    expect(stopped.status.warnings).toEqual(['a note from the helper']);
    expect(stopped.info.meta.hostname).toBe('test-host');
    const counts = await engine.handle('trace:counts', { traceId, filter: {}, field: 'reason' });
    expect(counts.entries).toEqual([{ key: 'NO_SOCKET', count: 500 }]);
    expect(await engine.handle('trace:rawLine', { traceId, line: 1 })).toBeNull();
    expect((await engine.handle('capture:list', {})).map((p) => p.status.state)).toEqual([
      'stopped',
    ]);
  });

  it('evicts the oldest blocks past the ring limit and counts them', async () => {
    const { engine, pushes } = setup(['normal', '200000']);
    const started = await engine.handle('capture:start', { ...START, ringLimit: 100_000 });
    await waitFor(() => pushes.some((p) => p.status.received === 200_000));
    const status = (await engine.handle('capture:list', {}))[0]?.status;
    // 200,000 events, at most 100,000 kept, evicted in blocks of 65,536: two blocks go.
    expect(status?.evicted).toBe(131_072);
    expect(status?.inStore).toBe(200_000 - 131_072);
    const page = await engine.handle('trace:page', {
      traceId: started.info.traceId,
      filter: {},
      start: 0,
      end: 1,
    });
    expect(page.total).toBe(68_928);
    // The first event kept is the 131,073rd sent (line numbers count from 1).
    expect(page.rows[0]?.line).toBe(131_073);
  });

  it('marks a capture whose helper was killed as failed and keeps its drops', async () => {
    const { engine, pushes } = setup(['die', '300']);
    const started = await engine.handle('capture:start', START);
    await waitFor(() => pushes.some((p) => p.status.state === 'failed'));
    const failed = pushes.at(-1)?.status;
    expect(failed?.error).toMatch(/killed \(SIGKILL\).*300 drops received are kept/);
    const page = await engine.handle('trace:page', {
      traceId: started.info.traceId,
      filter: {},
      start: 0,
      end: 1,
    });
    expect(page.total).toBe(300);
  });

  it('reports the helper’s own refusal as the failure', async () => {
    const { engine, pushes } = setup(['refuse']);
    await engine.handle('capture:start', START);
    await waitFor(() => pushes.some((p) => p.status.state === 'failed'));
    expect(pushes.at(-1)?.status.error).toMatch(/^Request dismissed by the test; the 0 drops/);
  });

  it('refuses to start when no way to get root exists, saying why', async () => {
    const { engine } = setup(['normal', '1'], {
      probe: { privileged: false, pkexec: null, sudo: null, graphicalSession: false },
    });
    await expect(engine.handle('capture:start', START)).rejects.toThrow(/capture needs root/);
    expect(await engine.handle('trace:list', {})).toEqual([]);
  });

  it('refuses every capture without a helper program, with the host’s reason', async () => {
    const { engine } = setup(['normal', '1'], {
      helperProgram: null,
      unavailableWhy: 'the CLI is not built',
    });
    await expect(engine.handle('capture:start', START)).rejects.toThrow('the CLI is not built');
    const backends = await engine.handle('capture:backends', {});
    expect(backends).toMatchObject({ allowed: false, why: 'the CLI is not built', backends: [] });
  });

  it('lists backends as available through pkexec when this process is not root', async () => {
    const { engine } = setup(['normal', '1'], {
      probe: { privileged: false, pkexec: '/usr/bin/pkexec', sudo: null, graphicalSession: true },
    });
    const backends = await engine.handle('capture:backends', {});
    expect(backends.allowed).toBe(true);
    expect(backends.launch).toBe('pkexec');
    const tracefs = backends.backends.find((b) => b.name === 'tracefs');
    expect(tracefs).toMatchObject({ available: true });
    expect(tracefs?.why).toMatch(/pkexec/);
  });

  it('stops the capture of a trace that is closed', async () => {
    const { engine, pushes } = setup(['normal', '10']);
    const started = await engine.handle('capture:start', START);
    await waitFor(() => pushes.some((p) => p.status.received === 10));
    await engine.handle('trace:close', { traceId: started.info.traceId });
    expect(await engine.handle('capture:list', {})).toEqual([]);
    expect(await engine.handle('trace:list', {})).toEqual([]);
  });
});
