/**
 * The contract of a live capture backend: availability with a reason, and a session that streams
 * normalized events in batches, counts them per reason, reports what the kernel or the tool lost,
 * and cleans up after itself.
 *
 * A backend reads `skb:kfree_skb` from the running kernel through one mechanism (a tracefs
 * instance, `perf record`, `bpftrace`) and feeds the matching `main/ingest` parser line by line;
 * what reaches the caller is `EventInput` batches (never one call per event), periodic stats, and
 * a summary when the session ends.
 */
import type {
  CaptureBackendName,
  CaptureLost,
  CaptureStats,
  EventInput,
  FilterExpr,
  SkippedSummary,
  TraceFormatName,
  TraceMeta,
} from '../../shared/model';
import { CAPTURE_BACKENDS } from '../../shared/model';

/** The backends, in the order automatic selection tries them (shared with the renderer). */
export const CAPTURE_BACKEND_NAMES = CAPTURE_BACKENDS;

export type { CaptureBackendName, CaptureLost, CaptureStats };

/** Tells whether a string names a capture backend. */
export function isCaptureBackendName(value: string): value is CaptureBackendName {
  return (CAPTURE_BACKEND_NAMES as readonly string[]).includes(value);
}

/** Whether a backend can capture here, and why (or why not), in words for the user. */
export interface CaptureAvailability {
  available: boolean;
  why: string;
}

/** Default kernel buffer per CPU, in KiB. */
export const DEFAULT_BUFFER_KB = 8192;

/** Largest batch handed to `onBatch`, in events. */
export const MAX_BATCH_EVENTS = 4096;
/** Longest an event waits in a batch before it is handed over, in milliseconds. */
export const MAX_BATCH_MS = 50;

/** What the caller gives `start`. */
export interface CaptureStartOptions {
  /**
   * The display filter. The part the kernel can evaluate is pushed down (tracefs event filter,
   * `perf record --filter`, a bpftrace predicate); the rest runs in user space on each event.
   */
  filter?: FilterExpr | null;
  /**
   * Receives events in batches of at most `MAX_BATCH_EVENTS`, each at most `MAX_BATCH_MS` old.
   * The events are the caller's to keep.
   */
  onBatch(events: readonly EventInput[]): void;
  /** Receives the running counts about once per `statsIntervalMs` (default 1000). */
  onStats?(stats: CaptureStats): void;
  statsIntervalMs?: number;
  /** Aborting it stops the capture (the same as `stop()`). */
  signal?: AbortSignal;
  /** Kernel buffer per CPU in KiB (tracefs `buffer_size_kb`, perf `-m`, bpftrace ring pages). */
  bufferKb?: number;
  /**
   * An upper bound in seconds after which a tool backend ends on its own, so that a crash of this
   * process cannot leave `perf` or `bpftrace` running (tracefs instances are cleaned at next start).
   */
  maxDurationS?: number;
}

/** Where each part of the filter ran. */
export interface FilterPlacement {
  /** The kernel-side part in the backend's own syntax; null when nothing runs in the kernel. */
  kernelText: string | null;
  /** The kernel-side part as a display-filter expression; null when none. */
  kernel: FilterExpr | null;
  /** The part evaluated in user space on each event; null when none. */
  user: FilterExpr | null;
  /** Where the kernel part runs (`tracefs event filter`, `perf record --filter`, `bpftrace predicate`). */
  kernelWhere: string;
}

/** How the session's events were produced, for the header of a saved capture. */
export interface CaptureSource {
  /** The text format the backend parses (`ftrace`, `perf-script`, `bpftrace`). */
  format: TraceFormatName;
  /** What ran (`tracefs instance /sys/kernel/tracing/instances/dropscope-…`, a perf command line). */
  command: string;
  /** `printed` when the tracer printed reason names, `decoded` when numbers were decoded here. */
  reasonNames: 'printed' | 'decoded';
  /** Where the running kernel's reason numbering came from; null when it could not be read. */
  reasonTable: string | null;
  /**
   * The clock of `timestampNs`: `mono` (CLOCK_MONOTONIC, what every backend asks for, so captures
   * of different backends line up) or the tracer's default when it could not be set.
   */
  clock: string;
  /** Whether the tracepoint has a `reason` field (Linux 5.17+) and an `rx_sk` field (6.11+). */
  hasReason: boolean;
  hasRxSk: boolean;
}

/** The account of a finished session. */
export interface CaptureSummary extends CaptureStats {
  startedAt: string;
  stoppedAt: string;
  /** `stop` when stopped on request (stop(), the signal); `error` when the backend failed. */
  endedBy: 'stop' | 'error';
  /** What went wrong when `endedBy` is `error`. */
  error: string | null;
  filter: FilterPlacement;
  source: CaptureSource;
  skipped: SkippedSummary;
  /** Notes for the user: cleanup done, a filter that fell back to user space, tool messages. */
  warnings: string[];
  /** What the tool said about itself while parsing (perf header, bpftrace layout …). */
  meta: TraceMeta;
}

/** A running capture. */
export interface CaptureSession {
  readonly backend: CaptureBackendName;
  readonly filter: FilterPlacement;
  readonly source: CaptureSource;
  /** Notes from the start (stale instances removed, filter fallbacks). */
  readonly warnings: readonly string[];
  /** The counts so far. */
  stats(): CaptureStats;
  /** Stops, hands over the last batch, cleans up; resolves with the summary. Idempotent. */
  stop(): Promise<CaptureSummary>;
  /** Resolves when the session ended, by `stop()` or by failure; never rejects. */
  readonly done: Promise<CaptureSummary>;
  /**
   * Last-resort synchronous cleanup for a process about to exit (an `exit` handler): removes the
   * tracefs instance or kills the tool. Delivers nothing more.
   */
  cleanupSync(): void;
}

/** One way of capturing live drops. */
export interface CaptureBackend {
  readonly name: CaptureBackendName;
  /** A short human label (`tracefs instance (no tool needed)`). */
  readonly label: string;
  /** Whether it can capture here, and why not (not root, tool missing, tracepoint missing …). */
  availability(): Promise<CaptureAvailability>;
  /** Starts capturing; resolves once drops are being recorded. Rejects with `CaptureError`. */
  start(options: CaptureStartOptions): Promise<CaptureSession>;
}

/** A capture that could not start or run; the message is for the user. */
export class CaptureError extends Error {}
