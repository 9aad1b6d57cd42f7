/**
 * Completion for the filter bar: what fits at the caret — a field name, an operator, a value of
 * the field being compared (from the trace's counts), or `and`/`or` after a complete comparison.
 *
 * A light scan of the text before the caret, not the parser: it must help while the expression is
 * still incomplete (and so does not parse).
 */
import { formatFilter } from '../../../shared/filter';
import type { EventField } from '../../../shared/model';

/** Field names of the filter language, in the order they are offered. */
export const FILTER_FIELD_NAMES = [
  'reason',
  'location',
  'protocol',
  'comm',
  'cpu',
  'pid',
  'skbaddr',
  'rx_sk',
  'time',
  'reason.value',
  'reason.category',
] as const;

const OPERATORS = ['==', '!=', 'in {', 'contains', 'matches', '<', '<=', '>', '>='] as const;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}_:.\-/+]/u;

/** One suggestion: `label` shows, `insert` replaces `[from, to)` of the text. */
export interface Completion {
  label: string;
  insert: string;
  kind: 'field' | 'operator' | 'value' | 'keyword';
}

/** Suggestions for the word at the caret. */
export interface CompletionResult {
  from: number;
  to: number;
  items: Completion[];
}

/** Known values per field, as the facets counted them (keys of `trace:counts`). */
export type KnownValues = Partial<Record<EventField | 'reason.category', readonly string[]>>;

function columnOf(fieldName: string): EventField | 'reason.category' | null {
  const lower = fieldName.toLowerCase();
  return (FILTER_FIELD_NAMES as readonly string[]).includes(lower)
    ? (lower as EventField | 'reason.category')
    : null;
}

/** Writes a value as the language needs it (bare when possible, else quoted). */
function printValue(field: EventField | 'reason.category', value: string): string {
  const column: EventField = field === 'reason.category' ? 'comm' : field;
  const printed = formatFilter({ kind: 'compare', field: column, op: '==', value });
  return printed.slice(`${column} == `.length);
}

/**
 * The completions at `caret` in `text`, at most `limit` of them.
 *
 * Values match by prefix first, then by substring, case-insensitively. Empty `items` when nothing
 * fits (inside a quoted string, for example).
 */
export function completeFilter(
  text: string,
  caret: number,
  values: KnownValues,
  limit = 12,
): CompletionResult {
  let from = caret;
  while (from > 0 && WORD_CHARACTER.test(text[from - 1] ?? '')) from--;
  let to = caret;
  while (to < text.length && WORD_CHARACTER.test(text[to] ?? '')) to++;
  const prefix = text.slice(from, caret).toLowerCase();
  const before = text.slice(0, from);
  const none: CompletionResult = { from, to, items: [] };

  // Inside a string: no completion.
  if ((before.match(/"/g)?.length ?? 0) % 2 === 1) return none;

  const comparison =
    /([\p{L}\p{N}_.]+)\s*(?:==|!=|<=|>=|<|>|\bcontains\b|\bmatches\b)\s*$/iu.exec(before) ??
    /([\p{L}\p{N}_.]+)\s+(?:not\s+)?in\s*\{[^}]*$/iu.exec(before);
  if (comparison) {
    const field = columnOf(comparison[1] ?? '');
    if (field === null) return none;
    const known = values[field] ?? [];
    const starts = known.filter((value) => value.toLowerCase().startsWith(prefix));
    const inside = known.filter(
      (value) => !value.toLowerCase().startsWith(prefix) && value.toLowerCase().includes(prefix),
    );
    const items = [...starts, ...inside]
      .filter((value) => value !== '(none)')
      .slice(0, limit)
      .map((value) => ({ label: value, insert: printValue(field, value), kind: 'value' as const }));
    return { from, to, items };
  }

  const previousWord = /([\p{L}\p{N}_.]+)\s+$/u.exec(before)?.[1] ?? null;
  const afterField = previousWord !== null && columnOf(previousWord) !== null;
  if (afterField && prefix === '') {
    return {
      from,
      to,
      items: OPERATORS.map((op) => ({ label: op, insert: `${op} `, kind: 'operator' as const })),
    };
  }

  // After a complete comparison (a value, a closing brace): offer the joining keywords.
  const afterValue =
    /(?:==|!=|<=|>=|<|>|\bcontains\b|\bmatches\b)\s*("(?:[^"\\]|\\.)*"|[^\s()]+)\s+$/iu.test(
      before,
    ) || /\}\s+$/.test(before);
  const keywords = afterValue ? ['and', 'or'] : ['not'];
  const fields = afterValue ? [] : FILTER_FIELD_NAMES;
  const items: Completion[] = [
    ...fields
      .filter((name) => name.startsWith(prefix))
      .map((name) => ({ label: name, insert: `${name} `, kind: 'field' as const })),
    ...keywords
      .filter((word) => word.startsWith(prefix) && (prefix !== '' || afterValue))
      .map((word) => ({ label: word, insert: `${word} `, kind: 'keyword' as const })),
  ];
  return { from, to, items: items.slice(0, limit) };
}
