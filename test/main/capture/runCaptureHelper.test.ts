import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  captureHelperArgs,
  chooseHelperLaunch,
  runCaptureHelper,
  type HelperLaunchProbe,
  type HelperMessage,
} from '../../../main/capture';
import type { EventInput } from '../../../shared/model';

const program = { command: '/usr/bin/node', args: ['/opt/dropscope/out/cli/dropscope.js'] };
const helperArgs = captureHelperArgs({
  backend: 'tracefs',
  durationMs: null,
  count: null,
  filter: null,
  bufferKb: null,
});
const unprivileged: HelperLaunchProbe = {
  privileged: false,
  pkexec: '/usr/bin/pkexec',
  sudo: '/usr/bin/sudo',
  graphicalSession: true,
};

describe('chooseHelperLaunch', () => {
  it('runs the helper directly when already privileged', () => {
    const launch = chooseHelperLaunch({ ...unprivileged, privileged: true }, program, helperArgs);
    expect(launch).toEqual({
      ok: true,
      value: {
        kind: 'direct',
        command: '/usr/bin/node',
        args: ['/opt/dropscope/out/cli/dropscope.js', 'capture', '--helper', '--backend=tracefs'],
      },
    });
  });

  it('uses pkexec with the absolute program when there is a graphical session', () => {
    const launch = chooseHelperLaunch(unprivileged, program, helperArgs);
    expect(launch.ok && launch.value).toEqual({
      kind: 'pkexec',
      command: '/usr/bin/pkexec',
      args: [
        '/usr/bin/node',
        '/opt/dropscope/out/cli/dropscope.js',
        'capture',
        '--helper',
        '--backend=tracefs',
      ],
    });
  });

  it('uses sudo -n without a graphical session, or without pkexec', () => {
    for (const probe of [
      { ...unprivileged, graphicalSession: false },
      { ...unprivileged, pkexec: null },
    ]) {
      const launch = chooseHelperLaunch(probe, program, helperArgs);
      expect(launch.ok && launch.value).toEqual({
        kind: 'sudo',
        command: '/usr/bin/sudo',
        args: [
          '-n',
          '--',
          '/usr/bin/node',
          '/opt/dropscope/out/cli/dropscope.js',
          'capture',
          '--helper',
          '--backend=tracefs',
        ],
      });
    }
  });

  it('says why when nothing can elevate', () => {
    const launch = chooseHelperLaunch(
      { ...unprivileged, pkexec: null, sudo: null },
      program,
      helperArgs,
    );
    expect(launch).toEqual({
      ok: false,
      error: expect.stringMatching(
        /capture needs root.*pkexec is not installed.*sudo is not installed/,
      ),
    });
  });

  it('refuses a relative program under pkexec (it resets PATH)', () => {
    const launch = chooseHelperLaunch(unprivileged, { command: 'node', args: [] }, helperArgs);
    expect(launch).toEqual({ ok: false, error: expect.stringMatching(/absolute program path/) });
  });
});

/** A child process whose streams the test drives. */
interface FakeChild {
  child: ChildProcess;
  stdout: PassThrough;
  stderr: PassThrough;
  stdinText: () => string;
  finish: (code: number) => void;
}

function fakeChild(): FakeChild {
  const child = new EventEmitter() as ChildProcess;
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let written = '';
  stdin.on('data', (chunk: Buffer) => (written += chunk.toString()));
  Object.assign(child, { stdin, stdout, stderr, kill: () => true });
  return {
    child,
    stdout,
    stderr,
    stdinText: () => written,
    finish: (code) => {
      stdout.end();
      stderr.end();
      setImmediate(() => child.emit('close', code, null));
    },
  };
}

describe('runCaptureHelper', () => {
  it('reads the JSON lines the helper writes, in batches, and its JSON messages', async () => {
    const fake = fakeChild();
    const batches: (readonly EventInput[])[] = [];
    const messages: HelperMessage[] = [];
    let spawned: readonly string[] = [];
    const run = await runCaptureHelper(
      { backend: 'tracefs', durationMs: 5000, count: null, filter: null, bufferKb: null },
      {
        program,
        probe: { ...unprivileged, privileged: true },
        onBatch: (events) => batches.push(events),
        onMessage: (message) => messages.push(message),
        spawnProcess: (_command, args) => {
          spawned = args;
          return fake.child;
        },
      },
    );
    if (!run.ok) throw new Error(run.error);
    expect(spawned).toContain('--duration=5s');
    const header = {
      dropscope: 1,
      source: {
        file: 'live capture (tracefs)',
        format: 'ftrace',
        kernel: { release: '6.18', table: null, source: 'none', detail: '' },
        meta: { lost: null },
        skippedLines: 0,
        warnings: [],
        aggregates: { drops: 0, locations: {} },
        filter: null,
      },
    };
    const record = {
      time_ns: 1,
      cpu: 1,
      pid: 9,
      comm: 'python3',
      skbaddr: '00000000aa',
      rx_sk: null,
      protocol: 2048,
      protocol_name: 'IPv4',
      location: 'udp',
      reason: 'NO_SOCKET',
      reason_value: 3,
      reason_source: 'printed',
      line: 1,
      callchain: null,
      extra: null,
    };
    fake.stdout.write(
      `${JSON.stringify(header)}\n${JSON.stringify(record)}\n${JSON.stringify(record)}\n`,
    );
    fake.stdout.write(
      `${JSON.stringify({ ...header, source: { ...header.source, meta: { lost: 4 } } })}\n`,
    );
    fake.stderr.write('{"type":"error","message":"something odd"}\nsudo: a password is required\n');
    const stopping = run.value.stop();
    expect(fake.stdinText()).toBe('');
    fake.finish(0);
    const result = await stopping;
    expect(result.events).toBe(2);
    expect(batches.flat().map((e) => e.reason)).toEqual(['NO_SOCKET', 'NO_SOCKET']);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(result.meta.lost).toBe(4);
    expect(result.errors).toEqual(['something odd', 'sudo: a password is required']);
    expect(messages).toEqual([{ type: 'error', message: 'something odd' }]);
    expect(result.exitCode).toBe(0);
  });

  it('fails without starting anything when no launch method fits', async () => {
    const run = await runCaptureHelper(
      { backend: null, durationMs: null, count: null, filter: null, bufferKb: null },
      {
        program,
        probe: { ...unprivileged, pkexec: null, sudo: null },
        onBatch: () => undefined,
        spawnProcess: () => {
          throw new Error('spawned');
        },
      },
    );
    expect(run.ok).toBe(false);
  });
});
