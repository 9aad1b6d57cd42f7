/**
 * The type checker: turns one parsed comparison (`field op value…`) into a `FilterExpr` node.
 *
 * Each field kind takes its own values (see `FilterField`): numbers for `cpu`, `pid` and
 * `reason.value`; seconds for `time` (compiled to nanoseconds relative to the capture start);
 * names or numbers for `protocol`; known reason names for `reason`; category names for
 * `reason.category`; any word or string for the text fields. `contains` and `matches` apply to
 * the text fields, `reason`, and `protocol` (which the store tests by name, `0x…` when unnamed). Failures throw `FilterSyntaxError`
 * at the operand or operator at fault; `parseFilter` catches it.
 */
import type { CompareOp, EventField, FilterExpr, FilterValue } from '../model';
import { protocolName, protocolNumber } from '../model';
import { assertNever, invariant } from '../util';
import { FilterSyntaxError } from './FilterError';
import type { FilterField } from './filterFields';
import type { FilterVocabulary } from './FilterVocabulary';
import {
  isIntegerText,
  parseFilterNumber,
  parseSecondsAsNs,
  quoteFilterString,
} from './filterLiterals';
import { nearestNames } from './nearestNames';

/** An operator as written after a field; `exists` is a field on its own. */
export type FilterOperator = CompareOp | 'in' | 'not in' | 'contains' | 'matches' | 'exists';

/** A value as written: a bare word or the content of a quoted string, and where it starts. */
export interface FilterOperand {
  text: string;
  quoted: boolean;
  start: number;
}

/** One comparison as the parser read it, before type checking. */
export interface FilterComparison {
  field: FilterField;
  fieldStart: number;
  operator: FilterOperator;
  operatorText: string;
  operatorStart: number;
  /** One operand for comparisons, contains and matches; the set for in; none for exists. */
  operands: readonly FilterOperand[];
}

const REASON_PREFIX = 'SKB_DROP_REASON_';
const ORDERING_OPERATORS: ReadonlySet<FilterOperator> = new Set(['<', '<=', '>', '>=']);
const REGEX_FLAGS = 'imsu';
const TEXT_FIELDS = 'comm, skbaddr, rx_sk, location, reason, protocol';

/**
 * Type-checks a comparison and compiles it.
 *
 * `time` values become `{ field: 'time', value: seconds × 1e9 }`: nanoseconds *relative to the
 * capture start*, which the store adds before comparing with its timestamps. `reason` names are
 * normalized to the canonical upper-case name without the `SKB_DROP_REASON_` prefix; a
 * subsystem reason written without its subsystem resolves to the one `SUBSYS:NAME` that has it.
 */
export function compileComparison(
  comparison: FilterComparison,
  vocabulary: FilterVocabulary,
): FilterExpr {
  const { field, operator } = comparison;
  switch (field.kind) {
    case 'unavailable':
      throw new FilterSyntaxError(comparison.fieldStart, 'a field name', field.whyUnavailable);
    case 'category':
      return compileCategory(comparison, vocabulary);
    case 'time':
    case 'number':
    case 'protocol':
    case 'text':
    case 'reason':
      break;
    default:
      return assertNever(field);
  }
  const column = field.column;
  const only = (): FilterOperand => firstOperand(comparison);
  switch (operator) {
    case 'exists':
      return { kind: 'exists', field: column };
    case 'in':
      return { kind: 'in', field: column, values: convertAll(comparison, vocabulary) };
    case 'not in':
      return {
        kind: 'not',
        item: { kind: 'in', field: column, values: convertAll(comparison, vocabulary) },
      };
    case 'contains':
      requireTextField(comparison);
      return { kind: 'contains', field: column, text: only().text };
    case 'matches':
      requireTextField(comparison);
      return compileMatches(column, only());
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (field.kind === 'reason' && ORDERING_OPERATORS.has(operator)) {
        throw new FilterSyntaxError(
          comparison.operatorStart,
          "'==', '!=', 'in', 'contains' or 'matches'",
          `reason names have no order: compare them with ==, !=, in, contains or matches`,
        );
      }
      return {
        kind: 'compare',
        field: column,
        op: operator,
        value: convertValue(field, only(), vocabulary),
      };
    default:
      return assertNever(operator);
  }
}

/** Canonical form of a reason name: upper case, without the `SKB_DROP_REASON_` prefix. */
export function canonicalReasonName(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith(REASON_PREFIX) ? upper.slice(REASON_PREFIX.length) : upper;
}

interface ReasonLookup {
  /** Canonical names in vocabulary order, without repeats. */
  names: readonly string[];
  known: ReadonlySet<string>;
  /** `NAME` → every `SUBSYS:NAME` of the vocabulary, to resolve a subsystem reason written bare. */
  qualified: ReadonlyMap<string, readonly string[]>;
}

// Keyed by the vocabulary's array so that typing in a filter bar does not rebuild the set.
const reasonLookups = new WeakMap<readonly string[], ReasonLookup>();

/** The vocabulary's reason names in canonical form, built once per `reasonNames` array. */
export function reasonLookupOf(vocabulary: FilterVocabulary): ReasonLookup {
  const cached = reasonLookups.get(vocabulary.reasonNames);
  if (cached) return cached;
  const known = new Set(vocabulary.reasonNames.map(canonicalReasonName));
  const qualified = new Map<string, string[]>();
  for (const name of known) {
    const colon = name.indexOf(':');
    if (colon < 0) continue;
    const local = name.slice(colon + 1);
    qualified.set(local, [...(qualified.get(local) ?? []), name]);
  }
  const lookup = { names: [...known], known, qualified };
  reasonLookups.set(vocabulary.reasonNames, lookup);
  return lookup;
}

let protocolNames: readonly string[] | null = null;

/** Every named ethertype, for suggestions (built on first use: 65,536 lookups). */
function allProtocolNames(): readonly string[] {
  if (protocolNames === null) {
    const names: string[] = [];
    for (let value = 0; value <= 0xffff; value++) {
      const name = protocolName(value);
      if (name !== null) names.push(name);
    }
    protocolNames = names;
  }
  return protocolNames;
}

function firstOperand(comparison: FilterComparison): FilterOperand {
  const operand = comparison.operands[0];
  invariant(operand !== undefined, `'${comparison.operatorText}' read without an operand`);
  return operand;
}

function convertAll(comparison: FilterComparison, vocabulary: FilterVocabulary): FilterValue[] {
  const { field } = comparison;
  if (field.kind === 'category' || field.kind === 'unavailable') return [];
  return comparison.operands.map((operand) => convertValue(field, operand, vocabulary));
}

function convertValue(
  field: Extract<FilterField, { kind: 'time' | 'number' | 'protocol' | 'text' | 'reason' }>,
  operand: FilterOperand,
  vocabulary: FilterVocabulary,
): FilterValue {
  switch (field.kind) {
    case 'text':
      return operand.text;
    case 'time': {
      const ns = parseSecondsAsNs(operand.text);
      if (ns === null) {
        throw new FilterSyntaxError(
          operand.start,
          'a number of seconds',
          `time takes seconds since the capture start (such as 2.5), found ${show(operand)}`,
        );
      }
      return ns;
    }
    case 'number': {
      const value = parseFilterNumber(operand.text);
      if (value === null) {
        throw new FilterSyntaxError(
          operand.start,
          'a number',
          `${field.name} takes a number, found ${show(operand)}`,
        );
      }
      return value;
    }
    case 'protocol':
      return convertProtocol(operand);
    case 'reason':
      return convertReason(operand, vocabulary);
    default:
      return assertNever(field.kind);
  }
}

function convertProtocol(operand: FilterOperand): number {
  // Digits are numbers even where an ethertype is named by digits (`1588`); see formatProtocolValue.
  if (isIntegerText(operand.text)) {
    const value = parseFilterNumber(operand.text);
    if (value !== null) return value;
  }
  const named = protocolNumber(operand.text);
  if (named !== null) return named;
  const message =
    parseFilterNumber(operand.text) !== null
      ? `protocol takes a whole number or a name such as IPv4, found ${show(operand)}`
      : `unknown protocol ${show(operand)}${didYouMean(nearestNames(operand.text, allProtocolNames(), 3, 3))}`;
  throw new FilterSyntaxError(operand.start, 'a protocol name or number', message);
}

function convertReason(operand: FilterOperand, vocabulary: FilterVocabulary): string {
  if (parseFilterNumber(operand.text) !== null) {
    throw new FilterSyntaxError(
      operand.start,
      'a reason name',
      `reason takes a name such as NO_SOCKET, found ${show(operand)} — compare numbers with reason.value`,
    );
  }
  const name = canonicalReasonName(operand.text);
  const lookup = reasonLookupOf(vocabulary);
  if (lookup.known.size === 0 || lookup.known.has(name)) return name;
  // Subsystem reason names are unique across subsystems, so `RX_DROP_U_MIC_FAIL` names one.
  const qualified = lookup.qualified.get(name);
  if (qualified?.length === 1 && qualified[0] !== undefined) return qualified[0];
  const suggestions = nearestNames(name, lookup.names, 3);
  throw new FilterSyntaxError(
    operand.start,
    'a known reason name',
    `unknown reason ${show(operand)}${didYouMean(suggestions)}`,
  );
}

function compileCategory(comparison: FilterComparison, vocabulary: FilterVocabulary): FilterExpr {
  const { operator } = comparison;
  if (operator === 'exists') {
    throw new FilterSyntaxError(
      comparison.fieldStart,
      "'==', '!=' or 'in'",
      'reason.category needs a comparison, such as reason.category == <category>',
    );
  }
  if (operator !== '==' && operator !== '!=' && operator !== 'in' && operator !== 'not in') {
    throw new FilterSyntaxError(
      comparison.operatorStart,
      "'==', '!=' or 'in'",
      `reason.category takes ==, != or in, not '${comparison.operatorText}'`,
    );
  }
  if (vocabulary.categoryReasons === undefined) {
    throw new FilterSyntaxError(
      comparison.fieldStart,
      'a field name',
      'reason.category is not available: the reason list has no categories',
    );
  }
  const names = new Set<string>();
  for (const operand of comparison.operands) {
    const reasons = vocabulary.categoryReasons(operand.text);
    if (reasons === null) {
      throw new FilterSyntaxError(
        operand.start,
        'a reason category',
        `unknown reason category ${show(operand)}`,
      );
    }
    for (const reason of reasons) names.add(canonicalReasonName(reason));
  }
  const node: FilterExpr = { kind: 'in', field: 'reason', values: [...names] };
  return operator === '!=' || operator === 'not in' ? { kind: 'not', item: node } : node;
}

/** contains/matches test text: text fields, and `protocol` by its name (`contains "IPv"`). */
function requireTextField(comparison: FilterComparison): void {
  const { field } = comparison;
  if (field.kind === 'text' || field.kind === 'reason' || field.kind === 'protocol') return;
  const what = field.kind === 'time' ? 'a number of seconds' : 'a number';
  throw new FilterSyntaxError(
    comparison.operatorStart,
    "'==', '!=', '<', '<=', '>', '>=' or 'in'",
    `'${comparison.operatorText}' applies to text fields (${TEXT_FIELDS}); ${field.name} is ${what}`,
  );
}

/** `(?flags)` at the start of a pattern, Wireshark/PCRE style, carries the RegExp flags. */
const FLAGS_PREFIX = /^\(\?([A-Za-z]+)\)/;

function compileMatches(column: EventField, operand: FilterOperand): FilterExpr {
  let pattern = operand.text;
  let flags = '';
  const prefix = FLAGS_PREFIX.exec(pattern);
  if (prefix) {
    flags = prefix[1] ?? '';
    pattern = pattern.slice(prefix[0].length);
    for (const [index, flag] of [...flags].entries()) {
      if (!REGEX_FLAGS.includes(flag) || flags.indexOf(flag) !== index) {
        throw new FilterSyntaxError(
          operand.start,
          'the flags i, m, s or u',
          `unsupported regular expression flag '${flag}' in '(?${flags})' — use each of i, m, s, u at most once`,
        );
      }
    }
  }
  const problem = regexProblem(pattern, flags);
  if (problem !== null) {
    throw new FilterSyntaxError(
      operand.start,
      'a valid regular expression',
      `invalid regular expression: ${problem}`,
    );
  }
  return flags === ''
    ? { kind: 'matches', field: column, pattern }
    : { kind: 'matches', field: column, pattern, flags };
}

/** Why `pattern` is not a valid JavaScript regular expression, or null when it is. */
function regexProblem(pattern: string, flags: string): string | null {
  try {
    RegExp(pattern, flags);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says "Invalid regular expression: /<pattern>/<flags>: <reason>"; keep the reason.
    const echo = `Invalid regular expression: /${pattern}/${flags}: `;
    return message.startsWith(echo) ? message.slice(echo.length) : message;
  }
}

function didYouMean(names: readonly string[]): string {
  return names.length === 0 ? '' : ` — did you mean ${names.join(', ')}?`;
}

/** An operand as it appears in messages, shortened when long. */
function show(operand: FilterOperand): string {
  const clipped = operand.text.length > 40 ? `${operand.text.slice(0, 40)}…` : operand.text;
  return operand.quoted ? quoteFilterString(clipped) : `'${clipped}'`;
}
