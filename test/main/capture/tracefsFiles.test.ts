import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleInstances } from '../../../main/capture';
import {
  parseRingBufferStats,
  readInstanceLoss,
  readKfreeSkbFormat,
} from '../../../main/capture/tracefsFiles';

/** A fake instances directory holding empty directories named like instances. */
function instancesWith(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dropscope-instances-'));
  for (const name of names) mkdirSync(join(dir, name));
  return dir;
}

describe('removeStaleInstances', () => {
  it('removes instances whose pid is gone and keeps those of live processes', () => {
    const dir = instancesWith([
      'dropscope-111-0badc0de',
      'dropscope-222-deadbeef',
      'dropscope-333-cafe0001',
      'dropscope-333-cafe0002',
      'someone-elses',
      'dropscope-notapid-abcd',
      'dropscope-444-NOTHEX',
    ]);
    const alive = new Set([222]);
    const result = removeStaleInstances(dir, (pid) => alive.has(pid), 999);
    expect(result.removed).toEqual([
      'dropscope-111-0badc0de',
      'dropscope-333-cafe0001',
      'dropscope-333-cafe0002',
    ]);
    expect(result.kept).toEqual(['dropscope-222-deadbeef']);
    expect(result.failed).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([
      'dropscope-222-deadbeef',
      'dropscope-444-NOTHEX',
      'dropscope-notapid-abcd',
      'someone-elses',
    ]);
  });

  it("never removes this process's own instance", () => {
    const dir = instancesWith(['dropscope-4242-00ff00ff']);
    const result = removeStaleInstances(dir, () => false, 4242);
    expect(result.kept).toEqual(['dropscope-4242-00ff00ff']);
    expect(existsSync(join(dir, 'dropscope-4242-00ff00ff'))).toBe(true);
  });

  it('reports an instance it could not remove, with why, and goes on', () => {
    const dir = instancesWith(['dropscope-1-aaaa0000', 'dropscope-2-bbbb0000']);
    const result = removeStaleInstances(
      dir,
      () => false,
      3,
      (path) => {
        if (path.endsWith('dropscope-1-aaaa0000')) throw new Error('EBUSY: resource busy');
      },
    );
    expect(result.failed).toEqual([{ name: 'dropscope-1-aaaa0000', why: 'EBUSY: resource busy' }]);
    expect(result.removed).toEqual(['dropscope-2-bbbb0000']);
  });

  it('does nothing when there is no instances directory', () => {
    expect(removeStaleInstances('/nonexistent/instances', () => false, 1)).toEqual({
      removed: [],
      kept: [],
      failed: [],
    });
  });
});

describe('ring buffer loss counters', () => {
  const stats = (overrun: number, dropped: number) =>
    `entries: 0\noverrun: ${overrun}\ncommit overrun: 1\nbytes: 0\noldest event ts:     0.000000\nnow ts:  2110.662390\ndropped events: ${dropped}\nread events: 0\n`;

  it('reads overrun, commit overrun and dropped events of a stats file', () => {
    expect(parseRingBufferStats(stats(7, 3))).toEqual({
      overrun: 7,
      commitOverrun: 1,
      droppedEvents: 3,
    });
  });

  it('sums them over every CPU of an instance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropscope-instance-'));
    for (const [cpu, overrun, dropped] of [
      [0, 5, 0],
      [1, 2, 4],
    ] as const) {
      mkdirSync(join(dir, 'per_cpu', `cpu${cpu}`), { recursive: true });
      writeFileSync(join(dir, 'per_cpu', `cpu${cpu}`, 'stats'), stats(overrun, dropped));
    }
    expect(readInstanceLoss(dir)).toEqual({ overrun: 7, commitOverrun: 2, droppedEvents: 4 });
  });
});

describe('readKfreeSkbFormat', () => {
  it('tells a format with reason and rx_sk from an older one', () => {
    const root = mkdtempSync(join(tmpdir(), 'dropscope-tracefs-'));
    mkdirSync(join(root, 'events', 'skb', 'kfree_skb'), { recursive: true });
    const path = join(root, 'events', 'skb', 'kfree_skb', 'format');
    writeFileSync(
      path,
      '\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n',
    );
    expect(readKfreeSkbFormat(root)).toMatchObject({
      ok: true,
      value: { hasReason: true, hasRxSk: true },
    });
    writeFileSync(
      path,
      '\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n',
    );
    expect(readKfreeSkbFormat(root)).toMatchObject({
      ok: true,
      value: { hasReason: false, hasRxSk: false },
    });
  });

  it('says the tracepoint is missing when there is no format file', () => {
    const root = mkdtempSync(join(tmpdir(), 'dropscope-tracefs-'));
    expect(readKfreeSkbFormat(root)).toEqual({
      ok: false,
      error: expect.stringMatching(/no skb:kfree_skb tracepoint/),
    });
  });
});
