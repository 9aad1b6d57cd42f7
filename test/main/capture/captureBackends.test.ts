import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseCaptureBackend,
  createCaptureBackends,
  formatBackendList,
  type CaptureAvailability,
  type CaptureHost,
} from '../../../main/capture';
import { ok } from '../../../shared/util';

const FORMAT_6_18 =
  'name: kfree_skb\nformat:\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n' +
  '\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;\n\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n';
const FORMAT_5_10 =
  'name: kfree_skb\nformat:\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n' +
  '\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n';

interface FakeMachine {
  uid?: number;
  capEff?: string;
  tools?: string[];
  /** 'mounted', 'unmounted' (mount works), 'unmountable'. */
  tracefs?: 'mounted' | 'unmounted' | 'unmountable';
  format?: string | null;
}

/** A fake machine over a temporary tracefs tree. */
function fakeHost(machine: FakeMachine): CaptureHost & { mounts: string[] } {
  const root = join(mkdtempSync(join(tmpdir(), 'dropscope-fake-')), 'tracing');
  mkdirSync(root);
  const populate = (): void => {
    mkdirSync(join(root, 'instances'), { recursive: true });
    mkdirSync(join(root, 'events', 'skb'), { recursive: true });
    if (machine.format !== null) {
      mkdirSync(join(root, 'events', 'skb', 'kfree_skb'), { recursive: true });
      writeFileSync(
        join(root, 'events', 'skb', 'kfree_skb', 'format'),
        machine.format ?? FORMAT_6_18,
      );
    }
  };
  const state = machine.tracefs ?? 'mounted';
  if (state === 'mounted') populate();
  const mounts: string[] = [];
  return {
    mounts,
    tracefsRoots: [root],
    pid: 12345,
    uid: () => machine.uid ?? 0,
    procStatus: () => Promise.resolve(`CapEff:\t${machine.capEff ?? '000001ffffffffff'}\n`),
    which: (name) =>
      Promise.resolve(
        (machine.tools ?? ['perf', 'bpftrace']).includes(name) ? `/usr/bin/${name}` : null,
      ),
    mountTracefs: (target) => {
      mounts.push(target);
      if (state === 'unmountable')
        return Promise.resolve({ ok: false, error: 'mount: permission denied' });
      populate();
      return Promise.resolve(ok(undefined));
    },
    isPidAlive: () => false,
    kernelRelease: () => '6.18.44',
  };
}

async function availabilityOf(machine: FakeMachine): Promise<Record<string, CaptureAvailability>> {
  const backends = createCaptureBackends({ host: fakeHost(machine) });
  const result: Record<string, CaptureAvailability> = {};
  for (const backend of backends) result[backend.name] = await backend.availability();
  return result;
}

describe('capture backend availability', () => {
  it('offers every backend to root on a 6.18 kernel with the tools installed', async () => {
    const all = await availabilityOf({});
    expect(all.tracefs).toEqual({
      available: true,
      why: expect.stringMatching(/tracefs at .*skb:kfree_skb with reason and rx_sk; root/),
    });
    expect(all.perf).toEqual({
      available: true,
      why: expect.stringMatching(/\/usr\/bin\/perf; skb:kfree_skb with reason and rx_sk; root/),
    });
    expect(all.bpftrace?.available).toBe(true);
  });

  it('says "not root" and names the missing capabilities', async () => {
    const all = await availabilityOf({ uid: 1000, capEff: '0000000000000000' });
    for (const name of ['tracefs', 'perf', 'bpftrace']) {
      expect(all[name]).toEqual({
        available: false,
        why: 'not root (uid 1000) and no CAP_PERFMON or CAP_SYS_ADMIN (CapEff 0000000000000000): run as root',
      });
    }
  });

  it('says which tool is missing, and tracefs still works without any', async () => {
    const all = await availabilityOf({ tools: [] });
    expect(all.perf).toEqual({
      available: false,
      why: expect.stringMatching(/^perf is not installed/),
    });
    expect(all.bpftrace).toEqual({
      available: false,
      why: expect.stringMatching(/^bpftrace is not installed/),
    });
    expect(all.tracefs?.available).toBe(true);
  });

  it('says the tracepoint is missing', async () => {
    const all = await availabilityOf({ format: null });
    for (const name of ['tracefs', 'perf', 'bpftrace']) {
      expect(all[name]).toEqual({
        available: false,
        why: expect.stringMatching(/no skb:kfree_skb tracepoint/),
      });
    }
  });

  it('says the kernel is too old for reasons: bpftrace refuses, tracefs and perf capture without them', async () => {
    const all = await availabilityOf({ format: FORMAT_5_10 });
    expect(all.bpftrace).toEqual({
      available: false,
      why: expect.stringMatching(/no reason field \(kernel 6\.18\.44 is older than 5\.17\)/),
    });
    expect(all.tracefs).toEqual({
      available: true,
      why: expect.stringMatching(/WITHOUT a reason field/),
    });
    expect(all.perf).toEqual({
      available: true,
      why: expect.stringMatching(/WITHOUT a reason field/),
    });
  });

  it('mounts tracefs when it is not mounted, and says so', async () => {
    const host = fakeHost({ tracefs: 'unmounted' });
    const [tracefs] = createCaptureBackends({ host });
    const availability = await tracefs!.availability();
    expect(host.mounts).toEqual([host.tracefsRoots[0]]);
    expect(availability).toEqual({
      available: true,
      why: expect.stringMatching(/tracefs was not mounted: mounted it on/),
    });
  });

  it('says why when tracefs is not mounted and cannot be', async () => {
    const all = await availabilityOf({ tracefs: 'unmountable' });
    expect(all.tracefs).toEqual({
      available: false,
      why: expect.stringMatching(
        /tracefs is not mounted and mounting it failed: mount: permission denied/,
      ),
    });
  });

  it('lists every backend with its reason when the chosen one is unavailable', async () => {
    const backends = createCaptureBackends({ host: fakeHost({ tools: [] }) });
    const choice = await chooseCaptureBackend(backends, 'perf');
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.why).toMatch(/the perf backend is not available: perf is not installed/);
    const list = formatBackendList(choice.all);
    expect(list).toMatch(/tracefs +available/);
    expect(list).toMatch(/perf +unavailable +perf is not installed/);
    expect(list).toMatch(/bpftrace +unavailable +bpftrace is not installed/);
  });

  it('chooses the first available backend when none is named', async () => {
    const uidOnly = await chooseCaptureBackend(
      createCaptureBackends({ host: fakeHost({ format: FORMAT_6_18 }) }),
      null,
    );
    expect(uidOnly.ok && uidOnly.backend.name).toBe('tracefs');
  });
});
