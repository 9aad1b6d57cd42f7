/**
 * A `LoadedTrace` around a hand-built store, for report tests that need no file.
 */
import type { LoadedTrace } from '../../../main/engine';
import type { EventInput } from '../../../shared/model';
import { buildStore } from '../../helpers/buildStore';

/** A loaded perf-script trace holding `events`, with `overrides` on top. */
export function loadedTraceOf(
  events: readonly Partial<EventInput>[],
  overrides: Partial<LoadedTrace> = {},
): LoadedTrace {
  return {
    file: 'hand-made.txt',
    format: 'perf-script',
    formatLabel: 'perf script text',
    compression: 'none',
    store: buildStore(events),
    kernel: { release: null, table: null, source: 'none', detail: 'names printed by the tracer' },
    meta: {},
    skipped: { lines: 0, examples: [] },
    warnings: [],
    aggregates: { drops: 0, locations: {} },
    lines: events.length,
    cancelled: false,
    redecode: () => undefined,
    ...overrides,
  };
}

/** `count` events of one reason at one location, 1 ms apart from `startNs`. */
export function eventsOf(
  count: number,
  reason: string | null,
  location: string,
  startNs = 1_000_000_000,
  extra: Partial<EventInput> = {},
): Partial<EventInput>[] {
  return Array.from({ length: count }, (_, i) => ({
    timestampNs: startNs + i * 1_000_000,
    reason,
    location,
    protocol: 0x0800,
    comm: 'python3',
    cpu: 0,
    ...extra,
  }));
}
