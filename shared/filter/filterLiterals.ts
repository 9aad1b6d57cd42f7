/**
 * Literal syntax of the filter language, read and written: bare words, quoted strings, numbers,
 * seconds and protocols.
 *
 * The tokenizer, the type checker and `formatFilter` share these definitions so that whatever
 * `formatFilter` prints, the parser reads back to the same value.
 */
import { protocolName } from '../model';

/** Words with a meaning of their own, recognized in any case; quote them to use them as values. */
export const FILTER_KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'in',
  'contains',
  'matches',
]);

/**
 * One character of a bare word, as a regular-expression class (use with the `u` flag): letters,
 * digits, `_ : . - / +`, and combining marks so that accented names stay one word.
 */
export const BARE_WORD_CHARACTER = String.raw`[\p{L}\p{N}\p{M}_:.\-/+]`;

const BARE_WORD = new RegExp(`^${BARE_WORD_CHARACTER}+$`, 'u');
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?(?:\d+|0[xX][0-9a-fA-F]+)$/;
const PLAIN_SECONDS = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Tells whether a word is a keyword (`and`, `or`, `not`, `in`, `contains`, `matches`), any case. */
export function isFilterKeyword(word: string): boolean {
  return FILTER_KEYWORDS.has(word.toLowerCase());
}

/** Tells whether `text` can be written without quotes as a value. */
export function isBareWord(text: string): boolean {
  return BARE_WORD.test(text) && !isFilterKeyword(text);
}

/** Writes `text` as a double-quoted string, escaping `\` and `"`. */
export function quoteFilterString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** Writes `text` bare when that reads back as the same text, else quoted. */
export function formatFilterText(text: string): string {
  return isBareWord(text) ? text : quoteFilterString(text);
}

/**
 * Reads a number: decimal (`2`, `-1`, `2.5`, `1e3`) or hexadecimal (`0x0800`); null otherwise.
 *
 * Values that overflow to infinity are rejected; `-0` reads as `0`.
 */
export function parseFilterNumber(text: string): number | null {
  const hex = HEX.exec(text);
  let value: number;
  if (hex) {
    value = (hex[1] === '-' ? -1 : 1) * Number.parseInt(hex[2] ?? '', 16);
  } else if (DECIMAL.test(text)) {
    value = Number(text);
  } else {
    return null;
  }
  return Number.isFinite(value) ? value + 0 : null;
}

/** Tells whether `text` is a whole number in decimal or `0x` hexadecimal. */
export function isIntegerText(text: string): boolean {
  return INTEGER.test(text);
}

/**
 * Reads seconds (`2.5`, `-0.000001`, `1e-3`, `0x10`) into nanoseconds; null when not a number.
 *
 * Plain decimals are converted digit by digit — whole seconds and the first nine fraction digits
 * as integers, any further digits as a fraction of a nanosecond — so `1.1` gives exactly
 * 1100000000 and `formatNsAsSeconds` output reads back to the same float.
 */
export function parseSecondsAsNs(text: string): number | null {
  const plain = PLAIN_SECONDS.exec(text);
  const whole = plain?.[2] ?? '';
  const fraction = plain?.[3] ?? '';
  if (plain && whole.length + fraction.length > 0) {
    let ns = Number(whole || '0') * 1e9 + Number(fraction.slice(0, 9).padEnd(9, '0'));
    if (fraction.length > 9) ns += Number(`0.${fraction.slice(9)}`);
    if (plain[1] === '-') ns = -ns;
    return Number.isFinite(ns) ? ns + 0 : null;
  }
  const seconds = parseFilterNumber(text);
  if (seconds === null) return null;
  const ns = seconds * 1e9;
  return Number.isFinite(ns) ? ns + 0 : null;
}

/**
 * Writes nanoseconds as seconds without rounding (`2500000000` → `2.5`, `1` → `0.000000001`).
 *
 * Exact for magnitudes below 2^53 ns, including fractions of a nanosecond; larger values are
 * written through float division and may not read back to the same number.
 */
export function formatNsAsSeconds(ns: number): string {
  const magnitude = Math.abs(ns);
  if (!Number.isFinite(ns) || magnitude >= Number.MAX_SAFE_INTEGER) return String(ns / 1e9);
  const wholeNs = Math.trunc(magnitude);
  const subNs = magnitude - wholeNs;
  const nsOfSecond = wholeNs % 1e9;
  const seconds = (wholeNs - nsOfSecond) / 1e9;
  let fraction = String(nsOfSecond).padStart(9, '0');
  if (subNs > 0) {
    const digits = String(subNs);
    fraction += (digits.includes('e') ? subNs.toFixed(20) : digits).slice(2);
  }
  fraction = fraction.replace(/0+$/, '');
  const sign = ns < 0 ? '-' : '';
  return `${sign}${seconds}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * Writes an ethertype: its name when it has one that reads back (`IPv4`), else `0x` hex.
 *
 * Names that look like numbers (`1588`, `80221`) are written in hex, because the parser reads
 * digits as numbers. Negative or fractional values are written as plain numbers.
 */
export function formatProtocolValue(value: number): string {
  if (!Number.isInteger(value) || value < 0) return String(value);
  const name = protocolName(value);
  if (name !== null && !isIntegerText(name) && isBareWord(name)) return name;
  return `0x${value.toString(16).padStart(4, '0')}`;
}
