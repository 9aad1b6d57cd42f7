/**
 * Live capture through perf: `perf record -e skb:kfree_skb -a -o - | perf script -i -`, streamed
 * into the perf-script parser of main/ingest.
 *
 * The recorder starts with its events disabled (`-D -1`) and a control channel on fds 3 and 4
 * (`--control fd:3,4`); Dropscope sends `enable` and treats perf's `ack` as "recording now", so
 * `start` resolves exactly when drops are being captured. `--no-buffering` makes perf write each
 * event as it comes and `stdbuf -oL` (when installed) keeps perf script from holding lines back;
 * perf script still orders events by round, so an event shows once the next one arrives (stop
 * flushes everything). The kernel part of the filter goes to `perf record --filter` (the same
 * tracepoint filter syntax as tracefs). With `maxDurationS`, perf records `-- sleep N`, so it ends
 * on its own even if this process dies. perf prints raw `0xffff…` locations; the context's
 * symbolizer turns them into `sym+0xoff`. Lost events are perf's LOST records
 * (`--show-lost-events`).
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type {
  CaptureAvailability,
  CaptureBackend,
  CaptureSession,
  CaptureSource,
  CaptureStartOptions,
} from './CaptureBackend';
import { CaptureError, DEFAULT_BUFFER_KB } from './CaptureBackend';
import type { CaptureContext } from './CaptureHost';
import { CaptureSink } from './CaptureSink';
import { splitFilter } from './filterPushdown';
import { compileEventMatcher } from './matchEvent';
import { toolReadiness } from './toolReadiness';
import { ToolSession, type ToolPipeline } from './ToolSession';

/** Pages per CPU for a buffer of `kb` KiB: a power of two (perf requires it), at least 8. */
export function ringPages(kb: number): number {
  const pages = Math.max(8, Math.ceil(kb / 4));
  return 2 ** Math.ceil(Math.log2(pages));
}

/** The `perf record` arguments of a capture. Pure; exported for tests. */
export function perfRecordArgs(options: {
  kernelFilter: string | null;
  bufferKb: number;
  maxDurationS?: number | undefined;
}): string[] {
  const args = ['record', '-e', 'skb:kfree_skb'];
  if (options.kernelFilter !== null) args.push('--filter', options.kernelFilter);
  // -k mono: CLOCK_MONOTONIC, the time base of the other backends.
  args.push('-a', '-k', 'mono', '--no-buffering', '-D', '-1', '--control=fd:3,4');
  args.push('-m', String(ringPages(options.bufferKb)), '-o', '-');
  if (options.maxDurationS !== undefined)
    args.push('--', 'sleep', String(Math.ceil(options.maxDurationS)));
  return args;
}

/** `perf script` reading the record stream, with nanosecond times and LOST records. */
export const PERF_SCRIPT_ARGS = ['script', '-i', '-', '--ns', '--show-lost-events'];

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Capture through perf record | perf script. */
export class PerfBackend implements CaptureBackend {
  readonly name = 'perf';
  readonly label = 'perf record | perf script';

  constructor(private readonly context: CaptureContext) {}

  async availability(): Promise<CaptureAvailability> {
    const ready = await toolReadiness(this.context.host, 'perf', false);
    return ready.ok
      ? { available: true, why: ready.value.notes.join('; ') }
      : { available: false, why: ready.error };
  }

  async start(options: CaptureStartOptions): Promise<CaptureSession> {
    const host = this.context.host;
    const ready = await toolReadiness(host, 'perf', false);
    if (!ready.ok) throw new CaptureError(`perf capture is not available: ${ready.error}`);
    const { tool: perf, format } = ready.value;
    const warnings: string[] = [];
    const loaded = format.hasReason ? this.context.loadReasonNames?.(format.path) : undefined;
    if (loaded && !loaded.ok)
      warnings.push(
        `cannot read the running kernel's reason numbers (${loaded.error}); reason filters run in user space`,
      );
    const reasons = loaded?.ok ? loaded.value : null;
    const numbers = new Map([...(reasons?.names ?? [])].map(([value, name]) => [name, value]));
    const placement = splitFilter(
      options.filter,
      'ftrace',
      (name) => numbers.get(name) ?? null,
      'perf record --filter',
    );
    const matcher = placement.user ? compileEventMatcher(placement.user) : null;
    const symbolize = (await this.context.loadSymbolizer?.()) ?? null;
    if (!symbolize) warnings.push('no kallsyms symbolizer: locations stay raw addresses');

    const recordArgs = perfRecordArgs({
      kernelFilter: placement.kernelText,
      bufferKb: options.bufferKb ?? DEFAULT_BUFFER_KB,
      maxDurationS: options.maxDurationS,
    });
    const stdbuf = await host.which('stdbuf');
    const [scriptCommand, scriptArgs] = stdbuf
      ? [stdbuf, ['-oL', perf, ...PERF_SCRIPT_ARGS]]
      : [perf, PERF_SCRIPT_ARGS];
    // detached: a Ctrl-C in the terminal reaches only Dropscope, which then stops perf in order.
    const record = spawn(perf, recordArgs, {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const script = spawn(scriptCommand, scriptArgs, {
      detached: true,
      stdio: [record.stdout ?? 'ignore', 'pipe', 'pipe'],
    });
    // perf script holds the pipe now; closing our copy lets perf record see EPIPE if script dies.
    record.stdout?.destroy();
    const pipeline: ToolPipeline = {
      processes: [record, script],
      output: script.stdout,
      commandLine: `perf ${recordArgs.map(quote).join(' ')} | perf ${PERF_SCRIPT_ARGS.join(' ')}`,
    };
    const sink = new CaptureSink({
      onBatch: (events) => options.onBatch(events),
      matcher,
      reasonNames: reasons?.names ?? null,
      symbolize,
    });
    const source: CaptureSource = {
      format: 'perf-script',
      command: pipeline.commandLine,
      reasonNames: 'printed',
      reasonTable: reasons?.source ?? null,
      clock: 'mono',
      hasReason: format.hasReason,
      hasRxSk: format.hasRxSk,
    };
    const session = new ToolSession(
      {
        backend: 'perf',
        pipeline,
        format: 'perf-script',
        lostName: 'perf LOST records',
        quietStderr: /^\[ perf record: |^Events (?:dis|en)abled/,
      },
      placement,
      source,
      warnings,
      options,
      sink,
    );
    session.run();
    const control = record.stdio[3] as Writable | null;
    const ack = record.stdio[4] as Readable | null;
    ack?.on('data', (data: Buffer) => {
      if (data.toString('latin1').includes('ack')) session.markReady();
    });
    ack?.on('error', () => undefined);
    control?.on('error', () => undefined);
    control?.write('enable\n');
    try {
      await session.ready;
    } catch (error) {
      await session.stop();
      throw error;
    }
    return session;
  }
}
