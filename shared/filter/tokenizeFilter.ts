/**
 * Splits filter text into tokens: bare words, quoted strings, symbols, and an end marker.
 *
 * Keywords (`and`, `in` …) and field names are words here; the parser gives them their meaning
 * by position. A character that starts no token ends the list with an `invalid` token carrying
 * the error, so the parser reports whichever problem comes first in the text.
 */
import { BARE_WORD_CHARACTER } from './filterLiterals';

/** Symbols of the language, longest first so that `<=` wins over `<`. */
const SYMBOLS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '!',
  '(',
  ')',
  '{',
  '}',
  ',',
] as const;

/** One of the language's symbols. */
export type FilterSymbol = (typeof SYMBOLS)[number];

/** A token with its UTF-16 span `[start, end)` in the text. */
export type FilterToken =
  | { kind: 'word'; text: string; start: number; end: number }
  /** `text` is the string's content with escapes resolved. */
  | { kind: 'string'; text: string; start: number; end: number }
  | { kind: 'symbol'; text: FilterSymbol; start: number; end: number }
  | { kind: 'end'; text: ''; start: number; end: number }
  | {
      kind: 'invalid';
      text: string;
      start: number;
      end: number;
      message: string;
      expected: string;
    };

const WHITESPACE = /\s+/uy;
const WORD = new RegExp(`${BARE_WORD_CHARACTER}+`, 'uy');

/**
 * Tokenizes `text`; the last token is `end` (at `text.length`) or `invalid` (at the bad input).
 *
 * Strings are double-quoted; `\"` and `\\` are escapes, any other backslash is kept as written
 * so that regular expressions read naturally (`"tcp_v\d"` is `tcp_v\d`). O(length of text).
 */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let index = 0;
  while (index < text.length) {
    WHITESPACE.lastIndex = index;
    if (WHITESPACE.test(text)) {
      index = WHITESPACE.lastIndex;
      continue;
    }
    WORD.lastIndex = index;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], start: index, end: WORD.lastIndex });
      index = WORD.lastIndex;
      continue;
    }
    if (text[index] === '"') {
      const token = readString(text, index);
      tokens.push(token);
      if (token.kind === 'invalid') return tokens;
      index = token.end;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, index));
    if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, start: index, end: index + symbol.length });
      index += symbol.length;
      continue;
    }
    tokens.push(invalidCharacter(text, index));
    return tokens;
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

function readString(text: string, start: number): FilterToken {
  const parts: string[] = [];
  let chunkStart = start + 1;
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      parts.push(text.slice(chunkStart, index));
      return { kind: 'string', text: parts.join(''), start, end: index + 1 };
    }
    if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1];
      if (next === '"' || next === '\\') {
        parts.push(text.slice(chunkStart, index), next);
        chunkStart = index + 2;
      }
      index += 2;
      continue;
    }
    index += 1;
  }
  return {
    kind: 'invalid',
    text: text.slice(start),
    start,
    end: text.length,
    message: `unterminated string — add a closing '"'`,
    expected: `a closing '"'`,
  };
}

function invalidCharacter(text: string, index: number): FilterToken {
  const char = String.fromCodePoint(text.codePointAt(index) ?? 0);
  const token = { kind: 'invalid' as const, text: char, start: index, end: index + char.length };
  switch (char) {
    case '=':
      return { ...token, message: "unexpected '=' — compare with '=='", expected: "'=='" };
    case '&':
      return { ...token, message: "unexpected '&' — write '&&' or 'and'", expected: "'&&'" };
    case '|':
      return { ...token, message: "unexpected '|' — write '||' or 'or'", expected: "'||'" };
    case "'":
      return {
        ...token,
        message: `unexpected "'" — strings use double quotes`,
        expected: 'a double-quoted string',
      };
    case '~':
      return { ...token, message: "unexpected '~' — write 'matches'", expected: "'matches'" };
    default:
      return {
        ...token,
        message: `unexpected character ${describeCharacter(char)}`,
        expected: 'a field name, an operator or a value',
      };
  }
}

function describeCharacter(char: string): string {
  // Control, format and lone surrogate characters are invisible: name them by code point.
  if (!/\p{C}/u.test(char)) return `'${char}'`;
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
