/**
 * Text helpers shared by the report renderers: HTML escaping and number formatting.
 *
 * Formatting is locale-independent (a report reads the same wherever it is made).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * Every string that comes from a trace (comm, location, file names, skipped lines, warnings)
 * goes through this before it reaches the page.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A share in percent with one decimal (`8.6%`); `<0.1%` for tiny non-zero shares. */
export function formatPercent(percent: number): string {
  if (percent > 0 && percent < 0.05) return '<0.1%';
  return `${percent.toFixed(1)}%`;
}

/** `4.800` → `4.8`, `50.0` → `50`. */
function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A duration in the largest fitting unit: `4.816 s`, `50 ms`, `3 min 20.5 s`, `2 h 5 min`. */
export function formatDuration(durationNs: number): string {
  const seconds = durationNs / 1e9;
  if (seconds >= 3600) {
    const hours = Math.floor(seconds / 3600);
    return `${hours} h ${Math.round((seconds - hours * 3600) / 60)} min`;
  }
  if (seconds >= 60) {
    const minutes = Math.floor(seconds / 60);
    return `${minutes} min ${trimZeros((seconds - minutes * 60).toFixed(1))} s`;
  }
  if (seconds >= 1) return `${trimZeros(seconds.toFixed(3))} s`;
  if (durationNs >= 1e6) return `${trimZeros((durationNs / 1e6).toFixed(1))} ms`;
  if (durationNs >= 1e3) return `${trimZeros((durationNs / 1e3).toFixed(1))} µs`;
  return `${Math.round(durationNs)} ns`;
}

/** A rate of drops per second as a bare number with sensible precision (`79.3`, `1,204`). */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return formatCount(Math.round(perSecond));
  if (perSecond >= 1) return perSecond.toFixed(1);
  return perSecond.toFixed(3);
}

/** An axis tick value with as many decimals as the step needs (`0`, `0.5`, `1.2`). */
export function formatAxisValue(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** The smallest 1, 2 or 5 × 10^n that is ≥ `value` (for bucket widths and axis steps). */
export function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= value) return factor * magnitude;
  return 10 * magnitude;
}
