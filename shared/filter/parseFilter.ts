/**
 * Reads display-filter text into a `FilterExpr`: tokenizer → recursive-descent parser → per
 * comparison type checker (`compileComparison`).
 *
 * Grammar (keywords in any case; `not` binds tighter than `and`, which binds tighter than `or`):
 *
 *     filter     := or END
 *     or         := and (('or' | '||') and)*
 *     and        := unary (('and' | '&&') unary)*
 *     unary      := ('not' | '!') unary | '(' or ')' | comparison
 *     comparison := FIELD                                       -- the field is present
 *                 | FIELD ('==' | '!=' | '<' | '<=' | '>' | '>=') value
 *                 | FIELD ['not'] 'in' '{' [value (','? value)* ','?] '}'
 *                 | FIELD ('contains' | 'matches') value
 *     value      := WORD | STRING
 *
 * `a and b and c` gives one `and` node with three items; parentheses keep the grouping written
 * (`(a and b) and c` nests), so `formatFilter` output reads back to the same tree. Errors unwind
 * as `FilterSyntaxError` and come back as a positioned `FilterError`; nesting deeper than
 * `MAX_FILTER_NESTING` is an error rather than a stack overflow.
 */
import type { CompareOp, FilterExpr } from '../model';
import { protocolName, protocolNumber } from '../model';
import { invariant } from '../util';
import type { FilterComparison, FilterOperand, FilterOperator } from './compileComparison';
import { canonicalReasonName, compileComparison, reasonLookupOf } from './compileComparison';
import type { FilterError } from './FilterError';
import { createFilterError, FilterSyntaxError } from './FilterError';
import { findFilterField, listFilterFields, suggestFilterField } from './filterFields';
import { isFilterKeyword, isIntegerText } from './filterLiterals';
import type { FilterVocabulary } from './FilterVocabulary';
import { nearestNames } from './nearestNames';
import type { FilterToken } from './tokenizeFilter';
import { tokenizeFilter } from './tokenizeFilter';

/** Deepest nesting of parentheses and `not` accepted (each counts one level). */
export const MAX_FILTER_NESTING = 200;

/** The outcome of `parseFilter`: a tree (null for an empty filter) or a positioned error. */
export type ParseFilterResult =
  { ok: true; expr: FilterExpr | null } | { ok: false; error: FilterError };

/**
 * Parses and type-checks filter text against the loaded traces' vocabulary.
 *
 * Empty or whitespace-only text is `{ ok: true, expr: null }` (no filter). Never throws for any
 * text: every failure is `{ ok: false, error }` with `0 ≤ error.position ≤ text.length`. `time`
 * compiles to nanoseconds relative to the capture start (the store adds the start); `protocol`
 * names compile to ethertype numbers; `reason` names to their canonical upper-case form;
 * `reason.category == C` to `reason in {…the category's reasons}`. O(length of text), plus
 * suggestion work on an unknown name.
 */
export function parseFilter(text: string, vocabulary: FilterVocabulary): ParseFilterResult {
  if (text.trim() === '') return { ok: true, expr: null };
  try {
    const parser = new FilterParser(tokenizeFilter(text), vocabulary);
    return { ok: true, expr: parser.parseFilter() };
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      return {
        ok: false,
        error: createFilterError(text, error.position, error.message, error.expected),
      };
    }
    throw error;
  }
}

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['==', '!=', '<', '<=', '>', '>=']);
const OPERATOR_LIST = '==, !=, <, <=, >, >=, in, contains, matches';
const EXPECTED_OPERAND = "a field name or '('";
const EXPECTED_CONTINUATION = "'and', 'or' or the end of the expression";
/** Wireshark's word operators, pointed at their symbols in "did you mean" hints. */
const OPERATOR_ALIASES: ReadonlyMap<string, string> = new Map([
  ['eq', '=='],
  ['ne', '!='],
  ['lt', '<'],
  ['le', '<='],
  ['gt', '>'],
  ['ge', '>='],
]);

class FilterParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly FilterToken[],
    private readonly vocabulary: FilterVocabulary,
  ) {}

  parseFilter(): FilterExpr {
    const expr = this.parseOr(null);
    const token = this.peek();
    if (token.kind === 'end') return expr;
    if (isSymbol(token, ')')) {
      throw new FilterSyntaxError(
        token.start,
        EXPECTED_CONTINUATION,
        "unexpected ')' — there is no '(' to close",
      );
    }
    throw new FilterSyntaxError(
      token.start,
      EXPECTED_CONTINUATION,
      `expected 'and', 'or' or the end of the expression, found ${describe(token)}${this.spaceHint(token)}`,
    );
  }

  private parseOr(after: FilterToken | null): FilterExpr {
    const first = this.parseAnd(after);
    const items = [first];
    for (let token = this.peek(); isKeyword(token, 'or') || isSymbol(token, '||');) {
      this.advance();
      items.push(this.parseAnd(token));
      token = this.peek();
    }
    return items.length === 1 ? first : { kind: 'or', items };
  }

  private parseAnd(after: FilterToken | null): FilterExpr {
    const first = this.parseUnary(after);
    const items = [first];
    for (let token = this.peek(); isKeyword(token, 'and') || isSymbol(token, '&&');) {
      this.advance();
      items.push(this.parseUnary(token));
      token = this.peek();
    }
    return items.length === 1 ? first : { kind: 'and', items };
  }

  private parseUnary(after: FilterToken | null): FilterExpr {
    const token = this.peek();
    if (isKeyword(token, 'not') || isSymbol(token, '!')) {
      this.advance();
      this.enter(token);
      const item = this.parseUnary(token);
      this.depth -= 1;
      return { kind: 'not', item };
    }
    if (isSymbol(token, '(')) {
      this.advance();
      this.enter(token);
      const inner = this.parseOr(token);
      const close = this.peek();
      if (close.kind === 'end') {
        throw new FilterSyntaxError(token.start, "')'", "unclosed '(' — close it with ')'");
      }
      if (!isSymbol(close, ')')) {
        throw new FilterSyntaxError(
          close.start,
          "')', 'and' or 'or'",
          `expected ')', 'and' or 'or', found ${describe(close)}${this.spaceHint(close)}`,
        );
      }
      this.advance();
      this.depth -= 1;
      return inner;
    }
    if (token.kind === 'word' && !isFilterKeyword(token.text)) return this.parseComparison(token);
    throw this.operandError(after, token);
  }

  private parseComparison(fieldToken: FilterToken): FilterExpr {
    this.advance();
    const field = findFilterField(fieldToken.text);
    if (field === null) throw this.unknownField(fieldToken);
    if (field.kind === 'unavailable') {
      throw new FilterSyntaxError(fieldToken.start, 'a field name', field.whyUnavailable);
    }
    const token = this.peek();
    let operator: FilterOperator;
    let operands: FilterOperand[] = [];
    if (token.kind === 'symbol' && COMPARE_OPS.has(token.text)) {
      this.advance();
      operator = token.text as CompareOp;
      operands = [this.parseOperand(token)];
    } else if (isKeyword(token, 'in')) {
      this.advance();
      operator = 'in';
      operands = this.parseSet(token);
    } else if (isKeyword(token, 'not') && isKeyword(this.peekAhead(1), 'in')) {
      const inToken = this.peekAhead(1);
      this.advance();
      this.advance();
      operator = 'not in';
      operands = this.parseSet(inToken);
    } else if (isKeyword(token, 'contains') || isKeyword(token, 'matches')) {
      this.advance();
      operator = isKeyword(token, 'contains') ? 'contains' : 'matches';
      operands = [this.parseOperand(token)];
    } else if (endsOperand(token)) {
      operator = 'exists';
    } else {
      throw this.operatorError(field.name, token);
    }
    const comparison: FilterComparison = {
      field,
      fieldStart: fieldToken.start,
      operator,
      operatorText: operator === 'exists' ? '' : operator,
      operatorStart: token.start,
      operands,
    };
    return compileComparison(comparison, this.vocabulary);
  }

  private parseOperand(after: FilterToken): FilterOperand {
    const token = this.peek();
    if (isValueToken(token)) {
      this.advance();
      return { text: token.text, quoted: token.kind === 'string', start: token.start };
    }
    throw valueError(after, token);
  }

  private parseSet(inToken: FilterToken): FilterOperand[] {
    const open = this.peek();
    if (!isSymbol(open, '{')) {
      const found = open.kind === 'end' ? '' : `, found ${describe(open)}`;
      throw new FilterSyntaxError(
        open.start,
        "'{'",
        `expected '{' after '${inToken.text}'${found} — write a set as {A, B, C}`,
      );
    }
    this.advance();
    const operands: FilterOperand[] = [];
    let after: FilterToken = open;
    let afterValue = false;
    for (;;) {
      const token = this.peek();
      if (isSymbol(token, '}')) {
        this.advance();
        return operands;
      }
      if (token.kind === 'end') {
        throw new FilterSyntaxError(open.start, "'}'", "unclosed '{' — close the set with '}'");
      }
      if (afterValue && isSymbol(token, ',')) {
        this.advance();
        after = token;
        afterValue = false;
      } else if (isValueToken(token)) {
        this.advance();
        operands.push({ text: token.text, quoted: token.kind === 'string', start: token.start });
        after = token;
        afterValue = true;
      } else if (afterValue) {
        throw new FilterSyntaxError(
          token.start,
          "',' or '}'",
          `expected ',' or '}' in the set, found ${describe(token)}`,
        );
      } else {
        throw valueError(after, token);
      }
    }
  }

  private operandError(after: FilterToken | null, token: FilterToken): FilterSyntaxError {
    const base = `expected a field name or '('${after === null ? '' : ` after ${describe(after)}`}`;
    if (token.kind === 'end') return new FilterSyntaxError(token.start, EXPECTED_OPERAND, base);
    const hint =
      token.kind === 'string'
        ? ' — field names are written without quotes'
        : isSymbol(token, ')') && after !== null && isSymbol(after, '(')
          ? ' — the parentheses are empty'
          : '';
    return new FilterSyntaxError(
      token.start,
      EXPECTED_OPERAND,
      `${base}, found ${describe(token)}${hint}`,
    );
  }

  private operatorError(fieldName: string, token: FilterToken): FilterSyntaxError {
    let hint = '';
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      const alias = OPERATOR_ALIASES.get(word);
      const near = nearestNames(word, ['in', 'contains', 'matches'], 1, word.length <= 3 ? 1 : 2);
      if (alias !== undefined) hint = ` — did you mean '${alias}'?`;
      else if (near[0] !== undefined) hint = ` — did you mean '${near[0]}'?`;
    }
    return new FilterSyntaxError(
      token.start,
      `an operator (${OPERATOR_LIST})`,
      `expected an operator after '${fieldName}' (${OPERATOR_LIST}), found ${describe(token)}${hint}`,
    );
  }

  private unknownField(token: FilterToken): FilterSyntaxError {
    const word = token.text;
    const reason = canonicalReasonName(word);
    const lookup = reasonLookupOf(this.vocabulary);
    const protocol = isIntegerText(word) ? null : protocolNumber(word);
    let hint: string;
    if (lookup.known.has(reason)) {
      hint = ` — did you mean reason == ${reason}?`;
    } else if (protocol !== null) {
      hint = ` — did you mean protocol == ${protocolName(protocol) ?? word}?`;
    } else {
      const field = suggestFilterField(word);
      hint = field !== null ? ` — did you mean ${field}?` : ` — fields are ${listFilterFields()}`;
    }
    return new FilterSyntaxError(
      token.start,
      'a field name',
      `unknown field ${describe(token)}${hint}`,
    );
  }

  /** A hint when a word follows a finished comparison: likely an unquoted value with a space. */
  private spaceHint(token: FilterToken): string {
    const previous = this.tokens[this.index - 1];
    const followsValue = previous !== undefined && isValueToken(previous);
    const isStrayWord = token.kind === 'word' && findFilterField(token.text) === null;
    return followsValue && isStrayWord ? ' — put values that contain spaces in double quotes' : '';
  }

  private enter(token: FilterToken): void {
    this.depth += 1;
    if (this.depth > MAX_FILTER_NESTING) {
      throw new FilterSyntaxError(
        token.start,
        'a less deeply nested expression',
        `expression nested too deeply: at most ${MAX_FILTER_NESTING} levels of parentheses and 'not'`,
      );
    }
  }

  /** The next token; an invalid token (a lexical error) is thrown as soon as it is looked at. */
  private peek(): FilterToken {
    const token = this.peekAhead(0);
    if (token.kind === 'invalid') {
      throw new FilterSyntaxError(token.start, token.expected, token.message);
    }
    return token;
  }

  /** The token `offset` places ahead, without reporting an invalid one. */
  private peekAhead(offset: number): FilterToken {
    // The list always ends with an `end` or `invalid` token, which stands for everything after.
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
    invariant(token !== undefined, 'the token list is never empty');
    return token;
  }

  private advance(): void {
    if (this.index < this.tokens.length - 1) this.index += 1;
  }
}

function isKeyword(token: FilterToken, keyword: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === keyword;
}

function isSymbol(token: FilterToken, symbol: string): boolean {
  return token.kind === 'symbol' && token.text === symbol;
}

function isValueToken(token: FilterToken): boolean {
  return token.kind === 'string' || (token.kind === 'word' && !isFilterKeyword(token.text));
}

/** Tokens after which a lone field reads as "the field is present". */
function endsOperand(token: FilterToken): boolean {
  return (
    token.kind === 'end' ||
    isSymbol(token, ')') ||
    isSymbol(token, '&&') ||
    isSymbol(token, '||') ||
    isKeyword(token, 'and') ||
    isKeyword(token, 'or')
  );
}

function valueError(after: FilterToken, token: FilterToken): FilterSyntaxError {
  const base = `expected a value after ${describe(after)}`;
  if (token.kind === 'end') return new FilterSyntaxError(token.start, 'a value', base);
  const hint =
    token.kind === 'word' ? ` — write "${token.text}" in quotes to use it as a value` : '';
  return new FilterSyntaxError(token.start, 'a value', `${base}, found ${describe(token)}${hint}`);
}

/** A token as it appears in messages (`'=='`, `'reason'`, `a string "udp"`). */
function describe(token: FilterToken): string {
  const clipped = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return `a string "${clipped}"`;
  return `'${clipped}'`;
}
