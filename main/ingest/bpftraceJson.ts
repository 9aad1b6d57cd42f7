/**
 * `bpftrace -f json` output: each line a JSON message; `printf` messages carry the text lines
 * the bpftrace parser reads like plain output.
 */

/** What one line of `bpftrace -f json` output carries. */
export type JsonEnvelope =
  { lines: string[] } | { lost: number } | { noise: true } | { bad: string };

/** How every JSON message line starts. */
export const JSON_PREFIX = '{"type"';

/**
 * Unwraps a `bpftrace -f json` line: `{"type": "printf", "data": "comm: 3\n"}` gives its text
 * lines; `lost_events` its count; `attached_probes`, maps, histograms and the like are noise.
 */
export function readJsonEnvelope(text: string): JsonEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { bad: `not valid bpftrace JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null) return { bad: 'not a bpftrace JSON message' };
  const { type, data } = value as { type?: unknown; data?: unknown };
  if (type === 'printf' && typeof data === 'string') {
    return { lines: data.split('\n').filter((line) => line.length > 0) };
  }
  if (type === 'lost_events') {
    const events = (data as { events?: unknown } | null)?.events;
    return { lost: typeof events === 'number' ? events : 0 };
  }
  return { noise: true };
}
