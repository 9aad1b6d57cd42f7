/**
 * Filters over drop events, as a small expression tree.
 *
 * Every UI filter state (facet clicks, chips, brushed range) and every typed filter expression
 * compiles to a `FilterExpr`; the store evaluates it over its columns, testing string predicates
 * once per dictionary entry rather than once per event.
 */
import type { EventField } from './DropEvent';

/** A comparison operator. `<`…`>=` apply to numbers (and to strings lexically). */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal in a filter: strings for string fields, numbers for number fields. */
export type FilterValue = string | number;

/**
 * A node of the filter tree.
 *
 * Values of the `time` field are nanoseconds relative to the trace's first event (the store adds
 * the capture start); `protocol` values are ethertype numbers; `reason` values are canonical
 * names (`NO_SOCKET`, `SUBSYS:NAME`). A null field value matches no positive predicate (and so
 * matches `!=`).
 */
export type FilterExpr =
  | { kind: 'and'; items: readonly FilterExpr[] }
  | { kind: 'or'; items: readonly FilterExpr[] }
  | { kind: 'not'; item: FilterExpr }
  | { kind: 'compare'; field: EventField; op: CompareOp; value: FilterValue }
  | { kind: 'in'; field: EventField; values: readonly FilterValue[] }
  | { kind: 'contains'; field: EventField; text: string }
  | { kind: 'matches'; field: EventField; pattern: string; flags?: string }
  | { kind: 'exists'; field: EventField };

/** A half-open time range `[startNs, endNs)` in the tracer's clock. */
export interface TimeRange {
  startNs: number;
  endNs: number;
}

/** The filter of a query: an optional expression and an optional time range, both must hold. */
export interface FilterSpec {
  expr?: FilterExpr | null;
  timeRange?: TimeRange | null;
}

/** Builds `field in {values}` (include), or its negation (exclude). */
export function includeValues(
  field: EventField,
  values: readonly FilterValue[],
  exclude = false,
): FilterExpr {
  const node: FilterExpr = { kind: 'in', field, values };
  return exclude ? { kind: 'not', item: node } : node;
}

/** Joins expressions with `and`, dropping empty ones; null when nothing is left. */
export function andAll(items: readonly (FilterExpr | null | undefined)[]): FilterExpr | null {
  const present = items.filter((item): item is FilterExpr => item != null);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0] ?? null;
  return { kind: 'and', items: present };
}
