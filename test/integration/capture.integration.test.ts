/**
 * Real live capture from the running kernel: drops of known reasons are made here (UDP to a
 * closed loopback port gives NO_SOCKET; UDP inside a network namespace this test creates, with an
 * nftables drop rule, gives NETFILTER_DROP), captured, and counted. All traffic goes to loopback
 * or to that namespace; counts are bounded; the namespace is removed in afterAll.
 *
 * Needs root and tracefs (and perf / bpftrace for their tests); each describe skips with the
 * reason in its title otherwise (test/helpers/capturePreconditions.ts). Other drops on the system
 * may add to the counts, so counts are checked with ≥.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCaptureBackends,
  runCaptureHelper,
  type CaptureBackend,
  type CaptureBackendName,
  type CaptureSession,
  type HelperMessage,
} from '../../main/capture';
import { TracefsBackend } from '../../main/capture/TracefsBackend';
import { captureContext } from '../../main/engine';
import type { EventInput } from '../../shared/model';
import {
  netnsPreconditions,
  toolCapturePreconditions,
  tracefsCapturePreconditions,
  TRACEFS_ROOT,
} from '../helpers/capturePreconditions';
import { udpToClosedPort } from '../helpers/makeDrops';
import { runCliCapture } from '../helpers/runCliCapture';
import { repoRoot } from '../helpers/samples';

const INSTANCES = join(TRACEFS_ROOT, 'instances');
const NETNS = `dropscope-test-${process.pid}`;
const UDP_DROPS = 60;
const NETFILTER_DROPS = 40;

const tracefsPre = tracefsCapturePreconditions();
const netnsPre = tracefsPre.ok ? netnsPreconditions() : tracefsPre;
const perfPre = toolCapturePreconditions('perf');
const bpftracePre = toolCapturePreconditions('bpftrace');

function backend(name: CaptureBackendName): CaptureBackend {
  const found = createCaptureBackends(captureContext()).find((b) => b.name === name);
  if (!found) throw new Error(`no backend ${name}`);
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(test: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await sleep(50);
}

function run(command: string, args: string[], input?: string): void {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`,
    );
  }
}

/** Sends `count` UDP datagrams inside the namespace to a port its nftables rule drops. */
function netfilterDrops(count: number): void {
  const script = `const s = require('node:dgram').createSocket('udp4');
let n = 0; const next = () => n++ < ${count} ? s.send('x', 9, '127.0.0.1', next) : s.close(); next();`;
  run('ip', ['netns', 'exec', NETNS, process.execPath, '-e', script]);
}

/** The instance directory a tracefs session uses. */
function instanceDirOf(session: CaptureSession): string {
  const match = /instances\/(dropscope-\d+-[0-9a-f]+)/.exec(session.source.command);
  if (!match?.[1]) throw new Error(`no instance in ${session.source.command}`);
  return join(INSTANCES, match[1]);
}

function instancesOfPid(pid: number): string[] {
  return readdirSync(INSTANCES).filter((name) => name.startsWith(`dropscope-${pid}-`));
}

/** Spawns the CLI from the sources (no build needed). */
function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('close', (code) => resolve(code));
  });
}

describe.skipIf(!tracefsPre.ok)(`live capture through tracefs (${tracefsPre.why})`, () => {
  let netnsReady = false;
  const scratch = mkdtempSync(join(tmpdir(), 'dropscope-capture-'));

  beforeAll(() => {
    if (!netnsPre.ok) return;
    run('ip', ['netns', 'add', NETNS]);
    netnsReady = true;
    run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
    run(
      'ip',
      ['netns', 'exec', NETNS, 'nft', '-f', '-'],
      'table inet dropscope_test {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    udp dport 9 drop\n  }\n}\n',
    );
  });

  afterAll(() => {
    if (netnsReady) spawnSync('ip', ['netns', 'del', NETNS]);
  });

  it(`counts NO_SOCKET and NETFILTER_DROP drops made here, then removes its instance (${netnsPre.why})`, async () => {
    const events: EventInput[] = [];
    let batches = 0;
    const session = await backend('tracefs').start({
      onBatch: (batch) => {
        batches++;
        events.push(...batch);
      },
    });
    const dir = instanceDirOf(session);
    expect(existsSync(dir)).toBe(true);
    expect(session.source.command).toContain('per_cpu/cpu*/trace_pipe_raw');
    expect(session.source).toMatchObject({ format: 'trace-dat', reasonNames: 'decoded' });
    try {
      await udpToClosedPort(UDP_DROPS);
      if (netnsReady) netfilterDrops(NETFILTER_DROPS);
      await waitFor(() => {
        const reasons = session.stats().reasons;
        return (
          (reasons.NO_SOCKET ?? 0) >= UDP_DROPS &&
          (!netnsReady || (reasons.NETFILTER_DROP ?? 0) >= NETFILTER_DROPS)
        );
      });
    } finally {
      const summary = await session.stop();
      expect(summary.endedBy).toBe('stop');
      expect(summary.reasons.NO_SOCKET).toBeGreaterThanOrEqual(UDP_DROPS);
      if (netnsReady)
        expect(summary.reasons.NETFILTER_DROP).toBeGreaterThanOrEqual(NETFILTER_DROPS);
      expect(events.length).toBe(summary.events);
      expect(batches).toBeLessThan(events.length);
      expect(Object.keys(summary.lost.parts)).toEqual([
        'overrun',
        'commit overrun',
        'dropped events',
      ]);
      expect(summary.lost.total).toBe(0);
      expect(existsSync(dir)).toBe(false);
    }
    const udp = events.find((e) => e.reason === 'NO_SOCKET' && e.location?.includes('udp'));
    expect(udp).toMatchObject({ protocol: 0x0800, reasonValue: expect.any(Number) as number });
  });

  it('reads trace_pipe_raw pages into the same drops as the text trace_pipe', async () => {
    const context = captureContext();
    const raw: EventInput[] = [];
    const text: EventInput[] = [];
    const rawSession = await new TracefsBackend(context).start({
      onBatch: (batch) => raw.push(...batch),
    });
    const textSession = await new TracefsBackend(context, { reader: 'text' }).start({
      onBatch: (batch) => text.push(...batch),
    });
    expect(textSession.source.command).toContain('text trace_pipe');
    expect(textSession.warnings).toContain('reading trace_pipe (text), as the caller asked');
    // Both instances record everything between these two CLOCK_MONOTONIC readings (trace_clock
    // mono is CLOCK_MONOTONIC, which hrtime reads).
    await sleep(50);
    const startNs = Number(process.hrtime.bigint());
    try {
      await udpToClosedPort(UDP_DROPS);
      await udpToClosedPort(20, 6);
      if (netnsReady) netfilterDrops(NETFILTER_DROPS);
    } finally {
      const endNs = Number(process.hrtime.bigint());
      await sleep(50);
      await Promise.all([rawSession.stop(), textSession.stop()]);
      const inWindow = (e: EventInput) => e.timestampNs >= startNs && e.timestampNs <= endNs;
      const perCpu = (events: EventInput[]) => {
        const byCpu = new Map<number, EventInput[]>();
        for (const e of events.filter(inWindow)) byCpu.set(e.cpu, [...(byCpu.get(e.cpu) ?? []), e]);
        return byCpu;
      };
      const rawByCpu = perCpu(raw);
      const textByCpu = perCpu(text);
      expect([...rawByCpu.keys()].sort()).toEqual([...textByCpu.keys()].sort());
      for (const [cpu, rawEvents] of rawByCpu) {
        const textEvents = textByCpu.get(cpu) ?? [];
        expect(rawEvents.length).toBe(textEvents.length);
        rawEvents.forEach((e, i) => {
          const t = textEvents[i] as EventInput;
          // Each instance stamps its own copy; text times are in whole microseconds.
          expect(Math.abs(e.timestampNs - t.timestampNs)).toBeLessThan(1e6);
          const same = (x: EventInput) => ({
            cpu: x.cpu,
            pid: x.pid,
            comm: x.comm,
            protocol: x.protocol,
            location: x.location,
            reason: x.reason,
            reasonValue: x.reasonValue,
            rxSk: x.rxSk === null,
            extra: x.extra,
          });
          expect(same(e)).toEqual(same(t));
          // Raw pointers (as perf prints them), where the text has tracefs's hashed %p values.
          expect(e.skbaddr).toMatch(/^0x[0-9a-f]+$/);
        });
      }
      const ours = raw.filter(inWindow);
      expect(ours.filter((e) => e.reason === 'NO_SOCKET').length).toBeGreaterThanOrEqual(
        UDP_DROPS + 20,
      );
      if (netnsReady)
        expect(ours.filter((e) => e.reason === 'NETFILTER_DROP').length).toBeGreaterThanOrEqual(
          NETFILTER_DROPS,
        );
    }
  });

  it('reads the text trace_pipe, and says why, when there is no symbolizer for raw locations', async () => {
    const { loadReasonNames, host } = captureContext();
    const events: EventInput[] = [];
    const session = await new TracefsBackend({ host, loadReasonNames }).start({
      onBatch: (batch) => events.push(...batch),
    });
    try {
      expect(session.source).toMatchObject({ format: 'ftrace', reasonNames: 'printed' });
      expect(session.source.command).toContain('text trace_pipe');
      expect(session.warnings.join('\n')).toMatch(
        /reading trace_pipe \(text\) instead of trace_pipe_raw: no kallsyms symbolizer/,
      );
      await udpToClosedPort(10);
      await waitFor(() => (session.stats().reasons.NO_SOCKET ?? 0) >= 10);
    } finally {
      const summary = await session.stop();
      expect(summary.reasons.NO_SOCKET).toBeGreaterThanOrEqual(10);
    }
    expect(events.find((e) => e.reason === 'NO_SOCKET')?.location).toMatch(/^__udp4_lib_rcv\+0x/);
  });

  it('runs reason and protocol in the instance event filter and the rest in user space', async () => {
    const events: EventInput[] = [];
    const session = await backend('tracefs').start({
      filter: {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'reason', op: '==', value: 'NO_SOCKET' },
          { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
          { kind: 'contains', field: 'location', text: 'udp' },
        ],
      },
      onBatch: (batch) => events.push(...batch),
    });
    const dir = instanceDirOf(session);
    try {
      expect(session.filter.kernelText).toBe('reason == 3 && protocol == 0x0800');
      expect(readFileSync(join(dir, 'events', 'skb', 'kfree_skb', 'filter'), 'utf8').trim()).toBe(
        'reason == 3 && protocol == 0x0800',
      );
      await udpToClosedPort(UDP_DROPS, 4);
      await udpToClosedPort(20, 6);
      if (netnsReady) netfilterDrops(10);
      await waitFor(() => session.stats().events >= UDP_DROPS);
    } finally {
      const summary = await session.stop();
      expect(summary.events).toBeGreaterThanOrEqual(UDP_DROPS);
      expect(Object.keys(summary.reasons)).toEqual(['NO_SOCKET']);
      expect(existsSync(dir)).toBe(false);
    }
    expect(events.every((e) => e.protocol === 0x0800 && e.location?.includes('udp'))).toBe(true);
  });

  it('removes, at the next start, the instance of a capture killed with SIGKILL', async () => {
    const child = spawnCli([
      'capture',
      '--backend',
      'tracefs',
      '--duration',
      '30s',
      '-q',
      '-o',
      join(scratch, 'killed.jsonl'),
    ]);
    const pid = child.pid ?? -1;
    await waitFor(() => instancesOfPid(pid).length > 0, 30_000);
    const left = instancesOfPid(pid);
    expect(left).toHaveLength(1);
    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(join(INSTANCES, left[0] ?? ''))).toBe(true);

    const session = await backend('tracefs').start({ onBatch: () => undefined });
    await session.stop();
    expect(session.warnings.join('\n')).toContain(left[0]);
    expect(existsSync(join(INSTANCES, left[0] ?? ''))).toBe(false);
  });

  it('writes with the CLI a file that dropscope summary reads back, and exits 0', async () => {
    const file = join(scratch, 'cli.jsonl');
    const child = spawnCli([
      'capture',
      '--backend',
      'tracefs',
      '--duration',
      '4s',
      '-o',
      file,
      '-Y',
      'reason == NO_SOCKET',
    ]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The CLI says it is capturing once the event is enabled (the instance exists a bit earlier).
    await waitFor(() => stderr.includes('capturing with tracefs'), 30_000);
    await udpToClosedPort(UDP_DROPS);
    expect(await exited(child)).toBe(0);
    expect(stderr).toMatch(/filter: in the kernel \(tracefs event filter\): reason == 3/);
    expect(stderr).toMatch(/captured \d+ drops in [\d.]+ s with tracefs/);
    expect(stderr).not.toContain('\u001b[');
    const summary = await runCliCapture(['summary', file, '--json']);
    expect(summary.code).toBe(0);
    const parsed = JSON.parse(summary.stdout) as {
      reasons: Record<string, number>;
      meta: Record<string, unknown>;
    };
    expect(parsed.reasons.NO_SOCKET).toBeGreaterThanOrEqual(UDP_DROPS);
    expect(Object.keys(parsed.reasons)).toEqual(['NO_SOCKET']);
    expect(parsed.meta).toMatchObject({
      captureBackend: 'tracefs',
      kernelFilter: 'reason == 3',
      lost: 0,
    });
    expect(instancesOfPid(child.pid ?? -1)).toEqual([]);
  });

  it('runs the helper, streams its JSON lines, and stops it by closing stdin', async () => {
    const events: EventInput[] = [];
    const messages: HelperMessage[] = [];
    const before = new Set(readdirSync(INSTANCES));
    const started = await runCaptureHelper(
      {
        backend: 'tracefs',
        durationMs: null,
        count: null,
        filter: 'reason == NO_SOCKET',
        bufferKb: 1024,
      },
      {
        program: {
          command: process.execPath,
          args: ['--import', 'tsx', join(repoRoot, 'main', 'cli.ts')],
        },
        probe: { privileged: true, pkexec: null, sudo: null, graphicalSession: false },
        onBatch: (batch) => events.push(...batch),
        onMessage: (message) => messages.push(message),
      },
    );
    if (!started.ok) throw new Error(started.error);
    const helper = started.value;
    expect(helper.launch.kind).toBe('direct');
    await waitFor(() => messages.some((m) => m.type === 'started'), 30_000);
    await udpToClosedPort(UDP_DROPS);
    await waitFor(() => events.length >= UDP_DROPS);
    const result = await helper.stop();
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(UDP_DROPS);
    expect(result.summary?.endedBy).toBe('stop');
    expect(result.meta).toMatchObject({ captureBackend: 'tracefs', lost: 0 });
    expect(readdirSync(INSTANCES).filter((name) => !before.has(name))).toEqual([]);
  });
});

for (const [name, pre] of [
  ['perf', perfPre],
  ['bpftrace', bpftracePre],
] as const) {
  describe.skipIf(!pre.ok)(`live capture through ${name} (${pre.why})`, () => {
    it('captures NO_SOCKET drops made here, with the kernel part of the filter pushed down', async () => {
      const events: EventInput[] = [];
      const session = await backend(name).start({
        filter: { kind: 'compare', field: 'reason', op: '==', value: 'NO_SOCKET' },
        onBatch: (batch) => events.push(...batch),
        maxDurationS: 60,
      });
      expect(session.filter.kernelText).toMatch(/reason == 3$/);
      try {
        await udpToClosedPort(UDP_DROPS);
        // perf shows an event once the next round arrives; stop flushes the rest.
        await waitFor(() => session.stats().events >= UDP_DROPS, name === 'perf' ? 1000 : 8000);
      } finally {
        const summary = await session.stop();
        expect(summary.endedBy).toBe('stop');
        expect(summary.reasons.NO_SOCKET).toBeGreaterThanOrEqual(UDP_DROPS);
        expect(Object.keys(summary.reasons)).toEqual(['NO_SOCKET']);
        expect(summary.lost.total).toBe(0);
      }
      const udp = events.find((e) => e.location?.startsWith('__udp4_lib_rcv'));
      expect(udp).toMatchObject({ reason: 'NO_SOCKET', reasonValue: 3, protocol: 0x0800 });
      // No tool left running under this process.
      expect(
        spawnSync('pgrep', ['-P', String(process.pid), '-x', name])
          .stdout.toString()
          .trim(),
      ).toBe('');
    });
  });
}
