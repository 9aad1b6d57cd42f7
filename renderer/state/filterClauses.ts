/**
 * The filter of one trace as a list of clauses that must all hold (the items of a top-level
 * `and`), and the edits the UI makes to it: facet include/exclude, column filters, quick search.
 *
 * Each clause is one chip. A typed expression is split at its top-level `and`s, so
 * `reason in {NO_SOCKET} and cpu == 2` shows two chips, and printing the chips with
 * `formatFilter` gives the expression back. Include chips are `field in {…}` (values of one field
 * are alternatives), exclude chips `not field in {…}`, "has no value" is `not field`.
 */
import type { EventField, FilterExpr, FilterValue, TimeRange } from '../../shared/model';
import { andAll, isStringField, protocolNumber } from '../../shared/model';
import { formatFilter } from '../../shared/filter';

/** The label the store uses for a missing value in counts. */
export const NONE_KEY = '(none)';

/** The clauses of an expression: the items of a top-level `and`, else the expression itself. */
export function splitClauses(expr: FilterExpr | null): FilterExpr[] {
  if (expr === null) return [];
  return expr.kind === 'and' ? [...expr.items] : [expr];
}

/** The expression of a clause list: their `and`, or null when there is none. */
export function joinClauses(clauses: readonly (FilterExpr | null)[]): FilterExpr | null {
  return andAll(clauses);
}

/**
 * The filter value of a count key from `trace:counts` (null for "(none)").
 *
 * Counts label protocols by name or `0x…` hex and cpus by number; filters want numbers for both.
 */
export function facetValue(field: EventField, key: string): FilterValue | null {
  if (key === NONE_KEY) return null;
  if (isStringField(field)) return key;
  if (field === 'protocol') {
    const named = protocolNumber(key);
    if (named !== null) return named;
    if (/^0x[0-9a-f]+$/i.test(key)) return Number.parseInt(key, 16);
  }
  const value = Number(key);
  return Number.isFinite(value) ? value : key;
}

function sameValue(field: EventField, a: FilterValue, b: FilterValue): boolean {
  if (field === 'reason' && typeof a === 'string' && typeof b === 'string') {
    return a.toUpperCase() === b.toUpperCase();
  }
  return a === b;
}

/** The values of an include (`in`, `==`) or exclude (`not in`, `!=`) clause on `field`, else null. */
export function clauseValues(
  clause: FilterExpr,
  field: EventField,
  exclude: boolean,
): readonly FilterValue[] | null {
  const inner = exclude ? (clause.kind === 'not' ? clause.item : null) : clause;
  if (inner?.kind === 'in' && inner.field === field) return inner.values;
  if (clause.kind === 'compare' && clause.field === field) {
    if (clause.op === (exclude ? '!=' : '==')) return [clause.value];
  }
  return null;
}

function valuesClause(
  field: EventField,
  values: readonly FilterValue[],
  exclude: boolean,
): FilterExpr | null {
  if (values.length === 0) return null;
  const node: FilterExpr = { kind: 'in', field, values };
  return exclude ? { kind: 'not', item: node } : node;
}

/** Removes `value` from the first include or exclude clause of `field` that holds it. */
function withoutValue(
  clauses: readonly FilterExpr[],
  field: EventField,
  value: FilterValue,
  exclude: boolean,
): FilterExpr[] {
  const out: FilterExpr[] = [];
  for (const clause of clauses) {
    const values = clauseValues(clause, field, exclude);
    if (values && values.some((v) => sameValue(field, v, value))) {
      const kept = valuesClause(
        field,
        values.filter((v) => !sameValue(field, v, value)),
        exclude,
      );
      if (kept) out.push(kept);
    } else {
      out.push(clause);
    }
  }
  return out;
}

function isPresenceClause(clause: FilterExpr, field: EventField, negated: boolean): boolean {
  const inner = negated ? (clause.kind === 'not' ? clause.item : null) : clause;
  return inner?.kind === 'exists' && inner.field === field;
}

/** Whether `value` of `field` is currently included (or excluded, with `exclude`). */
export function hasValue(
  clauses: readonly FilterExpr[],
  field: EventField,
  value: FilterValue | null,
  exclude: boolean,
): boolean {
  if (value === null) {
    // Including "(none)" is `not field`; excluding it is `field` (the field is present).
    return clauses.some((clause) => isPresenceClause(clause, field, !exclude));
  }
  return clauses.some((clause) =>
    (clauseValues(clause, field, exclude) ?? []).some((v) => sameValue(field, v, value)),
  );
}

/**
 * Toggles one facet value: includes it (a click) or excludes it (alt-click), or removes it when
 * it already is. Including a value removes its exclusion and the other way round. Values of one
 * field join the field's existing clause (`reason in {A, B}`).
 */
export function toggleValue(
  clauses: readonly FilterExpr[],
  field: EventField,
  value: FilterValue | null,
  exclude: boolean,
): FilterExpr[] {
  if (value === null) {
    const present = !exclude;
    const target = clauses.filter((c) => !isPresenceClause(c, field, present));
    if (target.length !== clauses.length) return target;
    const rest = clauses.filter((c) => !isPresenceClause(c, field, !present));
    const exists: FilterExpr = { kind: 'exists', field };
    return [...rest, exclude ? exists : { kind: 'not', item: exists }];
  }
  if (hasValue(clauses, field, value, exclude)) return withoutValue(clauses, field, value, exclude);
  const rest = withoutValue(clauses, field, value, !exclude);
  const index = rest.findIndex((clause) => clauseValues(clause, field, exclude) !== null);
  if (index < 0) return [...rest, valuesClause(field, [value], exclude) as FilterExpr];
  const existing = clauseValues(rest[index] as FilterExpr, field, exclude) ?? [];
  const merged = valuesClause(field, [...existing, value], exclude) as FilterExpr;
  return rest.map((clause, i) => (i === index ? merged : clause));
}

/** The kind of column filter a field gets in the grid: text `contains`, or number `==`. */
export function columnFilterKind(field: EventField): 'contains' | 'equals' {
  return field === 'cpu' || field === 'pid' || field === 'reason.value' || field === 'time'
    ? 'equals'
    : 'contains';
}

function isColumnClause(clause: FilterExpr, field: EventField): boolean {
  return columnFilterKind(field) === 'contains'
    ? clause.kind === 'contains' && clause.field === field
    : clause.kind === 'compare' && clause.op === '==' && clause.field === field;
}

/** The text of a field's column filter in the clauses (its first `contains` / `==`), or null. */
export function columnFilterOf(clauses: readonly FilterExpr[], field: EventField): string | null {
  const clause = clauses.find((c) => isColumnClause(c, field));
  if (!clause) return null;
  if (clause.kind === 'contains') return clause.text;
  if (clause.kind === 'compare') return String(clause.value);
  return null;
}

/**
 * Sets (or with null/empty text, removes) a field's column filter: `field contains "text"` for
 * text columns, `field == N` for number columns (text that is no number is ignored). Reason names
 * are upper case, so reason text is upper-cased.
 */
export function setColumnFilter(
  clauses: readonly FilterExpr[],
  field: EventField,
  text: string | null,
): FilterExpr[] {
  const trimmed = text?.trim() ?? '';
  let clause: FilterExpr | null = null;
  if (trimmed !== '') {
    if (columnFilterKind(field) === 'contains') {
      clause = {
        kind: 'contains',
        field,
        text: field === 'reason' ? trimmed.toUpperCase() : trimmed,
      };
    } else {
      const value = Number(trimmed);
      if (Number.isFinite(value)) clause = { kind: 'compare', field, op: '==', value };
    }
  }
  const index = clauses.findIndex((c) => isColumnClause(c, field));
  if (index < 0) return clause ? [...clauses, clause] : [...clauses];
  if (!clause) return clauses.filter((_, i) => i !== index);
  return clauses.map((c, i) => (i === index ? clause : c));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Fields the quick search looks in. */
export const QUICK_SEARCH_FIELDS: readonly EventField[] = ['location', 'comm', 'reason'];

/**
 * The quick search as a filter: any of location, comm or reason contains the text, ignoring
 * case (a case-insensitive `matches` on the escaped text). Null for blank text.
 */
export function quickSearchExpr(text: string): FilterExpr | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const pattern = escapeRegExp(trimmed);
  return {
    kind: 'or',
    items: QUICK_SEARCH_FIELDS.map((field) => ({ kind: 'matches', field, pattern, flags: 'i' })),
  };
}

/**
 * A time range as clauses on `time` (seconds from the first event), for printing the whole
 * filter as one expression.
 */
export function timeRangeClauses(range: TimeRange | null, firstNs: number | null): FilterExpr[] {
  if (range === null) return [];
  const origin = firstNs ?? 0;
  return [
    { kind: 'compare', field: 'time', op: '>=', value: range.startNs - origin },
    { kind: 'compare', field: 'time', op: '<', value: range.endNs - origin },
  ];
}

/** The whole filter (chips, quick search, time range) as one expression text. */
export function printWholeFilter(
  clauses: readonly FilterExpr[],
  quickSearch: string,
  timeRange: TimeRange | null,
  firstNs: number | null,
): string {
  const expr = joinClauses([
    ...clauses,
    quickSearchExpr(quickSearch),
    ...timeRangeClauses(timeRange, firstNs),
  ]);
  return expr === null ? '' : formatFilter(expr);
}

/** What a chip shows for one clause. */
export interface ClauseLabel {
  /** The field, when the clause is about one field's values. */
  field: EventField | null;
  /** `is`, `is not`, `contains`, … or null for a free expression. */
  verb: string | null;
  /** The values or the expression text. */
  text: string;
  /** Whether the chip excludes (drawn differently). */
  isExclude: boolean;
}

/** How a clause reads on a chip. Anything that is not a simple field test shows as its text. */
export function labelClause(clause: FilterExpr): ClauseLabel {
  const printValues = (values: readonly FilterValue[], field: EventField): string => {
    const text = formatFilter({ kind: 'in', field, values });
    return text.slice(text.indexOf('{') + 1, -1);
  };
  switch (clause.kind) {
    case 'in':
      return {
        field: clause.field,
        verb: 'is',
        text: printValues(clause.values, clause.field),
        isExclude: false,
      };
    case 'not':
      if (clause.item.kind === 'in') {
        return {
          field: clause.item.field,
          verb: 'is not',
          text: printValues(clause.item.values, clause.item.field),
          isExclude: true,
        };
      }
      if (clause.item.kind === 'exists') {
        return { field: clause.item.field, verb: 'is', text: 'missing', isExclude: false };
      }
      break;
    case 'compare':
      if (clause.op === '==' || clause.op === '!=') {
        return {
          field: clause.field,
          verb: clause.op === '==' ? 'is' : 'is not',
          text: printValues([clause.value], clause.field),
          isExclude: clause.op === '!=',
        };
      }
      break;
    case 'contains':
      return { field: clause.field, verb: 'contains', text: clause.text, isExclude: false };
    case 'exists':
      return { field: clause.field, verb: 'is', text: 'present', isExclude: false };
    case 'and':
    case 'or':
    case 'matches':
      break;
  }
  return { field: null, verb: null, text: formatFilter(clause), isExclude: false };
}
