/**
 * Live capture as both processes see it: the backends, the running counts of a session, and the
 * status of a capture in the app (what `capture:progress` carries).
 */

/** The backends, in the order automatic selection tries them. */
export const CAPTURE_BACKENDS = ['tracefs', 'perf', 'bpftrace'] as const;

/** A name of `CAPTURE_BACKENDS`. */
export type CaptureBackendName = (typeof CAPTURE_BACKENDS)[number];

/** Events lost before they reached Dropscope, as the kernel or the tool counted them. */
export interface CaptureLost {
  /** The sum of `parts`. */
  total: number;
  /** Each counter by name (`overrun`, `dropped events`, `perf LOST records`, `bpftrace Lost`). */
  parts: Record<string, number>;
}

/** The running counts of a capture session. */
export interface CaptureStats {
  backend: CaptureBackendName;
  elapsedMs: number;
  /** Events delivered (after the user-space filter). */
  events: number;
  /** Events read but rejected by the user-space part of the filter. */
  filteredOut: number;
  /** Delivered events per reason name (`UNKNOWN(n)` for a number without a name, `(none)` without reason). */
  reasons: Record<string, number>;
  lost: CaptureLost;
  /** Lines of tool output that could not be read as events. */
  skippedLines: number;
}

/** One backend as the Record dialog lists it. */
export interface CaptureBackendInfo {
  name: CaptureBackendName;
  /** A short human label (`tracefs instance (no tool needed)`). */
  label: string;
  /** Whether it can capture here (possibly after elevation: see `elevated`). */
  available: boolean;
  /** Why (or why not), in words. */
  why: string;
}

/** What `capture:backends` answers. */
export interface CaptureBackendsInfo {
  /** Whether this host lets the UI capture at all (browser mode needs `serve --capture`). */
  allowed: boolean;
  /** Why not, when `allowed` is false; how the helper will be started otherwise. */
  why: string;
  /** How the privileged helper is launched: directly, through pkexec or sudo; null when it cannot be. */
  launch: 'direct' | 'pkexec' | 'sudo' | null;
  backends: CaptureBackendInfo[];
}

/** Where each part of a capture's filter runs, as text for the user. */
export interface CaptureFilterInfo {
  /** The whole filter as the user wrote it; null without a filter. */
  text: string | null;
  /** The part the kernel evaluates, in the backend's own syntax; null when none. */
  kernel: string | null;
  /** Where the kernel part runs (`tracefs event filter`, `perf record --filter` …). */
  kernelWhere: string;
  /** The part evaluated in user space, as an expression; null when none. */
  user: string | null;
}

/**
 * The life of a capture: `starting` (the helper is launching, perhaps waiting for a password),
 * `recording`, `stopping` (draining the kernel buffer), then `stopped` (on request) or `failed`
 * (it could not start, or it ended badly: the helper was killed, tracefs disappeared). What was
 * captured stays in its trace in every case.
 */
export type CaptureState = 'starting' | 'recording' | 'stopping' | 'stopped' | 'failed';

/** Whether a capture state is final. */
export function isCaptureEnded(state: CaptureState): boolean {
  return state === 'stopped' || state === 'failed';
}

/** The status of one capture (sent with every `capture:progress`). */
export interface CaptureStatus {
  captureId: string;
  /** The trace the capture fills. */
  traceId: string;
  state: CaptureState;
  /** The backend that runs (the requested one until the helper says which it chose). */
  backend: CaptureBackendName | null;
  /** How the helper was launched (`direct`, `pkexec`, `sudo`). */
  launch: string;
  filter: CaptureFilterInfo;
  /** ISO time the capture started; the time it ended, or null while it runs. */
  startedAt: string;
  endedAt: string | null;
  /** Milliseconds since the start (to the end once ended). */
  elapsedMs: number;
  /** Events received from the helper (all of them, including evicted ones). */
  received: number;
  /** Events in the trace now (received minus evicted). */
  inStore: number;
  /** Events dropped from the start of the trace to stay under `ringLimit`. */
  evicted: number;
  ringLimit: number;
  /** Drops per second over the last second, and the highest such rate so far. */
  ratePerS: number;
  peakRatePerS: number;
  /** Lost before Dropscope saw them, as the kernel or the tool counted them. */
  lost: CaptureLost;
  /** Read but rejected by the user-space part of the filter. */
  filteredOut: number;
  /** Tool output lines that could not be read. */
  skippedLines: number;
  /** Received events per reason. */
  reasons: Record<string, number>;
  /** Notes for the user (cleanup done, filter fallbacks, tool messages). */
  warnings: string[];
  /** What went wrong, when `state` is `failed`. */
  error: string | null;
}
