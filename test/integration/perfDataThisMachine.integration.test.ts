/**
 * A perf.data recorded here, on the running kernel, is symbolized with this machine's
 * /proc/kallsyms — read once at the end of the load for exactly the trace's code addresses —
 * and must give the locations and kernel callchain frames that `perf script` prints for the same
 * file. Runs where root, tracefs and perf exist (CI has them); skips with the reason elsewhere.
 * The drops are UDP datagrams to a closed loopback port, sent by a child that perf records.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { findCommand, tracefsCapturePreconditions } from '../helpers/capturePreconditions';
import { runCliCapture } from '../helpers/runCliCapture';

const DROPS = 300;

const tracefs = tracefsCapturePreconditions();
const perf = findCommand('perf');
const ready = tracefs.ok && perf !== null;
const why = !tracefs.ok
  ? tracefs.why
  : perf === null
    ? 'skipped: perf is not installed'
    : 'root, tracefs, perf';

/** Sends DROPS datagrams to a loopback port nothing listens on (NO_SOCKET each), then exits. */
const SENDER = `
const dgram = require('node:dgram');
const probe = dgram.createSocket('udp4');
probe.bind(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const socket = dgram.createSocket('udp4');
    let sent = 0;
    const next = () => (sent++ < ${DROPS} ? socket.send('dropscope-test', port, '127.0.0.1', next) : socket.close());
    next();
  });
});
`;

interface EventRecord {
  location: string;
  reason: string;
  callchain: string[] | null;
}

describe.skipIf(!ready)(`a perf.data recorded on this machine (${why})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dropscope-perf-here-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function summaryOf(file: string): Promise<TraceSummary> {
    const run = await runCliCapture(['summary', file, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as TraceSummary;
  }

  async function eventsOf(file: string): Promise<EventRecord[]> {
    const run = await runCliCapture(['events', file, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as EventRecord);
  }

  it("gets perf script's locations and kernel callchain frames from /proc/kallsyms", async () => {
    const data = join(dir, 'here.data');
    const record = spawnSync(
      perf ?? 'perf',
      [
        'record',
        '-q',
        '-e',
        'skb:kfree_skb',
        '-a',
        '-g',
        '-o',
        data,
        '--',
        process.execPath,
        '-e',
        SENDER,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(record.status, record.stderr).toBe(0);
    const script = spawnSync(perf ?? 'perf', ['script', '-i', data], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 1 << 30,
    });
    expect(script.status, script.stderr).toBe(0);
    const text = join(dir, 'here.script.txt');
    writeFileSync(text, script.stdout);

    const binary = await summaryOf(data);
    const printed = await summaryOf(text);
    expect(binary.meta.symbols).toMatch(/^\/proc\/kallsyms \(same kernel /);
    expect(binary.warnings.some((w) => /shown as addresses/.test(w))).toBe(false);
    expect(binary.events).toBe(printed.events);
    expect(binary.reasons.NO_SOCKET ?? 0).toBeGreaterThanOrEqual(DROPS);
    expect(binary.locations).toEqual(printed.locations);
    for (const location of Object.keys(binary.locations))
      expect(location).toMatch(/\+0x[0-9a-f]+$/);

    // Kernel frames: every symbolized frame of the binary read is the frame perf script printed.
    const fromBinary = await eventsOf(data);
    const fromText = await eventsOf(text);
    expect(fromBinary).toHaveLength(fromText.length);
    let kernelFrames = 0;
    fromBinary.forEach((event, i) => {
      const other = fromText[i] as EventRecord;
      expect(event.location, `event ${i}`).toBe(other.location);
      (event.callchain ?? []).forEach((frame, k) => {
        if (frame.startsWith('0x')) return;
        kernelFrames++;
        expect(frame, `event ${i} frame ${k}`).toBe(other.callchain?.[k]);
      });
    });
    expect(kernelFrames).toBeGreaterThan(DROPS);
  });
});
