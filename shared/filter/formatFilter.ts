/**
 * Prints a `FilterExpr` as filter text — the inverse of `parseFilter`.
 *
 * The tree is first simplified without changing its meaning (an `and`/`or` of one item is that
 * item; empty `and` is "all events", empty `or` is "no event", and those constants are folded
 * into their parents), then printed with the fewest parentheses that keep its shape: `not` binds
 * tighter than `and`, which binds tighter than `or`, and a nested group of the same kind keeps
 * its parentheses so that it reads back nested.
 */
import type { EventField, FilterExpr, FilterValue } from '../model';
import { assertNever } from '../util';
import {
  formatFilterText,
  formatNsAsSeconds,
  formatProtocolValue,
  quoteFilterString,
} from './filterLiterals';

/** Printed for a filter that matches no event (an empty `or`): a set with nothing in it. */
const MATCHES_NOTHING = 'cpu in {}';

/**
 * Prints `expr` so that `parseFilter` reads it back to an equivalent tree.
 *
 * The tree read back is equal to `expr` after the simplification above, provided the values fit
 * their fields as `parseFilter` produces them (numbers for number fields, canonical reason names
 * known to the vocabulary, finite numbers, flags among i/m/s/u). `time` values are nanoseconds
 * relative to the capture start, printed as seconds (`2500000000` → `2.5`); protocols print as
 * names when known (`IPv4`), else `0x` hex; strings are quoted when they are not bare words.
 * A tree that means "all events" prints as `''`, which parses to null (no filter).
 */
export function formatFilter(expr: FilterExpr): string {
  const simplified = simplify(expr);
  if (simplified === true) return '';
  if (simplified === false) return MATCHES_NOTHING;
  return print(simplified);
}

/** `expr` without one-item groups and constant groups; `true`/`false` when it is a constant. */
function simplify(expr: FilterExpr): FilterExpr | boolean {
  if (expr.kind === 'not') {
    const item = simplify(expr.item);
    return typeof item === 'boolean' ? !item : { kind: 'not', item };
  }
  if (expr.kind !== 'and' && expr.kind !== 'or') return expr;
  // `true` is neutral in an `and` and absorbing in an `or`; `false` the other way round.
  const neutral = expr.kind === 'and';
  const items: FilterExpr[] = [];
  for (const item of expr.items) {
    const simplified = simplify(item);
    if (simplified === neutral) continue;
    if (simplified === !neutral) return !neutral;
    if (typeof simplified !== 'boolean') items.push(simplified);
  }
  const [first] = items;
  if (first === undefined) return neutral;
  return items.length === 1 ? first : { kind: expr.kind, items };
}

function print(expr: FilterExpr): string {
  switch (expr.kind) {
    case 'and':
      return expr.items.map((item) => printOperand(item, 'and')).join(' and ');
    case 'or':
      return expr.items.map((item) => printOperand(item, 'or')).join(' or ');
    case 'not':
      return `not ${printOperand(expr.item, 'not')}`;
    case 'compare':
      return `${expr.field} ${expr.op} ${formatValue(expr.field, expr.value)}`;
    case 'in':
      return `${expr.field} in {${expr.values.map((value) => formatValue(expr.field, value)).join(', ')}}`;
    case 'contains':
      return `${expr.field} contains ${quoteFilterString(expr.text)}`;
    case 'matches': {
      const flags = expr.flags ?? '';
      const pattern = flags === '' ? expr.pattern : `(?${flags})${expr.pattern}`;
      return `${expr.field} matches ${quoteFilterString(pattern)}`;
    }
    case 'exists':
      return expr.field;
    default:
      return assertNever(expr);
  }
}

/** Prints a child, in parentheses when it would otherwise read back with another shape. */
function printOperand(item: FilterExpr, parent: 'and' | 'or' | 'not'): string {
  const text = print(item);
  const grouped =
    item.kind === 'or' || (item.kind === 'and' && (parent === 'and' || parent === 'not'));
  return grouped ? `(${text})` : text;
}

function formatValue(field: EventField, value: FilterValue): string {
  if (typeof value === 'string') return formatFilterText(value);
  if (field === 'time') return formatNsAsSeconds(value);
  if (field === 'protocol') return formatProtocolValue(value);
  return String(value);
}
