/**
 * Fetches histograms one at a time: at most one request in flight, the latest wish waiting.
 *
 * Motivation: a wheel gesture can change the wanted resolution several times a second; queueing
 * every wish would make the engine compute histograms nobody will see. With one request in
 * flight and a single pending slot (overwritten by each newer wish), the engine works on at most
 * two histograms per gesture and the last one asked for is always the last one fetched.
 */
import type { HistogramResult } from '../../../shared/contract';
import type { HistogramWindow } from './chooseHistogramWindow';

/** One wanted histogram: its cache key, base key, window and the request to send. */
export interface HistogramJob<Request = unknown> {
  readonly key: string;
  readonly baseKey: string;
  readonly window: HistogramWindow;
  readonly request: Request;
}

/** What became of a job. */
export type HistogramOutcome =
  | { readonly ok: true; readonly result: HistogramResult }
  | { readonly ok: false; readonly message: string };

/**
 * Serialises histogram requests (see the file overview).
 *
 * `fetch` sends one request; `onSettled` receives every outcome, including those of jobs that
 * were superseded while in flight (their results are still worth caching). Runs on the renderer
 * thread; all methods are O(1).
 */
export class HistogramFetcher<Request = unknown> {
  private inFlight: HistogramJob<Request> | null = null;
  private pending: HistogramJob<Request> | null = null;
  private generation = 0;

  constructor(
    private readonly fetch: (request: Request) => Promise<HistogramResult>,
    private readonly onSettled: (job: HistogramJob<Request>, outcome: HistogramOutcome) => void,
  ) {}

  /** Key of the request in flight, or null. */
  get inFlightKey(): string | null {
    return this.inFlight?.key ?? null;
  }

  /** Key of the job waiting for the one in flight, or null. */
  get pendingKey(): string | null {
    return this.pending?.key ?? null;
  }

  /**
   * Asks for a histogram: sent now when nothing is in flight, else kept as the one pending job
   * (replacing any older pending job). Asking again for the job in flight does nothing.
   */
  request(job: HistogramJob<Request>): void {
    if (this.inFlight?.key === job.key) {
      this.pending = null;
      return;
    }
    if (this.inFlight) {
      this.pending = job;
      return;
    }
    this.start(job);
  }

  /**
   * Forgets the pending job and ignores the outcome of the one in flight (for a new trace or when
   * the panel goes away).
   */
  reset(): void {
    this.generation++;
    this.inFlight = null;
    this.pending = null;
  }

  private start(job: HistogramJob<Request>): void {
    this.inFlight = job;
    const generation = this.generation;
    const settle = (outcome: HistogramOutcome): void => {
      if (generation !== this.generation) return;
      this.inFlight = null;
      const next = this.pending;
      this.pending = null;
      this.onSettled(job, outcome);
      // onSettled may already have asked for something newer.
      if (next && !this.inFlight && next.key !== job.key) this.start(next);
    };
    this.fetch(job.request).then(
      (result) => settle({ ok: true, result }),
      (error: unknown) => settle({ ok: false, message: messageOf(error) }),
    );
  }
}

/** The user-facing text of a rejection (an Error, a `ContractError` object, or anything). */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string') return message;
  }
  return String(error);
}
