/**
 * Number formatting shared by the panels: counts, bytes, percentages, durations, rates.
 */

const countFormat = new Intl.NumberFormat('en-US');

/** `1234567` → `1,234,567`. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** `0.1234` → `12.3 %` (one decimal; `<0.1 %` for tiny non-zero shares). */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const percent = (part / whole) * 100;
  if (percent > 0 && percent < 0.1) return '<0.1 %';
  return `${percent.toFixed(1)} %`;
}

/** Bytes in B, KiB, MiB, GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A duration in ns as `850 µs`, `12.5 ms`, `3.20 s`, `4 min 12 s`, `2 h 5 min`. */
export function formatDurationNs(durationNs: number): string {
  if (!Number.isFinite(durationNs) || durationNs < 0) return '—';
  if (durationNs < 1e3) return `${Math.round(durationNs)} ns`;
  if (durationNs < 1e6) return `${(durationNs / 1e3).toFixed(durationNs < 1e4 ? 1 : 0)} µs`;
  if (durationNs < 1e9) return `${(durationNs / 1e6).toFixed(durationNs < 1e7 ? 2 : 1)} ms`;
  const seconds = durationNs / 1e9;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}

/** Events per second as `1,234/s`, `3.2/s`, `0.05/s`. */
export function formatRate(events: number, durationNs: number): string {
  if (!(durationNs > 0)) return '—';
  if (events === 0) return '0/s';
  const perSecond = events / (durationNs / 1e9);
  if (perSecond >= 100) return `${formatCount(Math.round(perSecond))}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toPrecision(2)}/s`;
}
