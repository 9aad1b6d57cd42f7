/**
 * Test doubles for the timeline: a recording 2D context, a manual animation-frame queue and a
 * scriptable contract client.
 */
import type {
  Channel,
  ContractClient,
  HistogramResult,
  RequestOf,
  ResponseOf,
} from '../../../../shared/contract';
import type { TimelineEnvironment } from '../../../../renderer/panels/timeline/TimelineController';

/** One recorded context call. */
export interface ContextCall {
  method: string;
  args: unknown[];
}

/** A 2D context that records every method call and accepts every property. */
export function recordingContext(): { ctx: CanvasRenderingContext2D; calls: ContextCall[] } {
  const calls: ContextCall[] = [];
  const state: Record<string | symbol, unknown> = {};
  const ctx = new Proxy(state, {
    get(target, property) {
      if (property in target) return target[property];
      if (property === 'measureText')
        return (text: string) => ({ width: text.length * 6 }) as TextMetrics;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
      };
    },
    set(target, property, value) {
      target[property] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

/** Animation frames that run only when the test says so. */
export class ManualFrames {
  private queue = new Map<number, () => void>();
  private next = 1;

  readonly request = (callback: () => void): number => {
    const handle = this.next++;
    this.queue.set(handle, callback);
    return handle;
  };

  readonly cancel = (handle: number): void => {
    this.queue.delete(handle);
  };

  get pending(): number {
    return this.queue.size;
  }

  /** Runs the frames queued so far (frames they queue wait for the next call). */
  run(): void {
    const callbacks = [...this.queue.values()];
    this.queue.clear();
    for (const callback of callbacks) callback();
  }
}

/** A test environment with manual frames and a recording context. */
export function testEnvironment(): {
  environment: TimelineEnvironment;
  frames: ManualFrames;
  calls: ContextCall[];
} {
  const frames = new ManualFrames();
  const { ctx, calls } = recordingContext();
  return {
    frames,
    calls,
    environment: {
      requestFrame: frames.request,
      cancelFrame: frames.cancel,
      devicePixelRatio: () => 2,
      contextOf: () => ctx,
      themeOf: () => ({
        text: '#111111',
        muted: '#666666',
        grid: '#dddddd',
        accent: '#2f6fde',
        halo: 'rgba(255, 255, 255, 0.85)',
        font: '11px sans-serif',
      }),
    },
  };
}

/** A histogram request as the fake client saw it. */
export interface SeenHistogramRequest {
  traceId: string;
  filter: unknown;
  startNs: number;
  bucketNs: number;
  buckets: number;
  splitBy?: string | null;
  maxSeries?: number;
}

/** A contract client whose `trace:histogram` calls wait until the test resolves them. */
export class FakeHistogramClient implements ContractClient {
  readonly requests: SeenHistogramRequest[] = [];
  private readonly waiting: {
    request: SeenHistogramRequest;
    resolve: (result: HistogramResult) => void;
    reject: (error: unknown) => void;
  }[] = [];

  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (channel !== 'trace:histogram') return Promise.reject(new Error(`unexpected ${channel}`));
    const seen = request as SeenHistogramRequest;
    this.requests.push(seen);
    return new Promise<HistogramResult>((resolve, reject) => {
      this.waiting.push({ request: seen, resolve, reject });
    }) as Promise<ResponseOf<C>>;
  }

  subscribe(): () => void {
    return () => undefined;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.waiting.length;
  }

  /** Answers the oldest waiting request with series built by `make` (default: one event per bucket). */
  async answer(
    make: (request: SeenHistogramRequest) => HistogramResult['series'] = (request) => [
      {
        key: 'NO_SOCKET',
        total: request.buckets,
        counts: new Array<number>(request.buckets).fill(1),
      },
    ],
  ): Promise<void> {
    const next = this.waiting.shift();
    if (!next) throw new Error('no histogram request is waiting');
    const { request } = next;
    next.resolve({
      startNs: request.startNs,
      bucketNs: request.bucketNs,
      buckets: request.buckets,
      series: make(request),
      outside: 0,
    });
    await flushPromises();
  }

  /** Fails the oldest waiting request. */
  async fail(message: string): Promise<void> {
    const next = this.waiting.shift();
    if (!next) throw new Error('no histogram request is waiting');
    next.reject({ message });
    await flushPromises();
  }
}

/** Lets settled promises run their callbacks. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
