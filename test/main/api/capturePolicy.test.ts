/**
 * The capture channels through `createApi`: the host's policy decides whether the UI may capture
 * (browser mode only with `serve --capture`), and says why not.
 */
import { describe, expect, it } from 'vitest';
import { createApi, memoryRecentFiles, type ApiOptions } from '../../../main/api';
import { InProcessEngineClient } from '../../../main/engine';

function makeApi(overrides: Partial<ApiOptions>) {
  return createApi({
    engine: new InProcessEngineClient({
      capture: {
        helperProgram: { command: '/usr/bin/dropscope', args: [] },
        probe: { privileged: false, pkexec: null, sudo: '/usr/bin/sudo', graphicalSession: false },
      },
    }),
    mode: 'browser',
    version: 'test',
    initialFiles: [],
    samplePath: null,
    recent: memoryRecentFiles(),
    canOpen: () => false,
    canOpenPaths: false,
    ...overrides,
  });
}

const START = { backend: null, filter: null, filterText: null, ringLimit: 1_000_000 };

describe('capture policy', () => {
  it('refuses capture with the host’s reason when capture is off', async () => {
    const api = makeApi({ capture: { allowed: false, why: 'start it with --capture' } });
    expect((await api.call('app:info', {})).canCapture).toBe(false);
    expect(await api.call('capture:backends', {})).toEqual({
      allowed: false,
      why: 'start it with --capture',
      launch: null,
      backends: [],
    });
    await expect(api.call('capture:start', START)).rejects.toThrow('start it with --capture');
  });

  it('is off when the host says nothing', async () => {
    const api = makeApi({});
    expect((await api.call('app:info', {})).canCapture).toBe(false);
    await expect(api.call('capture:start', START)).rejects.toThrow(/live capture is off/);
  });

  it('forwards to the engine when allowed (here: sudo -n is the way to root)', async () => {
    const api = makeApi({ capture: { allowed: true, why: '' } });
    expect((await api.call('app:info', {})).canCapture).toBe(true);
    const backends = await api.call('capture:backends', {});
    expect(backends.allowed).toBe(true);
    expect(backends.launch).toBe('sudo');
  });

  it('validates the ring limit', async () => {
    const api = makeApi({ capture: { allowed: true, why: '' } });
    await expect(api.call('capture:start', { ...START, ringLimit: 10 })).rejects.toThrow(
      /invalid capture:start request: ringLimit/,
    );
  });
});
