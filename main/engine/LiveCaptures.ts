/**
 * Live captures of the app and browser mode: each one runs the privileged capture helper
 * (`dropscope capture --helper …`, see main/capture/runCaptureHelper.ts) and appends what it
 * streams to a trace of its own, which the UI queries like any loaded trace while it fills.
 *
 * - The engine never runs as root: the helper is started directly when this process already may
 *   capture, else through pkexec or `sudo -n`.
 * - Memory is bounded by a ring limit: when the trace grows past it, its oldest blocks of events
 *   (one store chunk, 65,536 events, at a time) are evicted and counted.
 * - Progress (`capture:progress`: counts, rate, losses, the trace's new bounds) is pushed at most
 *   every `progressIntervalMs`; events never travel with it — the renderer pulls pages and
 *   histograms when it is ready for them, so a slow page cannot be flooded.
 * - A capture that ends badly (the helper killed, tracefs gone, authorization refused) is marked
 *   `failed` with the reason; what it captured stays in its trace.
 */
import { formatFilter } from '../../shared/filter';
import type { CaptureProgress, PushEvents, RequestOf, TraceInfo } from '../../shared/contract';
import type {
  CaptureBackendInfo,
  CaptureBackendName,
  CaptureBackendsInfo,
  CaptureFilterInfo,
  CaptureLost,
  CaptureState,
  CaptureStatus,
  EventInput,
  KernelInfo,
  KernelTableSource,
  TraceMeta,
} from '../../shared/model';
import { isCaptureEnded } from '../../shared/model';
import {
  captureHelperArgs,
  chooseHelperLaunch,
  createCaptureBackends,
  listBackendAvailability,
  probeHelperLaunch,
  reasonNameOf,
  runCaptureHelper,
  systemCaptureHost,
  type CaptureHelperRequest,
  type CaptureHost,
  type HelperLaunchProbe,
  type HelperMessage,
  type HelperProgram,
  type HelperResult,
  type HelperRun,
  type RunCaptureHelperOptions,
} from '../capture';
import type { LoadedTrace } from '../ingest';
import { CHUNK_SIZE, EventStore } from '../store';
import { captureContext } from './captureContext';

/** How the host lets the engine capture. */
export interface LiveCaptureOptions {
  /** How to run `dropscope` as the capture helper; null when this host has none. */
  helperProgram: HelperProgram | null;
  /** Why captures are refused when `helperProgram` is null. */
  unavailableWhy?: string;
  /** The machine (tests pass a fake). */
  host?: CaptureHost;
  /** How the helper is launched (tests); probed on the machine when absent. */
  probe?: HelperLaunchProbe;
  /** Tests: spawns the helper process. */
  spawnProcess?: RunCaptureHelperOptions['spawnProcess'];
  /** Least time between two progress pushes of one capture while it records. */
  progressIntervalMs?: number;
}

/** What the engine gives the captures: where traces go and how progress leaves. */
export interface LiveCaptureHost {
  /** Registers a new trace; returns its id. */
  addTrace(trace: LoadedTrace): string;
  /** Whether the trace is still open (a closed trace stops its capture). */
  hasTrace(traceId: string): boolean;
  /** Tells the engine the trace changed (events, bounds, meta) and returns its fresh info. */
  refreshTrace(traceId: string): TraceInfo;
  push<E extends keyof PushEvents>(event: E, payload: PushEvents[E]): void;
}

/** A failure of a capture call meant for the user. */
export class LiveCaptureError extends Error {}

const DEFAULT_PROGRESS_MS = 250;
/** The window of the drop rate. */
const RATE_WINDOW_MS = 1000;
/** The helper's label of each backend (the helper checks the rest once privileged). */
const BACKEND_LABELS: Record<CaptureBackendName, string> = {
  tracefs: 'tracefs instance (no tool needed)',
  perf: 'perf record | perf script',
  bpftrace: "bpftrace with Dropscope's script",
};
const BACKEND_TOOLS: Record<CaptureBackendName, string | null> = {
  tracefs: null,
  perf: 'perf',
  bpftrace: 'bpftrace',
};

function timestampName(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
}

function kernelOf(meta: TraceMeta): KernelInfo {
  const text = (key: string): string | null => {
    const value = meta[key];
    return typeof value === 'string' ? value : null;
  };
  return {
    release: text('kernelRelease') ?? text('osRelease'),
    table: text('kernelTable'),
    source: (text('kernelSource') ?? 'none') as KernelTableSource,
    detail: text('kernelDetail') ?? 'Reasons come decoded from the running kernel.',
  };
}

/** One capture: its helper, its trace, its counts. */
class LiveCapture {
  state: CaptureState = 'starting';
  backend: CaptureBackendName | null;
  filter: CaptureFilterInfo;
  readonly startedMs = Date.now();
  endedMs: number | null = null;
  received = 0;
  evicted = 0;
  lost: CaptureLost = { total: 0, parts: {} };
  filteredOut = 0;
  skippedLines = 0;
  readonly reasons = new Map<string, number>();
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  error: string | null = null;
  run: HelperRun | null = null;
  stopRequested = false;
  dirty = true;
  ratePerS = 0;
  peakRatePerS = 0;
  private readonly samples: { ms: number; received: number }[] = [];
  timer: NodeJS.Timeout | null = null;

  constructor(
    readonly captureId: string,
    readonly traceId: string,
    readonly trace: LoadedTrace,
    readonly ringLimit: number,
    readonly launch: string,
    request: RequestOf<'capture:start'>,
    filterText: string | null,
  ) {
    this.backend = request.backend;
    this.filter = { text: filterText, kernel: null, kernelWhere: '', user: filterText };
  }

  /** Appends a batch, evicting the oldest blocks past the ring limit. */
  append(events: readonly EventInput[]): void {
    const store = this.trace.store;
    for (const event of events) {
      store.append(event);
      const reason = reasonNameOf(event) ?? '(none)';
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    }
    this.received += events.length;
    if (store.length > this.ringLimit) {
      const chunks = Math.ceil((store.length - this.ringLimit) / CHUNK_SIZE);
      this.evicted += store.evictOldestChunks(chunks);
    }
    this.dirty = true;
  }

  /** Updates the drop rate from the count received so far. */
  sampleRate(now: number): void {
    this.samples.push({ ms: now, received: this.received });
    while (this.samples.length > 2 && now - (this.samples[1]?.ms ?? now) >= RATE_WINDOW_MS)
      this.samples.shift();
    const first = this.samples[0];
    if (!first || now - first.ms < 200) return;
    this.ratePerS = Math.round(((this.received - first.received) * 1000) / (now - first.ms));
    if (this.ratePerS > this.peakRatePerS) this.peakRatePerS = this.ratePerS;
  }

  status(): CaptureStatus {
    const reasons = [...this.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return {
      captureId: this.captureId,
      traceId: this.traceId,
      state: this.state,
      backend: this.backend,
      launch: this.launch,
      filter: this.filter,
      startedAt: new Date(this.startedMs).toISOString(),
      endedAt: this.endedMs === null ? null : new Date(this.endedMs).toISOString(),
      elapsedMs: (this.endedMs ?? Date.now()) - this.startedMs,
      received: this.received,
      inStore: this.trace.store.length,
      evicted: this.evicted,
      ringLimit: this.ringLimit,
      ratePerS: isCaptureEnded(this.state) ? 0 : this.ratePerS,
      peakRatePerS: this.peakRatePerS,
      lost: this.lost,
      filteredOut: this.filteredOut,
      skippedLines: this.skippedLines,
      reasons: Object.fromEntries(reasons),
      warnings: [...this.warnings],
      error: this.error,
    };
  }
}

/** The live captures of one engine; see the file overview. */
export class LiveCaptures {
  private readonly captures = new Map<string, LiveCapture>();
  private readonly host: CaptureHost;
  private nextId = 1;

  constructor(
    private readonly options: LiveCaptureOptions,
    private readonly engine: LiveCaptureHost,
  ) {
    this.host = options.host ?? systemCaptureHost();
  }

  private async probe(): Promise<HelperLaunchProbe> {
    return this.options.probe ?? probeHelperLaunch(this.host);
  }

  /** The backends and whether each can run (after elevation when this process cannot capture). */
  async backends(): Promise<CaptureBackendsInfo> {
    const program = this.options.helperProgram;
    if (program === null) {
      return {
        allowed: false,
        why: this.options.unavailableWhy ?? 'live capture is not available in this build',
        launch: null,
        backends: [],
      };
    }
    const probe = await this.probe();
    const chosen = chooseHelperLaunch(probe, program, []);
    if (probe.privileged) {
      const all = await listBackendAvailability(createCaptureBackends(captureContext(this.host)));
      return {
        allowed: true,
        why: 'this process may capture: the helper runs directly',
        launch: 'direct',
        backends: all.map(({ backend, availability }) => ({
          name: backend.name,
          label: backend.label,
          available: availability.available,
          why: availability.why,
        })),
      };
    }
    if (!chosen.ok) return { allowed: true, why: chosen.error, launch: null, backends: [] };
    const launch = chosen.value.kind;
    const how = launch === 'pkexec' ? 'pkexec (polkit asks for a password)' : 'sudo -n';
    const backends: CaptureBackendInfo[] = [];
    for (const [name, label] of Object.entries(BACKEND_LABELS) as [CaptureBackendName, string][]) {
      const tool = BACKEND_TOOLS[name];
      const path = tool === null ? null : await this.host.which(tool);
      backends.push({
        name,
        label,
        available: tool === null || path !== null,
        why:
          tool === null
            ? `runs as root through ${how}; tracefs is checked once elevated`
            : path === null
              ? `${tool} is not installed`
              : `${path}; runs as root through ${how}`,
      });
    }
    return { allowed: true, why: `captures run as root through ${how}`, launch, backends };
  }

  /** Starts a capture into a new trace. */
  async start(request: RequestOf<'capture:start'>): Promise<CaptureProgress> {
    const program = this.options.helperProgram;
    if (program === null)
      throw new LiveCaptureError(
        this.options.unavailableWhy ?? 'live capture is not available in this build',
      );
    const filterText = request.filter === null ? null : formatFilter(request.filter);
    const helperRequest: CaptureHelperRequest = {
      backend: request.backend,
      durationMs: null,
      count: null,
      filter: filterText,
      bufferKb: request.bufferKb ?? null,
    };
    const probe = await this.probe();
    const chosen = chooseHelperLaunch(probe, program, captureHelperArgs(helperRequest));
    if (!chosen.ok) throw new LiveCaptureError(chosen.error);

    const started = new Date();
    const store = new EventStore();
    const trace: LoadedTrace = {
      file: `capture-${timestampName(started)}.jsonl`,
      format: 'dropscope-jsonl',
      formatLabel: `live capture (${request.backend ?? 'automatic backend'})`,
      compression: 'none',
      store,
      kernel: {
        release: this.host.kernelRelease(),
        table: null,
        source: 'none',
        detail: 'The capture helper decodes reasons with the running kernel.',
      },
      meta: { osRelease: this.host.kernelRelease(), capturedOn: started.toString() },
      skipped: { lines: 0, examples: [] },
      warnings: [],
      aggregates: { drops: 0, locations: {} },
      lines: 0,
      cancelled: false,
      // The helper delivers reason names decoded with the running kernel: nothing to re-decode.
      redecode: () => undefined,
    };
    const traceId = this.engine.addTrace(trace);
    const captureId = `c${this.nextId++}`;
    const capture = new LiveCapture(
      captureId,
      traceId,
      trace,
      request.ringLimit,
      chosen.value.kind,
      request,
      request.filterText ?? filterText,
    );
    if (request.filterText && filterText !== null) capture.filter.user = filterText;
    this.captures.set(captureId, capture);

    const launched = await runCaptureHelper(helperRequest, {
      program,
      probe,
      onBatch: (events) => capture.append(events),
      onMessage: (message) => this.onMessage(capture, message),
      spawnProcess: this.options.spawnProcess,
    });
    if (!launched.ok) {
      capture.state = 'failed';
      capture.error = launched.error;
      capture.endedMs = Date.now();
      this.publish(capture);
      return this.progress(capture);
    }
    capture.run = launched.value;
    void launched.value.done.then((result) => this.finish(capture, result));
    const interval = this.options.progressIntervalMs ?? DEFAULT_PROGRESS_MS;
    capture.timer = setInterval(() => this.tick(capture), interval);
    capture.timer.unref();
    this.publish(capture);
    return this.progress(capture);
  }

  private onMessage(capture: LiveCapture, message: HelperMessage): void {
    switch (message.type) {
      case 'started':
        if (capture.state === 'starting') capture.state = 'recording';
        capture.backend = message.backend as CaptureBackendName;
        capture.trace.formatLabel = `live capture (${message.backend})`;
        capture.filter = {
          text: capture.filter.text,
          kernel: message.kernelFilter,
          kernelWhere: message.filter.kernelWhere,
          user: message.userFilter,
        };
        capture.warnings.push(...message.warnings);
        break;
      case 'progress':
        capture.lost = message.stats.lost;
        capture.filteredOut = message.stats.filteredOut;
        capture.skippedLines = message.stats.skippedLines;
        break;
      case 'error':
        capture.errors.push(message.message);
        break;
      case 'done':
        break;
    }
    capture.dirty = true;
    this.publish(capture);
  }

  /** The periodic progress while the capture runs. */
  private tick(capture: LiveCapture): void {
    capture.sampleRate(Date.now());
    if (capture.dirty) this.publish(capture);
  }

  /** The capture's status and its trace's fresh info. */
  private progress(capture: LiveCapture): CaptureProgress {
    const trace = capture.trace;
    trace.kernel = kernelOf(trace.meta);
    trace.skipped = { lines: capture.skippedLines, examples: trace.skipped.examples };
    return { status: capture.status(), info: this.engine.refreshTrace(capture.traceId) };
  }

  private publish(capture: LiveCapture): void {
    capture.dirty = false;
    if (!this.engine.hasTrace(capture.traceId)) return;
    this.engine.push('capture:progress', this.progress(capture));
  }

  /** The helper exited (asked to, or not): settle the capture's final state. */
  private finish(capture: LiveCapture, result: HelperResult): void {
    if (isCaptureEnded(capture.state)) return;
    if (capture.timer) clearInterval(capture.timer);
    capture.timer = null;
    capture.endedMs = Date.now();
    const summary = result.summary;
    Object.assign(capture.trace.meta, result.meta);
    if (summary) {
      capture.lost = summary.lost;
      capture.filteredOut = summary.filteredOut;
      capture.skippedLines = summary.skipped.lines;
      capture.trace.skipped = summary.skipped;
      const known = new Set(capture.warnings);
      capture.warnings.push(...summary.warnings.filter((warning) => !known.has(warning)));
    }
    capture.trace.warnings = [...capture.warnings];
    const problem = summary?.error ?? capture.errors.join('; ');
    const exited =
      result.signal !== null
        ? `the capture helper was killed (${result.signal})`
        : result.exitCode !== 0
          ? `the capture helper exited with code ${result.exitCode ?? '?'}`
          : null;
    if (summary?.endedBy === 'error' || exited !== null || !capture.stopRequested) {
      capture.state = 'failed';
      const what = problem !== '' ? problem : (exited ?? 'the capture ended before it was stopped');
      capture.error = `${what}; the ${capture.received.toLocaleString('en-US')} drops received are kept`;
    } else {
      capture.state = 'stopped';
    }
    capture.ratePerS = 0;
    this.publish(capture);
  }

  /** Stops a capture and waits for its helper to drain and exit. */
  async stop(captureId: string): Promise<CaptureProgress> {
    const capture = this.captures.get(captureId);
    if (!capture) throw new LiveCaptureError(`no capture ${captureId}`);
    if (!isCaptureEnded(capture.state) && capture.run) {
      capture.stopRequested = true;
      capture.state = 'stopping';
      this.publish(capture);
      const result = await capture.run.stop();
      // `finish` runs from the helper's `done`; make sure it ran before answering.
      if (!isCaptureEnded(capture.state)) this.finish(capture, result);
    }
    return this.progress(capture);
  }

  /** Every capture of this engine whose trace is open. */
  list(): CaptureProgress[] {
    return [...this.captures.values()]
      .filter((capture) => this.engine.hasTrace(capture.traceId))
      .map((capture) => this.progress(capture));
  }

  /** Whether a trace is filled by a capture (running or ended). */
  isCaptureTrace(traceId: string): boolean {
    return [...this.captures.values()].some((capture) => capture.traceId === traceId);
  }

  /** A trace was closed: stop its capture, if any, and forget it. */
  async traceClosed(traceId: string): Promise<void> {
    for (const capture of [...this.captures.values()]) {
      if (capture.traceId !== traceId) continue;
      this.captures.delete(capture.captureId);
      if (!isCaptureEnded(capture.state) && capture.run) {
        capture.stopRequested = true;
        await capture.run.stop();
      }
      if (capture.timer) clearInterval(capture.timer);
    }
  }

  /** Stops every running capture (the engine is closing). */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.captures.values()]
        .filter((capture) => !isCaptureEnded(capture.state))
        .map((capture) => this.stop(capture.captureId)),
    );
  }
}
