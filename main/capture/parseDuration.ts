/**
 * Reads capture durations as users write them: `30s`, `500ms`, `2m`, `1h`, `1.5s`, or bare
 * seconds (`30`).
 */

/** The longest capture a duration may ask for: one day. */
export const MAX_DURATION_MS = 24 * 3600 * 1000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration text, or null when it is not one (or is 0, negative, or over a day). */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,9}(?:\.\d{1,6})?)(ms|s|m|h)?$/.exec(text.trim());
  if (match?.[1] === undefined) return null;
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/** `5000` → `5s`, `1500` → `1500ms`: a text `parseDuration` reads back exactly. */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
