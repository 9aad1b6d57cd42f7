/**
 * The engine: every loaded trace and the queries over it, behind the `trace:*` and `kernel:*`
 * channels of the contract.
 *
 * Runs on one thread (the engine worker in the app and browser mode, in-process in tests); all
 * methods are async so that a load yields between chunks and a `trace:cancel` can reach it.
 * Requests are assumed validated (main/api parses them with the contract's schemas).
 */
import { basename } from 'node:path';
import type {
  Channel,
  CompareRow,
  HistogramResult,
  PushEvents,
  RequestOf,
  ResponseOf,
  TraceInfo,
} from '../../shared/contract';
import type { FilterSpec } from '../../shared/model';
import { readTrace, type LoadedTrace } from '../ingest';
import { listReasonTables } from '../kernel';
import { FilterEvaluationError, TraceQueries } from '../store';
import { computeStats } from './computeStats';
import { exportView, ExportError } from './exportView';
import { readLineAt } from './readLineAt';
import { summarizeTrace } from './summarizeTrace';
import { LiveCaptureError, LiveCaptures, type LiveCaptureOptions } from './LiveCaptures';

/** How the host sets the engine up. */
export interface EngineOptions {
  /** Live capture: how to run the helper (null or absent: captures are refused). */
  capture?: LiveCaptureOptions;
}

/** The channels the engine implements. */
export type EngineChannel = Exclude<
  Channel,
  'app:info' | 'app:recent' | 'trace:openSample' | 'app:chooseSavePath'
>;

/** A failure meant for the user (bad filter, unknown trace, unreadable file). */
export class EngineError extends Error {}

interface OpenTrace {
  info: TraceInfo;
  trace: LoadedTrace;
  queries: TraceQueries;
}

/** Sends push events (load progress) to whoever hosts the engine. */
export type PushSink = <E extends keyof PushEvents>(event: E, payload: PushEvents[E]) => void;

/** The engine's state and its channel handlers. */
export class Engine {
  private readonly traces = new Map<string, OpenTrace>();
  private readonly loads = new Map<string, AbortController>();
  private nextId = 1;
  private readonly captures: LiveCaptures;

  constructor(
    private readonly push: PushSink = () => undefined,
    options: EngineOptions = {},
  ) {
    this.captures = new LiveCaptures(options.capture ?? { helperProgram: null }, {
      addTrace: (trace) => this.addTrace(trace),
      hasTrace: (traceId) => this.traces.has(traceId),
      refreshTrace: (traceId) => {
        const open = this.get(traceId);
        open.info = this.infoOf(traceId, open.trace);
        return open.info;
      },
      push: (event, payload) => this.push(event, payload),
    });
  }

  /** Registers a loaded (or filling) trace under a new id. */
  private addTrace(trace: LoadedTrace): string {
    const traceId = `t${this.nextId++}`;
    const info = this.infoOf(traceId, trace);
    this.traces.set(traceId, { info, trace, queries: new TraceQueries(trace.store) });
    return traceId;
  }

  /** Stops every running capture (before the host exits). */
  stopCaptures(): Promise<void> {
    return this.captures.stopAll();
  }

  /** Runs one channel. Throws EngineError for failures meant for the user. */
  async handle<C extends EngineChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const handler = this.handlers[channel] as (
      request: RequestOf<C>,
    ) => Promise<ResponseOf<C>> | ResponseOf<C>;
    try {
      return await handler(request);
    } catch (error) {
      if (
        error instanceof FilterEvaluationError ||
        error instanceof ExportError ||
        error instanceof LiveCaptureError
      )
        throw new EngineError(error.message);
      throw error;
    }
  }

  private get(traceId: string): OpenTrace {
    const open = this.traces.get(traceId);
    if (!open) throw new EngineError(`no open trace ${traceId} (it was closed?)`);
    return open;
  }

  private infoOf(traceId: string, trace: LoadedTrace): TraceInfo {
    const store = trace.store;
    const bounds = store.timeBounds;
    return {
      traceId,
      file: trace.file,
      name: basename(trace.file),
      format: trace.format,
      formatLabel: trace.formatLabel,
      events: store.length,
      firstNs: bounds?.firstNs ?? null,
      lastNs: bounds?.lastNs ?? null,
      kernel: trace.kernel,
      meta: trace.meta,
      skipped: trace.skipped,
      warnings: trace.warnings,
      aggregates: trace.aggregates,
      hasNumericReasons: store.valuesNeedingDecode().length > 0,
      hasCallchains: store.columns.callchain.hasData,
    };
  }

  /** Loads a file (path already vetted by the caller) and returns its info. */
  private async open(request: RequestOf<'trace:open'>): Promise<TraceInfo> {
    const loadId = request.loadId ?? `load-${this.nextId}`;
    const controller = new AbortController();
    this.loads.set(loadId, controller);
    const progress = (
      p: { bytesRead: number; totalBytes: number; events: number },
      done: boolean,
    ): void => this.push('trace:loadProgress', { loadId, file: request.path, ...p, done });
    try {
      const result = await readTrace(request.path, {
        format: request.format ?? null,
        kernelRelease: request.kernel ?? null,
        signal: controller.signal,
        onProgress: (p) => progress(p, false),
      });
      if (!result.ok) throw new EngineError(result.error);
      const traceId = this.addTrace(result.value);
      const info = this.get(traceId).info;
      progress({ bytesRead: 0, totalBytes: 0, events: info.events }, true);
      return info;
    } finally {
      this.loads.delete(loadId);
    }
  }

  private histogram(request: RequestOf<'trace:histogram'>): HistogramResult {
    const { queries } = this.get(request.traceId);
    const result = queries.histogram(request);
    return {
      ...result,
      series: result.series.map((s) => ({
        key: s.key,
        total: s.total,
        counts: Array.from(s.counts),
      })),
    };
  }

  private compare(request: RequestOf<'trace:compare'>): ResponseOf<'trace:compare'> {
    const a = this.get(request.a);
    const b = this.get(request.b);
    const rows = (field: 'reason' | 'location'): CompareRow[] => {
      const countsA = new Map(
        a.queries.counts(request.filter, field).entries.map((e) => [e.key, e.count]),
      );
      const countsB = new Map(
        b.queries.counts(request.filter, field).entries.map((e) => [e.key, e.count]),
      );
      const keys = new Set([...countsA.keys(), ...countsB.keys()]);
      return [...keys]
        .map((key) => {
          const x = countsA.get(key) ?? 0;
          const y = countsB.get(key) ?? 0;
          return { key, a: x, b: y, delta: y - x };
        })
        .sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta) || (p.key < q.key ? -1 : 1));
    };
    const total = (open: OpenTrace, filter: FilterSpec): number =>
      open.queries.select(filter).length;
    return {
      a: { traceId: request.a, name: a.info.name, events: total(a, request.filter) },
      b: { traceId: request.b, name: b.info.name, events: total(b, request.filter) },
      reasons: rows('reason'),
      locations: rows('location'),
    };
  }

  private readonly handlers: {
    [C in EngineChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
  } = {
    'kernel:tables': () =>
      listReasonTables().map((table) => ({ kernel: table.kernel, kind: table.kind })),
    'trace:open': (request) => this.open(request),
    'trace:list': () => [...this.traces.values()].map((open) => open.info),
    'trace:close': async (request) => {
      await this.captures.traceClosed(request.traceId);
      this.traces.delete(request.traceId);
      return null;
    },
    'trace:cancel': (request) => {
      this.loads.get(request.loadId)?.abort();
      return null;
    },
    'trace:summary': (request) => {
      const open = this.get(request.traceId);
      return summarizeTrace(open.trace, request.filter, open.queries);
    },
    'trace:page': (request) => {
      if (request.end - request.start > 10_000)
        throw new EngineError('a page holds at most 10000 rows');
      return this.get(request.traceId).queries.page(request);
    },
    'trace:histogram': (request) => this.histogram(request),
    'trace:counts': (request) =>
      this.get(request.traceId).queries.counts(request.filter, request.field, request.limit),
    'trace:crossCounts': (request) =>
      this.get(request.traceId).queries.crossCounts(
        request.filter,
        request.fieldA,
        request.fieldB,
        request.limit,
      ),
    'trace:packet': (request) => this.get(request.traceId).queries.eventsOfSkbaddr(request.skbaddr),
    'trace:rawLine': (request) => {
      const open = this.get(request.traceId);
      if (open.trace.format === 'perf-data' || open.trace.format === 'trace-dat') return null;
      // A live capture's events came through a pipe: there is no file to read lines from.
      if (this.captures.isCaptureTrace(request.traceId)) return null;
      return readLineAt(open.trace.file, request.line);
    },
    'trace:redecode': (request) => {
      const open = this.get(request.traceId);
      open.trace.redecode(request.kernel);
      open.info = this.infoOf(request.traceId, open.trace);
      return open.info;
    },
    'trace:compare': (request) => this.compare(request),
    'capture:backends': () => this.captures.backends(),
    'capture:start': (request) => this.captures.start(request),
    'capture:stop': (request) => this.captures.stop(request.captureId),
    'capture:list': () => this.captures.list(),
    'trace:stats': (request) => computeStats(this.get(request.traceId).trace, request.filter),
    'report:export': async (request) => {
      const open = this.get(request.traceId);
      const written = await exportView(open.trace, open.queries, request, (payload) =>
        this.push('report:exportProgress', payload),
      );
      // The host knows where the file goes (download id, file name): it completes the answer.
      return { ...written, downloadId: null, fileName: basename(written.path) };
    },
  };
}
