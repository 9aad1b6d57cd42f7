/**
 * Evaluates a `FilterSpec` over the store's columns into a selection of event ids.
 *
 * Each node of the expression yields a byte-per-event bitmap; string predicates are evaluated
 * once per dictionary entry (a mask over the dictionary) and then looked up per event, so
 * `location contains "udp"` costs one string test per distinct location. A time range on a
 * time-sorted store narrows the scan by binary search.
 *
 * Motivation: a three-clause filter over 10 M events is three tight loops over typed arrays
 * (see `npm run bench` for the measured figure) instead of 10 M closure trees.
 */
import type { EventField, FilterExpr, FilterSpec, FilterValue } from '../../shared/model';
import { formatProtocol, isStringField, protocolNumber } from '../../shared/model';
import { assertNever } from '../../shared/util';
import { CHUNK_SIZE, type Column } from './Column';
import type { EventStore } from './EventStore';

/** Event ids in increasing order. */
export type Selection = Uint32Array;

/** Thrown for a filter that cannot be evaluated (bad regex, wrong value type); message is for users. */
export class FilterEvaluationError extends Error {}

type StringTest = (value: string) => boolean;
type NumberTest = (value: number) => boolean;

function compareStrings(op: string, target: string): StringTest {
  switch (op) {
    case '==':
      return (v) => v === target;
    case '!=':
      return (v) => v !== target;
    case '<':
      return (v) => v < target;
    case '<=':
      return (v) => v <= target;
    case '>':
      return (v) => v > target;
    case '>=':
      return (v) => v >= target;
    default:
      throw new FilterEvaluationError(`unknown operator ${op}`);
  }
}

function compareNumbers(op: string, target: number): NumberTest {
  switch (op) {
    case '==':
      return (v) => v === target;
    case '!=':
      return (v) => v !== target;
    case '<':
      return (v) => v < target;
    case '<=':
      return (v) => v <= target;
    case '>':
      return (v) => v > target;
    case '>=':
      return (v) => v >= target;
    default:
      throw new FilterEvaluationError(`unknown operator ${op}`);
  }
}

function toNumber(field: EventField, value: FilterValue): number {
  if (typeof value === 'number') return value;
  if (field === 'protocol') {
    const named = protocolNumber(value);
    if (named !== null) return named;
  }
  const parsed = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value, 16) : Number(value);
  if (value.trim() === '' || Number.isNaN(parsed)) {
    throw new FilterEvaluationError(`${field} takes a number, not "${value}"`);
  }
  return parsed;
}

function makeRegExp(pattern: string, flags: string | undefined): RegExp {
  try {
    return new RegExp(pattern, flags ?? '');
  } catch (error) {
    throw new FilterEvaluationError(`invalid regular expression: ${(error as Error).message}`);
  }
}

/** Fills `out[i]` for every event from a per-value test over a numeric column. */
function scanNumbers(column: Column, length: number, test: NumberTest, out: Uint8Array): void {
  const emptyMatches = test(column.empty) && !Number.isNaN(column.empty) && column.empty >= 0;
  for (let k = 0, base = 0; base < length; k++, base += CHUNK_SIZE) {
    const chunk = column.chunks[k];
    const end = Math.min(CHUNK_SIZE, length - base);
    if (chunk === undefined) {
      if (emptyMatches) out.fill(1, base, base + end);
      continue;
    }
    for (let j = 0; j < end; j++) {
      const v = chunk[j] as number;
      // Unknown values (-1, NaN) never satisfy a comparison.
      if (v >= 0 && test(v)) out[base + j] = 1;
    }
  }
}

/** Fills `out[i]` from a mask over dictionary ids (`mask[id + 1]`, `mask[0]` for null). */
function scanIds(column: Column, length: number, mask: Uint8Array, out: Uint8Array): void {
  const nullMatches = mask[0] === 1;
  for (let k = 0, base = 0; base < length; k++, base += CHUNK_SIZE) {
    const chunk = column.chunks[k];
    const end = Math.min(CHUNK_SIZE, length - base);
    if (chunk === undefined) {
      if (nullMatches) out.fill(1, base, base + end);
      continue;
    }
    for (let j = 0; j < end; j++) out[base + j] = mask[(chunk[j] as number) + 1] as number;
  }
}

/** A string or number predicate for one leaf, before it is applied to a column. */
interface LeafTest {
  strings: StringTest;
  numbers: NumberTest;
  /** Whether a null value satisfies the leaf (true only for `!=`). */
  matchesNull: boolean;
}

function leafTest(expr: Exclude<FilterExpr, { kind: 'and' | 'or' | 'not' }>): LeafTest {
  const field = expr.field;
  switch (expr.kind) {
    case 'compare': {
      const matchesNull = expr.op === '!=';
      if (isStringField(field)) {
        return {
          strings: compareStrings(expr.op, String(expr.value)),
          numbers: () => false,
          matchesNull,
        };
      }
      const target = toNumber(field, expr.value);
      return { strings: () => false, numbers: compareNumbers(expr.op, target), matchesNull };
    }
    case 'in': {
      if (isStringField(field)) {
        const set = new Set(expr.values.map(String));
        return { strings: (v) => set.has(v), numbers: () => false, matchesNull: false };
      }
      const set = new Set(expr.values.map((v) => toNumber(field, v)));
      return { strings: () => false, numbers: (v) => set.has(v), matchesNull: false };
    }
    case 'contains': {
      const text = expr.text;
      return {
        strings: (v) => v.includes(text),
        numbers: (v) => numberText(field, v).includes(text),
        matchesNull: false,
      };
    }
    case 'matches': {
      const regexp = makeRegExp(expr.pattern, expr.flags);
      return {
        strings: (v) => regexp.test(v),
        numbers: (v) => regexp.test(numberText(field, v)),
        matchesNull: false,
      };
    }
    case 'exists':
      return { strings: () => true, numbers: () => true, matchesNull: false };
    default:
      return assertNever(expr, 'Unknown filter node');
  }
}

function numberText(field: EventField, value: number): string {
  return field === 'protocol' ? formatProtocol(value) : String(value);
}

function evaluate(store: EventStore, expr: FilterExpr, timeOriginNs: number): Uint8Array {
  const length = store.length;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      if (expr.items.length === 0) return new Uint8Array(length).fill(expr.kind === 'and' ? 1 : 0);
      const parts = expr.items.map((item) => evaluate(store, item, timeOriginNs));
      const out = parts[0] as Uint8Array;
      for (const part of parts.slice(1)) {
        if (expr.kind === 'and')
          for (let i = 0; i < length; i++) out[i] = (out[i] as number) & (part[i] as number);
        else for (let i = 0; i < length; i++) out[i] = (out[i] as number) | (part[i] as number);
      }
      return out;
    }
    case 'not': {
      const out = evaluate(store, expr.item, timeOriginNs);
      for (let i = 0; i < length; i++) out[i] = (out[i] as number) ^ 1;
      return out;
    }
    case 'compare':
    case 'in':
    case 'contains':
    case 'matches':
    case 'exists': {
      const out = new Uint8Array(length);
      const { column, dictionary } = store.fieldColumn(expr.field);
      // `time` in expressions is relative to the first event.
      const leaf =
        expr.field === 'time' && expr.kind !== 'exists' ? shiftTime(expr, timeOriginNs) : expr;
      const test = leafTest(leaf);
      if (dictionary) {
        const values = dictionary.all();
        const mask = new Uint8Array(values.length + 1);
        mask[0] = test.matchesNull ? 1 : 0;
        for (let id = 0; id < values.length; id++)
          mask[id + 1] = test.strings(values[id] as string) ? 1 : 0;
        scanIds(column, length, mask, out);
      } else {
        scanNumbers(column, length, test.numbers, out);
        if (test.matchesNull) fillUnknown(column, length, out);
      }
      return out;
    }
  }
}

function shiftTime<T extends Exclude<FilterExpr, { kind: 'and' | 'or' | 'not' }>>(
  expr: T,
  originNs: number,
): T {
  if (expr.kind === 'compare') return { ...expr, value: toNumber('time', expr.value) + originNs };
  if (expr.kind === 'in')
    return { ...expr, values: expr.values.map((v) => toNumber('time', v) + originNs) };
  return expr;
}

function fillUnknown(column: Column, length: number, out: Uint8Array): void {
  for (let i = 0; i < length; i++) {
    const v = column.get(i);
    if (!(v >= 0)) out[i] = 1;
  }
}

/** Returns `[from, to)` event ids to scan for a time range: narrowed when the store is sorted. */
function timeWindow(store: EventStore, startNs: number, endNs: number): [number, number] {
  if (!store.isTimeSorted || store.timedCount !== store.length) return [0, store.length];
  const time = store.columns.timeNs;
  const lowerBound = (target: number): number => {
    let lo = 0;
    let hi = store.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time.get(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lowerBound(startNs), lowerBound(endNs)];
}

/**
 * Ids of the events that pass `filter`, in increasing order.
 *
 * `null`/empty filters select every event. Throws FilterEvaluationError for an invalid regex or
 * a non-numeric value on a numeric field. O(events × nodes).
 */
export function selectEvents(store: EventStore, filter: FilterSpec): Selection {
  const length = store.length;
  const origin = store.timeBounds?.firstNs ?? 0;
  const bitmap = filter.expr ? evaluate(store, filter.expr, origin) : null;
  let [from, to] = [0, length];
  const range = filter.timeRange;
  if (range) [from, to] = timeWindow(store, range.startNs, range.endNs);
  const time = store.columns.timeNs;
  let count = 0;
  const keep = (i: number): boolean => {
    if (bitmap && bitmap[i] === 0) return false;
    if (range) {
      const t = time.get(i);
      if (!(t >= range.startNs && t < range.endNs)) return false;
    }
    return true;
  };
  for (let i = from; i < to; i++) if (keep(i)) count++;
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = from; i < to; i++) if (keep(i)) out[n++] = i;
  return out;
}

/** A selection of every event (0 … length-1). */
export function selectAll(store: EventStore): Selection {
  const out = new Uint32Array(store.length);
  for (let i = 0; i < out.length; i++) out[i] = i;
  return out;
}
