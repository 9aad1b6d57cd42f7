/**
 * Splits filter text into coloured spans for the filter bar's highlight layer: fields,
 * keywords, operators, strings, numbers, other values. Every character of the text lands in
 * exactly one span, so the layer lines up with the input underneath.
 */
import { FILTER_FIELD_NAMES } from './filterCompletions';

/** A span of the text and how it is drawn. */
export interface HighlightSpan {
  text: string;
  kind: 'field' | 'keyword' | 'operator' | 'string' | 'number' | 'value' | 'space' | 'other';
}

const TOKEN =
  /("(?:[^"\\]|\\.)*"?)|(==|!=|<=|>=|&&|\|\||[<>!(){},])|([\p{L}\p{N}\p{M}_:.\-/+]+)|(\s+)|(.)/gu;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'matches']);
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+|0x[0-9a-f]+)$/i;
const FIELDS: ReadonlySet<string> = new Set(FILTER_FIELD_NAMES);

/** The spans of `text`, in order; their texts joined give `text` back. */
export function highlightFilter(text: string): HighlightSpan[] {
  const spans: HighlightSpan[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [whole, string, symbol, word, space] = match;
    if (string !== undefined) spans.push({ text: whole, kind: 'string' });
    else if (symbol !== undefined) spans.push({ text: whole, kind: 'operator' });
    else if (space !== undefined) spans.push({ text: whole, kind: 'space' });
    else if (word !== undefined) {
      const lower = word.toLowerCase();
      if (KEYWORDS.has(lower)) spans.push({ text: whole, kind: 'keyword' });
      else if (FIELDS.has(lower)) spans.push({ text: whole, kind: 'field' });
      else if (NUMBER.test(word)) spans.push({ text: whole, kind: 'number' });
      else spans.push({ text: whole, kind: 'value' });
    } else spans.push({ text: whole, kind: 'other' });
  }
  return spans;
}
