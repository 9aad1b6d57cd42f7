/**
 * What every capture session shares: the batch and stats timers, the abort signal, one stop that
 * is idempotent and never rejects, and the summary. A backend supplies how to shut its source down
 * (drain, clean up) and what was lost.
 */
import type {
  CaptureBackendName,
  CaptureLost,
  CaptureSession,
  CaptureSource,
  CaptureStartOptions,
  CaptureStats,
  CaptureSummary,
  FilterPlacement,
} from './CaptureBackend';
import { MAX_BATCH_MS } from './CaptureBackend';
import type { CaptureSink } from './CaptureSink';

/** Default period of `onStats`. */
export const STATS_INTERVAL_MS = 1000;

/** A session's common machinery; see the file overview. */
export abstract class BaseCaptureSession implements CaptureSession {
  readonly done: Promise<CaptureSummary>;
  private resolveDone: (summary: CaptureSummary) => void = () => undefined;
  private stopping: Promise<CaptureSummary> | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedMs = Date.now();
  private readonly startedAt = new Date(this.startedMs).toISOString();
  private readonly onAbort = (): void => void this.stop();

  protected constructor(
    readonly backend: CaptureBackendName,
    readonly filter: FilterPlacement,
    readonly source: CaptureSource,
    readonly warnings: string[],
    protected readonly options: CaptureStartOptions,
    protected readonly sink: CaptureSink,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Stops producing events, hands over what is buffered, and cleans up. May throw. */
  protected abstract shutdown(): Promise<void>;

  /** The loss counters so far (after `shutdown`, the final ones). */
  protected abstract lost(): CaptureLost;

  abstract cleanupSync(): void;

  /** Starts the timers and listens to the abort signal; call once the source is running. */
  protected begin(): void {
    const flush = setInterval(() => this.sink.flushDue(), Math.max(5, MAX_BATCH_MS / 2));
    flush.unref();
    this.timers.push(flush);
    const options = this.options;
    if (options.onStats) {
      const stats = setInterval(() => {
        this.sink.flush();
        options.onStats?.(this.stats());
      }, options.statsIntervalMs ?? STATS_INTERVAL_MS);
      stats.unref();
      this.timers.push(stats);
    }
    const signal = this.options.signal;
    if (signal?.aborted) void this.stop();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  stats(): CaptureStats {
    return {
      backend: this.backend,
      elapsedMs: Date.now() - this.startedMs,
      events: this.sink.events,
      filteredOut: this.sink.filteredOut,
      reasons: this.sink.reasonCounts(),
      lost: this.lost(),
      skippedLines: this.sink.skippedLines,
    };
  }

  stop(): Promise<CaptureSummary> {
    return this.finish(null);
  }

  /** Ends the session because the source failed; the summary carries `message`. */
  protected fail(message: string): void {
    void this.finish(message);
  }

  /** Whether stop or failure has begun. */
  protected get isStopping(): boolean {
    return this.stopping !== null;
  }

  private finish(error: string | null): Promise<CaptureSummary> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      for (const timer of this.timers) clearInterval(timer);
      this.options.signal?.removeEventListener('abort', this.onAbort);
      let failure = error;
      try {
        await this.shutdown();
      } catch (shutdownError) {
        failure ??= (shutdownError as Error).message;
      }
      this.sink.close();
      const summary: CaptureSummary = {
        ...this.stats(),
        startedAt: this.startedAt,
        stoppedAt: new Date().toISOString(),
        endedBy: failure === null ? 'stop' : 'error',
        error: failure,
        filter: this.filter,
        source: this.source,
        skipped: { lines: this.sink.skippedLines, examples: this.sink.skippedExamples },
        warnings: [...this.warnings, ...this.sink.warnings],
        meta: this.sink.metadata,
      };
      this.resolveDone(summary);
      return summary;
    })();
    return this.stopping;
  }
}
