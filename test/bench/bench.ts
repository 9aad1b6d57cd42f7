/**
 * `npm run bench`: prints ingest throughput per format and query latencies over 10 M events.
 *
 * Inputs: for each text sample in ../shared/samples, a ~1 M-event file made by replicating its
 * event lines with timestamps shifted so time keeps increasing (written once to .bench/). When
 * .bench/perf-big.script.txt exists (a real capture: see the README's "Benchmarks"), it is read
 * too. Query figures run on a 10 M-event store built by appending the 1 M perf events ten times.
 * Figures only: nothing here asserts a time.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readTrace, TraceQueries } from '../../main/engine';
import {
  countBy,
  countByPair,
  EventStore,
  histogram,
  selectEvents,
  sortSelection,
  type Selection,
} from '../../main/store';
import type { EventInput, FilterSpec } from '../../shared/model';

/** Bench output goes to stdout (figures are the product of this script). */
function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

const repoRoot = resolve(import.meta.dirname ?? '.', '..', '..');
const samples = process.env.DROPSCOPE_SAMPLES ?? resolve(repoRoot, '..', 'shared', 'samples');
const benchDir = resolve(repoRoot, '.bench');
const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BIG_EVENTS = Number(process.env.BENCH_BIG_EVENTS ?? 10_000_000);

interface ReplicaSpec {
  sample: string;
  /** Matches one event line and captures (before, seconds-or-ns timestamp, after). */
  event: RegExp;
  /** Timestamp unit in the line. */
  unit: 'seconds' | 'ns';
}

const REPLICAS: ReplicaSpec[] = [
  { sample: 'perf.script.txt', event: /^(.*\] +)(\d+\.\d+)(: .*)$/, unit: 'seconds' },
  { sample: 'ftrace.trace.txt', event: /^(.*\] [^ ]+ +)(\d+\.\d+)(: .*)$/, unit: 'seconds' },
  { sample: 'trace-cmd.report.txt', event: /^(.*\] +)(\d+\.\d+)(: .*)$/, unit: 'seconds' },
  { sample: 'bpftrace-rich.txt', event: /^()(\d+)( .*)$/, unit: 'ns' },
  { sample: 'bpftrace-redhat-oneliner.txt', event: /^()()(.*: \d+)$/, unit: 'ns' },
];

function formatTimestamp(value: bigint, unit: 'seconds' | 'ns', decimals: number): string {
  if (unit === 'ns') return value.toString();
  const scale = 10n ** BigInt(decimals);
  return `${value / scale}.${(value % scale).toString().padStart(decimals, '0')}`;
}

/** Writes (once) a file of about TARGET_EVENTS events by repeating the sample's event lines. */
async function replicate(spec: ReplicaSpec): Promise<string> {
  const out = resolve(benchDir, `replicated-${TARGET_EVENTS}-${spec.sample}`);
  if (existsSync(out)) return out;
  const lines = readFileSync(resolve(samples, spec.sample), 'utf8').split('\n');
  const header = lines.filter((line) => !spec.event.test(line) && line.startsWith('#'));
  const events = lines
    .map((line) => spec.event.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  const decimals =
    spec.unit === 'seconds' ? ((events[0]?.[2] ?? '').split('.')[1]?.length ?? 6) : 0;
  const toInt = (text: string): bigint => (text === '' ? 0n : BigInt(text.replace('.', '')));
  const first = toInt(events[0]?.[2] ?? '');
  const last = toInt(events[events.length - 1]?.[2] ?? '');
  const span = last - first + 1n;
  const stream = createWriteStream(out);
  stream.write(header.join('\n') + (header.length ? '\n' : ''));
  let written = 0;
  for (let copy = 0n; written < TARGET_EVENTS; copy++) {
    let chunk = '';
    for (const match of events) {
      if (written >= TARGET_EVENTS) break;
      const stamp =
        match[2] === ''
          ? ''
          : formatTimestamp(toInt(match[2] ?? '') + copy * span, spec.unit, decimals);
      chunk += `${match[1] ?? ''}${stamp}${match[3] ?? ''}\n`;
      written++;
    }
    if (!stream.write(chunk)) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
  await new Promise<void>((r) => stream.end(r));
  return out;
}

function time<T>(label: string, run: () => T, repeats = 1): T {
  const durations: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    value = run();
    durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  const best = durations[0] ?? 0;
  const median = durations[Math.floor(durations.length / 2)] ?? 0;
  const figure =
    repeats > 1
      ? `${best.toFixed(1)} ms (median ${median.toFixed(1)} of ${repeats})`
      : `${best.toFixed(1)} ms`;
  print(`  ${label.padEnd(58)} ${figure.padStart(12)}`);
  return value as T;
}

async function benchIngest(
  file: string,
  label: string,
  kernel: string | null,
): Promise<EventStore | null> {
  const bytes = statSync(file).size;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const result = await readTrace(file, { kernelRelease: kernel });
  const seconds = (performance.now() - start) / 1000;
  if (!result.ok) {
    print(`  ${label}: ${result.error}`);
    return null;
  }
  const store = result.value.store;
  const heapAfter = process.memoryUsage().heapUsed;
  print(
    `  ${label.padEnd(34)} ${String(store.length).padStart(9)} events ${(bytes / 1e6).toFixed(1).padStart(7)} MB ` +
      `${(bytes / 1e6 / seconds).toFixed(1).padStart(6)} MB/s ${Math.round(store.length / seconds)
        .toLocaleString('en-US')
        .padStart(10)} events/s ` +
      `${(store.columnBytes / store.length).toFixed(1)} B/event (columns), ${((heapAfter - heapBefore) / store.length).toFixed(1)} B/event (JS heap delta)`,
  );
  return store;
}

function buildBigStore(source: EventStore, target: number): EventStore {
  const big = new EventStore();
  const bounds = source.timeBounds ?? { firstNs: 0, lastNs: 0 };
  const span = bounds.lastNs - bounds.firstNs + 1;
  const input: EventInput = {
    timestampNs: 0,
    cpu: -1,
    pid: -1,
    comm: null,
    skbaddr: null,
    rxSk: null,
    protocol: -1,
    location: null,
    reason: null,
    reasonValue: -1,
    callchain: null,
    line: 0,
    extra: null,
  };
  for (let copy = 0; big.length < target; copy++) {
    for (let i = 0; i < source.length && big.length < target; i++) {
      const row = source.row(i);
      input.timestampNs = (row.timestampNs ?? 0) + copy * span;
      input.cpu = row.cpu ?? -1;
      input.pid = row.pid ?? -1;
      input.comm = row.comm;
      input.skbaddr = row.skbaddr;
      input.rxSk = row.rxSk;
      input.protocol = row.protocol ?? -1;
      input.location = row.location;
      input.reason = row.reason;
      input.line = row.line;
      big.append(input);
    }
  }
  return big;
}

async function main(): Promise<void> {
  if (!existsSync(resolve(samples, 'MANIFEST.md'))) {
    console.error(`bench: samples not found at ${samples} (set DROPSCOPE_SAMPLES)`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(benchDir, { recursive: true });
  print(`Dropscope bench — node ${process.version}, ${new Date().toISOString()}`);
  print(
    `\nIngest (readTrace: read, split, detect, parse, store, decode) of ~${TARGET_EVENTS.toLocaleString('en-US')}-event files:`,
  );
  let perfStore: EventStore | null = null;
  const only = process.env.BENCH_ONLY;
  if (only === 'perfdata') {
    await benchPerfDataNative();
    return;
  }
  for (const spec of REPLICAS.filter((r) => only !== 'queries' || r.sample === 'perf.script.txt')) {
    const file = await replicate(spec);
    const kernel = spec.sample.startsWith('bpftrace') ? '6.18.44' : null;
    const store = await benchIngest(file, spec.sample, kernel);
    if (spec.sample === 'perf.script.txt') perfStore = store;
  }
  const real = resolve(benchDir, 'perf-big.script.txt');
  if (existsSync(real) && only !== 'queries')
    await benchIngest(real, 'perf-big.script.txt (real capture)', null);
  if (!perfStore) return;

  print(
    `\nQueries over ${BIG_EVENTS.toLocaleString('en-US')} events (perf events replicated in memory):`,
  );
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const source: EventStore = perfStore;
  const big = time(`build the store (append ${BIG_EVENTS.toLocaleString('en-US')} events)`, () =>
    buildBigStore(source, BIG_EVENTS),
  );
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const rss = process.memoryUsage().rss;
  print(
    `  memory: columns ${(big.columnBytes / 2 ** 20).toFixed(0)} MiB (${(big.columnBytes / big.length).toFixed(1)} B/event); JS heap growth ${(heap / 2 ** 20).toFixed(0)} MiB; process RSS ${(rss / 2 ** 20).toFixed(0)} MiB`,
  );
  const queries = new TraceQueries(big);
  const bounds = big.timeBounds ?? { firstNs: 0, lastNs: 1 };
  const all: FilterSpec = {};
  const threeClauses: FilterSpec = {
    expr: {
      kind: 'and',
      items: [
        {
          kind: 'not',
          item: { kind: 'compare', field: 'reason', op: '==', value: 'NOT_SPECIFIED' },
        },
        { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
        { kind: 'contains', field: 'location', text: 'rcv' },
      ],
    },
  };
  const buckets = 1000;
  const bucketNs = Math.ceil((bounds.lastNs - bounds.firstNs + 1) / buckets);
  // Each figure is the best of five runs (median shown too): the machine may be shared.
  // Queries are timed uncached (the store's functions directly), as the first call under a
  // new filter pays them; TraceQueries then caches selections and sort orders.
  const R = 5;
  const everything: Selection = time('select all (no filter)', () => selectEvents(big, all), R);
  time(
    'page [0,100) of a cached selection',
    () => queries.page({ filter: all, start: 0, end: 100 }),
    R,
  );
  time(
    'page [5M,5M+100) of a cached selection',
    () => queries.page({ filter: all, start: 5_000_000, end: 5_000_100 }),
    R,
  );
  time(
    'histogram 1000 buckets split by reason, no filter',
    () =>
      histogram(big, everything, { startNs: bounds.firstNs, bucketNs, buckets, splitBy: 'reason' }),
    R,
  );
  time(
    'histogram 1000 buckets, no split, no filter',
    () => histogram(big, everything, { startNs: bounds.firstNs, bucketNs, buckets }),
    R,
  );
  time(
    'histogram of a zoomed 10% window by reason, no filter',
    () =>
      histogram(big, everything, {
        startNs: bounds.firstNs + (bounds.lastNs - bounds.firstNs) * 0.45,
        bucketNs: bucketNs / 10,
        buckets,
        splitBy: 'reason',
      }),
    R,
  );
  time('counts by reason, no filter', () => countBy(big, everything, 'reason'), R);
  time('counts by location, no filter', () => countBy(big, everything, 'location'), R);
  time(
    'counts by reason × location, no filter',
    () => countByPair(big, everything, 'reason', 'location'),
    R,
  );
  // The first filter of a shape also generates and compiles its loop (see filterKernel).
  time('3-clause filter, first call of its shape', () => selectEvents(big, threeClauses));
  const selected = time(
    '3-clause filter (not reason, protocol, location contains)',
    () => selectEvents(big, threeClauses),
    R,
  );
  print(`    → ${selected.length.toLocaleString('en-US')} events match`);
  time(
    'histogram by reason under that filter',
    () =>
      histogram(big, selected, { startNs: bounds.firstNs, bucketNs, buckets, splitBy: 'reason' }),
    R,
  );
  time('counts by reason under that filter', () => countBy(big, selected, 'reason'), R);
  const brushed: FilterSpec = {
    timeRange: {
      startNs: bounds.firstNs + (bounds.lastNs - bounds.firstNs) * 0.4,
      endNs: bounds.firstNs + (bounds.lastNs - bounds.firstNs) * 0.45,
    },
  };
  time('brushed 5% time range: select (binary search)', () => selectEvents(big, brushed), R);
  time(
    'sort by reason (whole store)',
    () => sortSelection(big, everything, { field: 'reason', direction: 'asc' }),
    R,
  );
  time(
    'sort by time descending (whole store)',
    () => sortSelection(big, everything, { field: 'time', direction: 'desc' }),
    R,
  );
  time('events of one skbaddr', () => queries.eventsOfSkbaddr(big.row(0).skbaddr ?? ''), R);
  await benchPerfDataNative();
}

// ---------------------------------------------------------------------------------------------
// perf.data read natively (issue 3): .bench/perf-big.data (a real capture made with
// make-drops.sh) into the store, next to `perf script -i … > /dev/null`. Each figure is the best
// of BENCH_PERFDATA_RUNS runs (default 5: the machine may be shared). Also shown, to separate
// the costs: the reader into a new store without readTrace's reason decoding (the batch path
// readTrace uses), the reader alone (events decoded into a counting sink, no store), and the
// store's per-event append of the same events.
// ---------------------------------------------------------------------------------------------
async function benchPerfDataNative(): Promise<void> {
  const file = resolve(benchDir, 'perf-big.data');
  const runs = Math.max(1, Number(process.env.BENCH_PERFDATA_RUNS ?? 5));
  print(
    `\nperf.data read natively (no perf tool), vs perf script (best of ${runs}; CPU = user + system):`,
  );
  if (!existsSync(file)) {
    print(
      `  skipped: ${file} not found (record one with make-drops.sh: see MANIFEST "A large capture")`,
    );
    return;
  }
  const { spawn, spawnSync } = await import('node:child_process');
  const { openTraceStream } = await import('../../main/ingest/openTraceStream');
  const { BinaryFile } = await import('../../main/ingest/traceDat/BinaryFile');
  const { readPerfData } = await import('../../main/ingest/perfData/readPerfData');
  const { IngestSink } = await import('../../main/ingest/IngestSink');
  const megabytes = statSync(file).size / 1e6;
  interface Figure {
    seconds: number;
    cpuSeconds: number;
    events: number;
  }
  const best = async (
    run: () => Promise<{ events: number; cpuSeconds?: number }>,
  ): Promise<Figure> => {
    let result: Figure = { seconds: Number.POSITIVE_INFINITY, cpuSeconds: 0, events: 0 };
    for (let i = 0; i < runs; i++) {
      global.gc?.();
      const start = performance.now();
      const cpu = process.cpuUsage();
      const { events, cpuSeconds } = await run();
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      if (seconds < result.seconds) {
        result = { seconds, cpuSeconds: cpuSeconds ?? (used.user + used.system) / 1e6, events };
      }
    }
    return result;
  };
  const line = (label: string, { seconds, cpuSeconds, events }: Figure): void =>
    print(
      `  ${label.padEnd(56)} ${String(events).padStart(7)} events ${(seconds * 1000).toFixed(0).padStart(5)} ms ` +
        `(CPU ${(cpuSeconds * 1000).toFixed(0).padStart(5)} ms) ${(megabytes / seconds).toFixed(1).padStart(6)} MB/s ` +
        `${Math.round(events / seconds)
          .toLocaleString('en-US')
          .padStart(10)} events/s`,
    );
  const load = await best(async () => {
    const result = await readTrace(file);
    if (!result.ok) throw new Error(result.error);
    return { events: result.value.store.length };
  });
  line('readTrace: read, decode, order, symbolize, store', load);
  const readIntoStore = await best(async () => {
    const store = new EventStore();
    const sink = new IngestSink(store, null);
    const binary = await BinaryFile.open(file, await openTraceStream(file));
    try {
      const args = { path: file, file: binary, sink, userSymbolize: null, modifiedAt: null };
      await readPerfData(args, store);
    } finally {
      await binary.close();
    }
    return { events: store.length };
  });
  line('readPerfData into a store (no reason decoding)', readIntoStore);
  const readerOnly = await best(async () => {
    let events = 0;
    const sink = {
      event: () => void events++,
      skip: () => undefined,
      meta: () => undefined,
      aggregate: () => undefined,
      embeddedReasonNames: () => undefined,
      warn: () => undefined,
    };
    const binary = await BinaryFile.open(file, await openTraceStream(file));
    try {
      await readPerfData({ path: file, file: binary, sink, userSymbolize: null, modifiedAt: null });
    } finally {
      await binary.close();
    }
    return { events };
  });
  line('the reader alone (events to a counting sink, no store)', readerOnly);
  // The store's share: the same events, already decoded, appended one by one to a new store.
  // Measured last: the million input objects make every later collection slower.
  const appendOnly = await bestAppend();
  line('EventStore.append alone (same events, pre-decoded)', appendOnly);
  async function bestAppend(): Promise<Figure> {
    const loaded = await readTrace(file);
    if (!loaded.ok) throw new Error(loaded.error);
    const source = loaded.value.store;
    const inputs: EventInput[] = Array.from({ length: source.length }, (_, i) => {
      const row = source.row(i);
      return {
        timestampNs: row.timestampNs ?? Number.NaN,
        cpu: row.cpu ?? -1,
        pid: row.pid ?? -1,
        comm: row.comm,
        skbaddr: row.skbaddr,
        rxSk: row.rxSk,
        protocol: row.protocol ?? -1,
        location: row.location,
        reason: null,
        reasonValue: row.reasonValue ?? -1,
        callchain: row.callchain,
        line: row.line,
        extra: row.extra,
      };
    });
    return best(() => {
      const store = new EventStore();
      for (const input of inputs) store.append(input);
      return Promise.resolve({ events: store.length });
    });
  }
  if (spawnSync('perf', ['--version'], { stdio: 'ignore' }).status !== 0) {
    print('  perf script: skipped (perf is not installed)');
    return;
  }
  // /usr/bin/time, when present, gives perf's CPU time (its stderr's last line).
  const timed = existsSync('/usr/bin/time');
  const perfScript = await best(
    () =>
      new Promise((done, fail) => {
        const args = ['script', '-i', file];
        const child = timed
          ? spawn('/usr/bin/time', ['-f', '%U %S', 'perf', ...args], {
              stdio: ['ignore', 'ignore', 'pipe'],
            })
          : spawn('perf', args, { stdio: ['ignore', 'ignore', 'ignore'] });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', fail);
        child.on('close', () => {
          const [user, system] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
          const cpuSeconds =
            timed && user !== undefined && system !== undefined ? user + system : Number.NaN;
          done({ events: load.events, cpuSeconds });
        });
      }),
  );
  line('perf script -i perf-big.data > /dev/null', perfScript);
  const ratio = (a: number, b: number): string =>
    Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : 'n/a';
  print(
    `  → readTrace is ${ratio(perfScript.seconds, load.seconds)} faster than perf script by the clock, ` +
      `${ratio(perfScript.cpuSeconds, load.cpuSeconds)} by CPU time; readPerfData into a store ` +
      `${ratio(perfScript.seconds, readIntoStore.seconds)} / ${ratio(perfScript.cpuSeconds, readIntoStore.cpuSeconds)}; ` +
      `the reader alone ${ratio(perfScript.seconds, readerOnly.seconds)} / ${ratio(perfScript.cpuSeconds, readerOnly.cpuSeconds)}; ` +
      `a tenth of perf script is ${(perfScript.seconds * 100).toFixed(0)} ms, the store's per-event append ` +
      `alone takes ${(appendOnly.seconds * 1000).toFixed(0)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
