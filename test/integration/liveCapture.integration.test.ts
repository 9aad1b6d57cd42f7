/**
 * The engine's live capture (what Record/Stop in the app runs) against the running kernel: the
 * real helper (`node out/cli/dropscope.js capture --helper`, started directly because the tests
 * run as root) captures drops made here — UDP to a closed loopback port gives NO_SOCKET — into a
 * trace that queries see while it records; Stop leaves the drops and removes the tracing
 * instance; a helper killed with SIGKILL leaves a failed capture with its drops kept, and the
 * next capture removes the instance it left.
 *
 * Needs root and tracefs; skips with the reason in its title otherwise. Other drops on the system
 * may add to the counts, so counts are checked with ≥ and the reason filter keeps them apart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureProgress } from '../../shared/contract';
import { Engine } from '../../main/engine';
import { tracefsCapturePreconditions, TRACEFS_ROOT } from '../helpers/capturePreconditions';
import { udpToClosedPort } from '../helpers/makeDrops';
import { repoRoot } from '../helpers/samples';

const pre = tracefsCapturePreconditions();
const CLI = join(repoRoot, 'out', 'cli', 'dropscope.js');
const INSTANCES = join(TRACEFS_ROOT, 'instances');
const DROPS = 80;
const START = {
  backend: 'tracefs' as const,
  filter: {
    kind: 'compare' as const,
    field: 'reason' as const,
    op: '==' as const,
    value: 'NO_SOCKET',
  },
  filterText: 'reason == NO_SOCKET',
  ringLimit: 1_000_000,
};

function dropscopeInstances(): string[] {
  return readdirSync(INSTANCES).filter((name) => name.startsWith('dropscope-'));
}

async function waitFor(test: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stopCaptures()));
});

function setup() {
  const pushes: CaptureProgress[] = [];
  const engine = new Engine(
    (event, payload) => {
      if (event === 'capture:progress') pushes.push(payload as CaptureProgress);
    },
    { capture: { helperProgram: { command: process.execPath, args: [CLI] } } },
  );
  engines.push(engine);
  return { engine, pushes };
}

describe.skipIf(!pre.ok)(`live capture in the engine (${pre.why})`, () => {
  it('records drops made here into a trace queried while recording, and stops cleanly', async () => {
    expect(existsSync(CLI), `${CLI} (npm run build:cli)`).toBe(true);
    const before = dropscopeInstances();
    const { engine, pushes } = setup();
    const started = await engine.handle('capture:start', START);
    const traceId = started.info.traceId;
    await waitFor(() => pushes.some((p) => p.status.state === 'recording'));
    const recording = pushes.find((p) => p.status.state === 'recording')?.status;
    expect(recording?.launch).toBe('direct');
    expect(recording?.filter.kernel).toMatch(/reason == \d+/);
    expect(dropscopeInstances().length).toBe(before.length + 1);

    await udpToClosedPort(DROPS);
    await waitFor(() => (pushes.at(-1)?.status.received ?? 0) >= DROPS);
    const page = await engine.handle('trace:page', { traceId, filter: {}, start: 0, end: 5 });
    expect(page.total).toBeGreaterThanOrEqual(DROPS);
    expect(page.rows[0]?.reason).toBe('NO_SOCKET');
    expect(page.rows[0]?.protocolName).toBe('IPv4');

    const stopped = await engine.handle('capture:stop', { captureId: started.status.captureId });
    expect(stopped.status.state).toBe('stopped');
    expect(stopped.status.reasons.NO_SOCKET ?? 0).toBeGreaterThanOrEqual(DROPS);
    expect(stopped.status.lost.total).toBe(0);
    expect(stopped.info.events).toBe(stopped.status.received);
    expect(stopped.info.meta.captureBackend).toBe('tracefs');
    expect(dropscopeInstances()).toEqual(before);
  });

  it('keeps the drops of a capture whose helper is killed, and the next start cleans up', async () => {
    const { engine, pushes } = setup();
    const started = await engine.handle('capture:start', START);
    await waitFor(() => pushes.some((p) => p.status.state === 'recording'));
    await udpToClosedPort(DROPS);
    await waitFor(() => (pushes.at(-1)?.status.received ?? 0) >= DROPS);
    const found = spawnSync('pgrep', ['-f', `${CLI} capture --helper`], { encoding: 'utf8' });
    const pids = found.stdout.trim().split('\n').filter(Boolean).map(Number);
    expect(pids.length).toBe(1);
    const leftover = dropscopeInstances().filter((name) =>
      name.startsWith(`dropscope-${pids[0]}-`),
    );
    expect(leftover.length).toBe(1);
    process.kill(pids[0] ?? -1, 'SIGKILL');

    await waitFor(() => pushes.at(-1)?.status.state === 'failed');
    const failed = pushes.at(-1)?.status;
    expect(failed?.error).toMatch(/killed \(SIGKILL\).*drops received are kept/);
    const page = await engine.handle('trace:page', {
      traceId: started.info.traceId,
      filter: {},
      start: 0,
      end: 1,
    });
    expect(page.total).toBeGreaterThanOrEqual(DROPS);
    // The killed helper could not remove its instance; the next capture does.
    expect(dropscopeInstances()).toContain(leftover[0]);
    const next = await engine.handle('capture:start', START);
    await waitFor(() =>
      pushes.some(
        (p) => p.status.captureId === next.status.captureId && p.status.state === 'recording',
      ),
    );
    expect(dropscopeInstances()).not.toContain(leftover[0]);
    await engine.handle('capture:stop', { captureId: next.status.captureId });
  });
});
