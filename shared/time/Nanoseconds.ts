/**
 * Time values in nanoseconds, branded so that seconds and nanoseconds cannot be mixed up.
 *
 * Stored as a JS number (float64): exact up to 2^53 ns (about 104 days of uptime), which covers
 * the monotonic clocks the tracers print. Larger values keep their magnitude with reduced
 * sub-microsecond precision.
 */
export type Nanoseconds = number & { readonly __unit: 'ns' };

/** Brands a plain number of nanoseconds. */
export function nanoseconds(value: number): Nanoseconds {
  return value as Nanoseconds;
}

/**
 * Parses a decimal seconds string such as `6875.302268` or `6875.302268123` into nanoseconds.
 *
 * Integer and fraction are parsed separately so that no float rounding creeps into the
 * nanosecond digits. Returns NaN for anything that is not `digits[.digits]`.
 */
export function parseSecondsToNs(text: string): Nanoseconds {
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return Number.NaN as Nanoseconds;
  const fractionNs = fraction.length === 0 ? 0 : Number((fraction + '000000000').slice(0, 9));
  return (Number(whole) * 1e9 + fractionNs) as Nanoseconds;
}

/** Formats nanoseconds as seconds with microsecond precision, like perf script prints them. */
export function formatSeconds(ns: number, digits = 6): string {
  if (!Number.isFinite(ns)) return '';
  return (ns / 1e9).toFixed(digits);
}
