/**
 * The registry of capture backends and automatic selection: the first available backend in the
 * order of `CAPTURE_BACKEND_NAMES` (tracefs needs no tool and reads fastest; perf; bpftrace).
 * Adding a backend: one file here plus one line below.
 */
import { BpftraceBackend } from './BpftraceBackend';
import type { CaptureAvailability, CaptureBackend, CaptureBackendName } from './CaptureBackend';
import type { CaptureContext } from './CaptureHost';
import { PerfBackend } from './PerfBackend';
import { TracefsBackend } from './TracefsBackend';

/** Every backend, in selection order, over one context. */
export function createCaptureBackends(context: CaptureContext): readonly CaptureBackend[] {
  return [new TracefsBackend(context), new PerfBackend(context), new BpftraceBackend(context)];
}

/** A backend with its availability. */
export interface BackendAvailability {
  backend: CaptureBackend;
  availability: CaptureAvailability;
}

/** Asks every backend whether it can capture here (in order). */
export async function listBackendAvailability(
  backends: readonly CaptureBackend[],
): Promise<BackendAvailability[]> {
  const results: BackendAvailability[] = [];
  // One after the other: the first may mount tracefs, which the others then find.
  for (const backend of backends)
    results.push({ backend, availability: await backend.availability() });
  return results;
}

/** The outcome of choosing: the backend, or every backend's reason when none fits. */
export type BackendChoice =
  | { ok: true; backend: CaptureBackend; availability: CaptureAvailability }
  | { ok: false; why: string; all: BackendAvailability[] };

/**
 * Chooses `name`, or the first available backend when `name` is null. Fails with the list of
 * backends and their reasons when the chosen one (or every one) is unavailable.
 */
export async function chooseCaptureBackend(
  backends: readonly CaptureBackend[],
  name: CaptureBackendName | null,
): Promise<BackendChoice> {
  if (name !== null) {
    const backend = backends.find((b) => b.name === name);
    if (!backend) return { ok: false, why: `no backend named ${name}`, all: [] };
    const availability = await backend.availability();
    if (availability.available) return { ok: true, backend, availability };
    const all = await listBackendAvailability(backends);
    return { ok: false, why: `the ${name} backend is not available: ${availability.why}`, all };
  }
  const all = await listBackendAvailability(backends);
  const first = all.find((entry) => entry.availability.available);
  if (first) return { ok: true, backend: first.backend, availability: first.availability };
  return { ok: false, why: 'no capture backend is available', all };
}

/** The availability list as text lines (`tracefs   available   …`). */
export function formatBackendList(all: readonly BackendAvailability[]): string {
  return all
    .map(
      ({ backend, availability }) =>
        `  ${backend.name.padEnd(9)} ${availability.available ? 'available    ' : 'unavailable  '}${availability.why}`,
    )
    .join('\n');
}
