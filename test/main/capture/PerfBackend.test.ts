import { describe, expect, it } from 'vitest';
import { perfRecordArgs, ringPages } from '../../../main/capture/PerfBackend';

describe('perf record arguments', () => {
  it('records system-wide, disabled until enabled over the control fds, with the kernel filter', () => {
    expect(
      perfRecordArgs({
        kernelFilter: 'reason != 2 && protocol == 0x0800',
        bufferKb: 8192,
        maxDurationS: 35,
      }),
    ).toEqual([
      'record',
      '-e',
      'skb:kfree_skb',
      '--filter',
      'reason != 2 && protocol == 0x0800',
      '-a',
      '-k',
      'mono',
      '--no-buffering',
      '-D',
      '-1',
      '--control=fd:3,4',
      '-m',
      '2048',
      '-o',
      '-',
      '--',
      'sleep',
      '35',
    ]);
    expect(perfRecordArgs({ kernelFilter: null, bufferKb: 100 })).not.toContain('--filter');
  });

  it('sizes ring buffers in power-of-two pages', () => {
    expect(ringPages(8192)).toBe(2048);
    expect(ringPages(100)).toBe(32);
    expect(ringPages(1)).toBe(8);
  });
});
