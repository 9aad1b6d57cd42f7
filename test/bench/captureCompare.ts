/**
 * Manual check of issue 5's "Done when" (prints figures; not a test): `dropscope capture
 * --backend tracefs` during `make-drops.sh` against a parallel `perf record -e skb:kfree_skb -a`
 * of the same window, per reason, with the lost counts each side reports.
 *
 *     sudo npx tsx test/bench/captureCompare.ts [-r 20000] [-d 4] [--duration 5s] [--buffer-kb 8192]
 *     sudo npx tsx test/bench/captureCompare.ts --flood 600000 --flood-rate 100000 [--make-drops]
 *     sudo npx tsx test/bench/captureCompare.ts … --reader text     # the text trace_pipe reader
 *
 * Order: perf starts first (events enabled over its control fds, so "recording" is exact), then
 * the tracefs capture (the CLI, from the sources), then the traffic: make-drops.sh (a copy in a
 * temporary directory; it makes drops only in its own network namespaces), or a UDP flood to a
 * closed loopback port (`--flood`, paced with `--flood-rate`), or both (`--flood … --make-drops`).
 * perf is stopped as soon as the capture ends. The perf counts are given twice: whole, and
 * restricted to the time window of the tracefs capture (its first to last event; both tracers
 * stamp events with CLOCK_MONOTONIC), which removes the events in flight at start and stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { readTrace, TraceQueries, type LoadedTrace } from '../../main/engine';
import type { DropRow, FilterSpec } from '../../shared/model';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const makeDrops = resolve(repoRoot, '..', 'shared', 'tools', 'make-drops.sh');

const { values } = parseArgs({
  options: {
    rate: { type: 'string', short: 'r', default: '20000' },
    seconds: { type: 'string', short: 'd', default: '4' },
    duration: { type: 'string', default: '5s' },
    'buffer-kb': { type: 'string', default: '8192' },
    mix: { type: 'string', short: 'm', default: 'default' },
    // Instead of make-drops.sh: P processes sending N UDP datagrams in all, as fast as they can,
    // to a closed loopback port (NO_SOCKET). make-drops paces one CPU and reached ~30,000/s on
    // the 2-vCPU VM this was written on; the flood goes beyond.
    flood: { type: 'string' },
    'flood-procs': { type: 'string', default: '2' },
    // Datagrams per second over all flood processes (paced every millisecond); unset: unpaced.
    'flood-rate': { type: 'string' },
    // With --flood: run make-drops.sh (-r, -d, -m) as well, for more reasons than NO_SOCKET.
    'make-drops': { type: 'boolean', default: false },
    // The tracefs reader: raw (trace_pipe_raw pages, the default) or text (trace_pipe).
    reader: { type: 'string', default: 'raw' },
  },
});

/** Prints a line of the report (bench scripts print figures; see STYLE.md on benchmarks). */
function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.on('close', (code) => done(code));
  });
}

/**
 * P python3 processes sending `total` datagrams in all to closed loopback port 9 (discard,
 * unbound); with `rate`, each paces itself to rate/P datagrams a second.
 */
function flood(total: number, procs: number, rate: number | null): ChildProcess {
  const each = Math.ceil(total / procs);
  const send =
    rate === null
      ? `for i in range(${each}): s.sendto(b'x', ('127.0.0.1', 9))`
      : `per_s = ${rate / procs}
sent = 0
while sent < ${each}:
    due = min(${each}, int((time.time() - t) * per_s) + 1)
    if due <= sent:
        time.sleep(0.001)
        continue
    for i in range(due - sent): s.sendto(b'x', ('127.0.0.1', 9))
    sent = due`;
  const program = `import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = time.time()
${send}
print(f'flood: ${each} datagrams in {time.time() - t:.2f} s')`;
  const lines = Array.from(
    { length: procs },
    () => `python3 -c "${program.replace(/"/g, '\\"')}" &`,
  );
  return spawn('sh', ['-c', `${lines.join('\n')}\nwait`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The stored event with timestamp `ns` (the first one). */
function eventAt(trace: LoadedTrace, ns: number): DropRow {
  const store = trace.store;
  for (let i = 0; i < store.length; i++) {
    if (store.columns.timeNs.get(i) === ns) return store.row(i);
  }
  throw new Error(`no event at ${ns}`);
}

/** perf's timestamp of the same drop as `row` (same reason, cpu and task, within 2 ms), or null. */
function perfTimeOf(trace: LoadedTrace, row: DropRow): number | null {
  const store = trace.store;
  const target = row.timestampNs ?? 0;
  let best: number | null = null;
  for (let i = 0; i < store.length; i++) {
    const t = store.columns.timeNs.get(i);
    if (Math.abs(t - target) > 2e6) continue;
    const other = store.row(i);
    if (other.reason !== row.reason || other.cpu !== row.cpu || other.pid !== row.pid) continue;
    if (best === null || Math.abs(t - target) < Math.abs(best - target)) best = t;
  }
  return best;
}

/** Events of `trace` in [startNs, endNs] as `reason|cpu` → sorted times, with their comm. */
function eventsByKey(
  trace: LoadedTrace,
  startNs: number,
  endNs: number,
): Map<string, { t: number; comm: string }[]> {
  const byKey = new Map<string, { t: number; comm: string }[]>();
  const store = trace.store;
  for (let i = 0; i < store.length; i++) {
    const t = store.columns.timeNs.get(i);
    if (t < startNs || t > endNs) continue;
    const row = store.row(i);
    const key = `${row.reason ?? '(none)'}|${row.cpu ?? -1}`;
    const list = byKey.get(key) ?? [];
    list.push({ t, comm: row.comm ?? '?' });
    byKey.set(key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.t - b.t);
  return byKey;
}

/**
 * Events one side has and the other does not (same reason and CPU within 50 µs), per
 * `reason (comm)`: tells a real miss from a window edge.
 */
function unmatched(
  mine: Map<string, { t: number; comm: string }[]>,
  theirs: Map<string, { t: number; comm: string }[]>,
): Map<string, number> {
  const missing = new Map<string, number>();
  for (const [key, list] of mine) {
    const other = theirs.get(key) ?? [];
    let j = 0;
    for (const event of list) {
      while (j < other.length && (other[j]?.t ?? 0) < event.t - 50_000) j++;
      if (j < other.length && Math.abs((other[j]?.t ?? 0) - event.t) <= 50_000) {
        j++;
        continue;
      }
      const label = `${key.split('|')[0] ?? ''} (${event.comm})`;
      missing.set(label, (missing.get(label) ?? 0) + 1);
    }
  }
  return missing;
}

function counts(trace: LoadedTrace, filter: FilterSpec = {}): Map<string, number> {
  const entries = new TraceQueries(trace.store).counts(filter, 'reason').entries;
  return new Map(entries.map((entry) => [entry.key, entry.count]));
}

async function load(file: string): Promise<LoadedTrace> {
  const loaded = await readTrace(file);
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new Error('run as root (perf, tracefs and make-drops.sh need it)');
  const dir = mkdtempSync(join(tmpdir(), 'dropscope-compare-'));
  const script = join(dir, 'make-drops.sh');
  copyFileSync(makeDrops, script);
  chmodSync(script, 0o755);
  const perfData = join(dir, 'perf.data');
  const capture = join(dir, 'tracefs.jsonl');
  const withMakeDrops = values.flood === undefined || values['make-drops'];
  const traffic = [
    withMakeDrops ? `make-drops -r ${values.rate} -d ${values.seconds} -m ${values.mix}` : null,
    values.flood === undefined
      ? null
      : `a flood of ${values.flood} datagrams from ${values['flood-procs']} processes` +
        (values['flood-rate'] === undefined ? '' : ` at ${values['flood-rate']}/s`),
  ].filter((part) => part !== null);
  print(
    `work dir ${dir}; ${traffic.join(' and ')}; ` +
      `capture --duration ${values.duration} --buffer-kb ${values['buffer-kb']} (${values.reader} reader); ` +
      `load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );

  // 1. perf, recording once it acknowledges "enable".
  const perf = spawn(
    'perf',
    [
      'record',
      '-e',
      'skb:kfree_skb',
      '-a',
      '-k',
      'mono',
      '-m',
      '4096',
      '-D',
      '-1',
      '--control=fd:3,4',
      '-o',
      perfData,
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let perfStderr = '';
  perf.stderr?.on('data', (chunk: Buffer) => (perfStderr += chunk.toString()));
  await new Promise<void>((done, fail) => {
    (perf.stdio[4] as Readable).on('data', () => done());
    perf.on('close', () => fail(new Error(`perf record exited: ${perfStderr}`)));
    (perf.stdio[3] as Writable).write('enable\n');
  });

  // 2. the tracefs capture through the CLI, recording once it says so.
  const cli = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'main', 'cli.ts'),
      'capture',
      '--backend',
      'tracefs',
      '--duration',
      values.duration,
      '--buffer-kb',
      values['buffer-kb'],
      '-o',
      capture,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DROPSCOPE_TRACEFS_READER: values.reader },
    },
  );
  let cliStderr = '';
  cli.stderr?.on('data', (chunk: Buffer) => (cliStderr += chunk.toString()));
  while (!cliStderr.includes('capturing with tracefs')) {
    if (cli.exitCode !== null) throw new Error(`capture exited: ${cliStderr}`);
    await new Promise((done) => setTimeout(done, 20));
  }

  // 3. the drops.
  const started = Date.now();
  const generators: ChildProcess[] = [];
  if (withMakeDrops) {
    generators.push(
      spawn(script, ['-r', values.rate, '-d', values.seconds, '-m', values.mix, '-q'], {
        cwd: dir,
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    );
  }
  if (values.flood !== undefined) {
    const rate = values['flood-rate'] === undefined ? null : Number(values['flood-rate']);
    generators.push(flood(Number(values.flood), Number(values['flood-procs']), rate));
  }

  // The capture's CPU time (user, system: the kernel's copying or formatting happens in its
  // reads), sampled from /proc until it exits.
  let cpuTicks: [number, number] = [0, 0];
  const sampler = setInterval(() => {
    try {
      const fields = readFileSync(`/proc/${cli.pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
      cpuTicks = [Number(fields?.[11] ?? 0), Number(fields?.[12] ?? 0)];
    } catch {
      // exited
    }
  }, 20);
  const cliCode = await exited(cli);
  clearInterval(sampler);
  perf.kill('SIGINT');
  await exited(perf);
  const dropsCode = (await Promise.all(generators.map(exited))).join(', ');
  print(
    `capture exited ${cliCode} after ${((Date.now() - started) / 1000).toFixed(1)} s of traffic; the traffic generator exited ${dropsCode}`,
  );
  // The live lines (one a second: delivered so far and the rate) show whether the reader kept up.
  print(
    cliStderr
      .split('\n')
      .filter(
        (line) =>
          /^\d+\.\ds /.test(line) ||
          line.startsWith('dropscope: captured') ||
          line.includes('trace_pipe'),
      )
      .join('\n'),
  );

  const text = spawnSync('perf', ['script', '-i', perfData, '--ns', '--show-lost-events'], {
    maxBuffer: 1 << 30,
    encoding: 'buffer',
  });
  writeFileSync(join(dir, 'perf.txt'), text.stdout);
  const perfTrace = await load(join(dir, 'perf.txt'));
  const tracefsTrace = await load(capture);

  print(`the capture: ${String(tracefsTrace.meta.captureCommand)}`);
  const bounds = tracefsTrace.store.timeBounds;
  if (!bounds) throw new Error('the tracefs capture has no events');
  // The two tracers stamp the same event a few microseconds apart (each probe reads the clock
  // itself), so the window is bounded by perf's own copies of tracefs's first and last events.
  const startNs = perfTimeOf(perfTrace, eventAt(tracefsTrace, bounds.firstNs)) ?? bounds.firstNs;
  const endNs = perfTimeOf(perfTrace, eventAt(tracefsTrace, bounds.lastNs)) ?? bounds.lastNs;
  const window: FilterSpec = { timeRange: { startNs, endNs: endNs + 1 } };
  const viaTracefs = counts(tracefsTrace);
  const viaPerf = counts(perfTrace);
  const viaPerfWindow = counts(perfTrace, window);
  const reasons = [...new Set([...viaTracefs.keys(), ...viaPerf.keys()])].sort(
    (a, b) => (viaPerf.get(b) ?? 0) - (viaPerf.get(a) ?? 0),
  );
  const row = (cells: (string | number)[]): string =>
    cells
      .map((cell, i) => (i === 0 ? String(cell).padEnd(26) : String(cell).padStart(12)))
      .join(' ');
  print(row(['reason', 'tracefs', 'perf (all)', 'perf (window)', 'window diff']));
  let total = [0, 0, 0];
  for (const reason of reasons) {
    const t = viaTracefs.get(reason) ?? 0;
    const p = viaPerf.get(reason) ?? 0;
    const w = viaPerfWindow.get(reason) ?? 0;
    total = [total[0]! + t, total[1]! + p, total[2]! + w];
    print(row([reason, t, p, w, t - w]));
  }
  print(row(['TOTAL', total[0]!, total[1]!, total[2]!, total[0]! - total[2]!]));
  const tracefsEvents = eventsByKey(tracefsTrace, bounds.firstNs, bounds.lastNs);
  const perfEvents = eventsByKey(perfTrace, startNs, endNs);
  const describeMissing = (missing: Map<string, number>): string =>
    missing.size === 0 ? 'none' : [...missing].map(([label, n]) => `${n} ${label}`).join(', ');
  print(
    `in the window, only tracefs has: ${describeMissing(unmatched(tracefsEvents, perfEvents))}`,
  );
  print(`in the window, only perf has: ${describeMissing(unmatched(perfEvents, tracefsEvents))}`);
  const seconds = (bounds.lastNs - bounds.firstNs) / 1e9;
  print(
    `tracefs window ${seconds.toFixed(3)} s, ${Math.round(total[0]! / seconds).toLocaleString('en-US')} drops/s captured`,
  );
  const ticks =
    Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  print(
    `capture process CPU: user ${(cpuTicks[0] / ticks).toFixed(2)} s, system ${(cpuTicks[1] / ticks).toFixed(2)} s`,
  );
  print(
    `lost as reported: tracefs ${JSON.stringify(pickLost(tracefsTrace))}; perf ${JSON.stringify(perfTrace.meta.lost ?? 0)}`,
  );
}

function pickLost(trace: LoadedTrace): Record<string, unknown> {
  return Object.fromEntries(Object.entries(trace.meta).filter(([key]) => key.startsWith('lost')));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
