import { describe, expect, it } from 'vitest';
import { isSupersededPush } from '../../../main/server/WsBridge';
import type { CaptureStatus } from '../../../shared/model';
import type { TraceInfo } from '../../../shared/contract';

const info = {} as TraceInfo;
const capture = (state: CaptureStatus['state']) => ({
  status: { state } as CaptureStatus,
  info,
});

describe('isSupersededPush', () => {
  it('lets a slow page skip intermediate progress that a later push replaces', () => {
    const load = { loadId: 'l', file: 'f', bytesRead: 1, totalBytes: 2, events: 3 };
    expect(isSupersededPush('trace:loadProgress', { ...load, done: false })).toBe(true);
    expect(
      isSupersededPush('report:exportProgress', { exportId: 'e', rows: 1, total: 2, done: false }),
    ).toBe(true);
    expect(isSupersededPush('capture:progress', capture('recording'))).toBe(true);
  });

  it('always delivers final states and commands', () => {
    const load = { loadId: 'l', file: 'f', bytesRead: 1, totalBytes: 2, events: 3 };
    expect(isSupersededPush('trace:loadProgress', { ...load, done: true })).toBe(false);
    expect(
      isSupersededPush('report:exportProgress', { exportId: 'e', rows: 2, total: 2, done: true }),
    ).toBe(false);
    for (const state of ['stopping', 'stopped', 'failed'] as const)
      expect(isSupersededPush('capture:progress', capture(state))).toBe(false);
    expect(isSupersededPush('app:menu', { command: 'find' })).toBe(false);
  });
});
