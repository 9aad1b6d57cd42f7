/**
 * Live capture through bpftrace with Dropscope's recommended program (main/ingest
 * bpftraceScript.ts; the rx_sk variant on kernels that have the field), streamed into the
 * bpftrace parser of main/ingest.
 *
 * bpftrace prints reasons as numbers; they are decoded with the running kernel's own numbering
 * (read from its tracepoint format by the context). The kernel part of the filter becomes a probe
 * predicate (`/args->reason != 2 && args->protocol == 0x0800/`). The line the program prints
 * from BEGIN (after every probe is attached) means "recording now". With `maxDurationS`, an
 * `interval` probe makes bpftrace exit on its own even if this process dies. The per-CPU ring
 * size is `BPFTRACE_PERF_RB_PAGES`; lost events are bpftrace's `Lost N events` lines.
 */
import { spawn } from 'node:child_process';
import { BPFTRACE_RECOMMENDED_SCRIPT, BPFTRACE_RX_SK_SCRIPT } from '../ingest';
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
import { ringPages } from './PerfBackend';
import { toolReadiness } from './toolReadiness';
import { ToolSession } from './ToolSession';

const PROBE_HEAD = 'tracepoint:skb:kfree_skb\n{';
const HEADER_MAGIC = 'dropscope-bpftrace v1';

/** The program to run: the recommended one, with a predicate and a time limit. Pure. */
export function bpftraceProgram(options: {
  hasRxSk: boolean;
  predicate: string | null;
  maxDurationS?: number | undefined;
}): string {
  const base = options.hasRxSk ? BPFTRACE_RX_SK_SCRIPT : BPFTRACE_RECOMMENDED_SCRIPT;
  if (!base.includes(PROBE_HEAD))
    throw new CaptureError('the recommended bpftrace program has an unexpected shape');
  let program =
    options.predicate === null
      ? base
      : base.replace(PROBE_HEAD, `tracepoint:skb:kfree_skb\n/${options.predicate}/\n{`);
  if (options.maxDurationS !== undefined) {
    program += `\ninterval:s:${Math.max(1, Math.ceil(options.maxDurationS))}\n{\n  exit();\n}\n`;
  }
  return program;
}

/** Capture through bpftrace. */
export class BpftraceBackend implements CaptureBackend {
  readonly name = 'bpftrace';
  readonly label = "bpftrace with Dropscope's recommended program";

  constructor(private readonly context: CaptureContext) {}

  async availability(): Promise<CaptureAvailability> {
    const ready = await toolReadiness(this.context.host, 'bpftrace', true);
    if (!ready.ok) return { available: false, why: ready.error };
    const notes = [...ready.value.notes];
    if (!this.context.loadReasonNames)
      notes.push('reasons stay numbers (no kernel numbering given)');
    return { available: true, why: notes.join('; ') };
  }

  async start(options: CaptureStartOptions): Promise<CaptureSession> {
    const ready = await toolReadiness(this.context.host, 'bpftrace', true);
    if (!ready.ok) throw new CaptureError(`bpftrace capture is not available: ${ready.error}`);
    const { tool, format } = ready.value;
    const warnings: string[] = [];
    const loaded = this.context.loadReasonNames?.(format.path);
    if (!loaded?.ok) {
      warnings.push(
        `cannot read the running kernel's reason numbers${loaded ? ` (${loaded.error})` : ''}: reasons stay numbers and reason filters run in user space`,
      );
    }
    const reasons = loaded?.ok ? loaded.value : null;
    const numbers = new Map([...(reasons?.names ?? [])].map(([value, name]) => [name, value]));
    const placement = splitFilter(
      options.filter,
      'bpftrace',
      (name) => numbers.get(name) ?? null,
      'bpftrace predicate',
    );
    const matcher = placement.user ? compileEventMatcher(placement.user) : null;
    const program = bpftraceProgram({
      hasRxSk: format.hasRxSk,
      predicate: placement.kernelText,
      maxDurationS: options.maxDurationS,
    });
    const pages = ringPages(options.bufferKb ?? DEFAULT_BUFFER_KB);
    // detached: a Ctrl-C in the terminal reaches only Dropscope, which then stops bpftrace.
    const child = spawn(tool, ['-e', program], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BPFTRACE_PERF_RB_PAGES: String(pages) },
    });
    const sink = new CaptureSink({
      onBatch: (events) => options.onBatch(events),
      matcher,
      reasonNames: reasons?.names ?? null,
    });
    const source: CaptureSource = {
      format: 'bpftrace',
      command: `BPFTRACE_PERF_RB_PAGES=${pages} bpftrace -e '<Dropscope's recommended program${placement.kernelText === null ? '' : ` with /${placement.kernelText}/`}>'`,
      reasonNames: 'decoded',
      reasonTable: reasons?.source ?? null,
      // bpftrace's nsecs is ktime_get_ns(): CLOCK_MONOTONIC.
      clock: 'mono',
      hasReason: format.hasReason,
      hasRxSk: format.hasRxSk,
    };
    const session = new ToolSession(
      {
        backend: 'bpftrace',
        pipeline: {
          processes: [child],
          output: child.stdout,
          commandLine: `${tool} -e <program>`,
        },
        format: 'bpftrace',
        lostName: 'bpftrace Lost',
        readyLine: (line) => line.startsWith(HEADER_MAGIC),
        // bpftrace warns about RLIMIT_MEMLOCK even where memory is accounted by cgroups and it works.
        quietStderr: /RLIMIT_MEMLOCK/,
      },
      placement,
      source,
      warnings,
      options,
      sink,
    );
    session.run();
    try {
      await session.ready;
    } catch (error) {
      await session.stop();
      throw error;
    }
    return session;
  }
}
