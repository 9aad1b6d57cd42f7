/**
 * A `ContractClient` for renderer tests: answers each channel from a handler, records every call,
 * and lets the test push events.
 */
import type {
  Channel,
  ContractClient,
  PushEvent,
  PushEvents,
  RequestOf,
  ResponseOf,
  TraceInfo,
} from '../../../shared/contract';

/** Handlers by channel; a missing handler rejects with "no handler". */
export type FakeHandlers = {
  [C in Channel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

/** The fake client and what it saw. */
export interface FakeClient extends ContractClient {
  calls: { channel: Channel; request: unknown }[];
  callsOf<C extends Channel>(channel: C): RequestOf<C>[];
  push<E extends PushEvent>(event: E, payload: PushEvents[E]): void;
}

/** Creates a fake client answering with `handlers`. */
export function createFakeClient(handlers: FakeHandlers = {}): FakeClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { channel: Channel; request: unknown }[] = [];
  return {
    calls,
    callsOf: <C extends Channel>(channel: C) =>
      calls.filter((call) => call.channel === channel).map((call) => call.request as RequestOf<C>),
    async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      calls.push({ channel, request });
      const handler = handlers[channel];
      if (!handler) throw new Error(`${channel}: no handler in this test`);
      return handler(request);
    },
    subscribe<E extends PushEvent>(event: E, listener: (payload: PushEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => listener(payload as PushEvents[E]);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    push(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

/** A `TraceInfo` with plausible defaults. */
export function traceInfo(overrides: Partial<TraceInfo> = {}): TraceInfo {
  return {
    traceId: 't1',
    file: '/tmp/drops.txt',
    name: 'drops.txt',
    format: 'perf-script',
    formatLabel: 'perf script',
    events: 1000,
    firstNs: 1_000_000_000,
    lastNs: 11_000_000_000,
    kernel: { release: '6.12.0', table: '6.12', source: 'trace-header', detail: 'from the header' },
    meta: {},
    skipped: { lines: 0, examples: [] },
    warnings: [],
    aggregates: { drops: 0, locations: {} },
    hasNumericReasons: false,
    hasCallchains: false,
    ...overrides,
  };
}
