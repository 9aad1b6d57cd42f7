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
import { CHUNK_BITS, CHUNK_MASK, CHUNK_SIZE, type Column } from './Column';
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

/**
 * How a leaf's result combines with `out`: `set` writes it, `and` only tests events still at 1
 * (so later clauses of an `and` skip what earlier ones rejected), `or` only those still at 0.
 */
type Combine = 'set' | 'and' | 'or';

/** Applies a per-value test over a numeric column to `out`. Unknown values (-1, NaN) never match. */
function scanNumbers(
  column: Column,
  length: number,
  test: NumberTest,
  out: Uint8Array,
  combine: Combine,
  equals: number | null = null,
): void {
  const skip = combine === 'and' ? 0 : combine === 'or' ? 1 : -1;
  for (let k = 0, base = 0; base < length; k++, base += CHUNK_SIZE) {
    const chunk = column.chunks[k];
    const end = Math.min(CHUNK_SIZE, length - base);
    if (chunk === undefined) {
      // Every value is the column's empty (unknown) value: no match.
      if (combine !== 'or') out.fill(0, base, base + end);
      continue;
    }
    if (equals !== null) {
      // `field == N`, the commonest numeric clause: no call per event.
      for (let j = 0; j < end; j++) {
        if (out[base + j] === skip) continue;
        out[base + j] = chunk[j] === equals ? 1 : 0;
      }
      continue;
    }
    for (let j = 0; j < end; j++) {
      if (out[base + j] === skip) continue;
      const v = chunk[j] as number;
      out[base + j] = v >= 0 && test(v) ? 1 : 0;
    }
  }
}

/** Applies a mask over dictionary ids (`mask[id + 1]`, `mask[0]` for null) to `out`. */
function scanIds(
  column: Column,
  length: number,
  mask: Uint8Array,
  out: Uint8Array,
  combine: Combine,
): void {
  const nullValue = mask[0] as number;
  for (let k = 0, base = 0; base < length; k++, base += CHUNK_SIZE) {
    const chunk = column.chunks[k];
    const end = Math.min(CHUNK_SIZE, length - base);
    if (chunk === undefined) {
      if (combine === 'set') out.fill(nullValue, base, base + end);
      else if (combine === 'and' && nullValue === 0) out.fill(0, base, base + end);
      else if (combine === 'or' && nullValue === 1) out.fill(1, base, base + end);
      continue;
    }
    if (combine === 'set') {
      for (let j = 0; j < end; j++) out[base + j] = mask[(chunk[j] as number) + 1] as number;
    } else if (combine === 'and') {
      for (let j = 0; j < end; j++)
        if (out[base + j] === 1) out[base + j] = mask[(chunk[j] as number) + 1] as number;
    } else {
      for (let j = 0; j < end; j++)
        if (out[base + j] === 0) out[base + j] = mask[(chunk[j] as number) + 1] as number;
    }
  }
}

/** A string or number predicate for one leaf, before it is applied to a column. */
interface LeafTest {
  strings: StringTest;
  numbers: NumberTest;
  /** Whether a null value satisfies the leaf (true only for `!=`). */
  matchesNull: boolean;
  /** For `number == N` (N ≥ 0): N, so scans can compare inline. */
  equals?: number;
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
      const numbers = compareNumbers(expr.op, target);
      if (expr.op === '==' && target >= 0)
        return { strings: () => false, numbers, matchesNull, equals: target };
      return { strings: () => false, numbers, matchesNull };
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

type Leaf = Exclude<FilterExpr, { kind: 'and' | 'or' | 'not' }>;

/** Applies one leaf to `out` under `combine`. */
function applyLeaf(
  store: EventStore,
  expr: Leaf,
  timeOriginNs: number,
  out: Uint8Array,
  combine: Combine,
  negate = false,
): void {
  const length = store.length;
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
    // `not` of a string clause is the same scan with the mask inverted (nulls included).
    if (negate) for (let id = 0; id < mask.length; id++) mask[id] = (mask[id] as number) ^ 1;
    scanIds(column, length, mask, out, combine);
    return;
  }
  if (negate) {
    const part = new Uint8Array(length);
    applyLeaf(store, expr, timeOriginNs, part, 'set');
    for (let i = 0; i < length; i++) part[i] = (part[i] as number) ^ 1;
    combineInto(out, part, combine);
    return;
  }
  if (!test.matchesNull) {
    scanNumbers(column, length, test.numbers, out, combine, test.equals ?? null);
    return;
  }
  // `!=` on a number also matches unknown values.
  const part = new Uint8Array(length);
  scanNumbers(column, length, test.numbers, part, 'set');
  fillUnknown(column, length, part);
  combineInto(out, part, combine);
}

function combineInto(out: Uint8Array, part: Uint8Array, combine: Combine): void {
  const length = out.length;
  if (combine === 'set') out.set(part);
  else if (combine === 'and')
    for (let i = 0; i < length; i++) out[i] = (out[i] as number) & (part[i] as number);
  else for (let i = 0; i < length; i++) out[i] = (out[i] as number) | (part[i] as number);
}

/** Evaluates `expr` into `out` under `combine`. */
function evaluateInto(
  store: EventStore,
  expr: FilterExpr,
  timeOriginNs: number,
  out: Uint8Array,
  combine: Combine,
): void {
  const length = store.length;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      if (expr.items.length === 0) {
        combineInto(out, new Uint8Array(length).fill(expr.kind === 'and' ? 1 : 0), combine);
        return;
      }
      // Children refine one bitmap in place: an `and` child only tests events still selected.
      const own = combine === 'set' ? out : new Uint8Array(length);
      expr.items.forEach((item, index) =>
        evaluateInto(
          store,
          item,
          timeOriginNs,
          own,
          index === 0 ? 'set' : expr.kind === 'and' ? 'and' : 'or',
        ),
      );
      if (own !== out) combineInto(out, own, combine);
      return;
    }
    case 'not': {
      const inner = expr.item;
      if (
        inner.kind !== 'and' &&
        inner.kind !== 'or' &&
        inner.kind !== 'not' &&
        isStringField(inner.field)
      ) {
        applyLeaf(store, inner, timeOriginNs, out, combine, true);
        return;
      }
      const part = new Uint8Array(length);
      evaluateInto(store, expr.item, timeOriginNs, part, 'set');
      for (let i = 0; i < length; i++) part[i] = (part[i] as number) ^ 1;
      combineInto(out, part, combine);
      return;
    }
    case 'compare':
    case 'in':
    case 'contains':
    case 'matches':
    case 'exists':
      applyLeaf(store, expr, timeOriginNs, out, combine);
      return;
    default:
      assertNever(expr, 'Unknown filter node');
  }
}

function evaluate(store: EventStore, expr: FilterExpr, timeOriginNs: number): Uint8Array {
  const out = new Uint8Array(store.length);
  evaluateInto(store, expr, timeOriginNs, out, 'set');
  return out;
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
  const range = filter.timeRange ?? null;
  let [from, to] = [0, length];
  if (range) [from, to] = store.idRangeOfTime(range.startNs, range.endNs);
  const narrowed = range !== null && store.isFullyTimeSorted;
  if (range && !narrowed) {
    // Unsorted time: test every event's time into the bitmap.
    const keep = bitmap ?? new Uint8Array(length).fill(1);
    const chunks = store.columns.timeNs.chunks;
    for (let i = 0; i < length; i++) {
      if (keep[i] === 0) continue;
      const t = chunks[i >>> CHUNK_BITS]?.[i & CHUNK_MASK] ?? Number.NaN;
      if (!(t >= range.startNs && t < range.endNs)) keep[i] = 0;
    }
    return collect(keep, 0, length);
  }
  if (!bitmap) {
    const out = new Uint32Array(Math.max(0, to - from));
    for (let i = 0; i < out.length; i++) out[i] = from + i;
    return out;
  }
  return collect(bitmap, from, to);
}

/** The ids `i` in `[from, to)` with `bitmap[i] === 1`. Two branch-light passes. */
function collect(bitmap: Uint8Array, from: number, to: number): Selection {
  let count = 0;
  for (let i = from; i < to; i++) count += bitmap[i] as number;
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = from; i < to && n < count; i++) if (bitmap[i] === 1) out[n++] = i;
  return out;
}

/** A selection of every event (0 … length-1). */
export function selectAll(store: EventStore): Selection {
  const out = new Uint32Array(store.length);
  for (let i = 0; i < out.length; i++) out[i] = i;
  return out;
}
