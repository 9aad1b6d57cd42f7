/**
 * Parses a tracefs event format file (`events/skb/kfree_skb/format`, also embedded in perf.data
 * and trace.dat): the fields, the `print fmt:` string and arguments, and the reason names of
 * `__print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, …)`.
 *
 * The kernel rewrites enum names to numbers (TRACE_DEFINE_ENUM) before showing the file, so the
 * list is normally numeric. When the rewrite did not happen the entries read
 * `{ SKB_DROP_REASON_NOT_SPECIFIED, "NOT_SPECIFIED" }`; those are numbered with a table when the
 * caller supplies one, else reported in `unresolvedReasonNames`.
 */
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { ReasonTable } from './ReasonTable';
import type { ReasonMapping } from './ReasonMapping';

/** One `field:` line of a format file. */
export interface TracepointFormatField {
  /** `skbaddr`, `common_pid` … */
  readonly name: string;
  /** C type without the name (`void *`, `char[16]`, `__data_loc char[]`). */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** True for the `common_*` header fields shared by every event. */
  readonly common: boolean;
}

/** A parsed format file. */
export interface TracepointFormat {
  /** `name:` line (`kfree_skb`); null when absent. */
  readonly name: string | null;
  /** `ID:` line; null when absent. */
  readonly id: number | null;
  readonly fields: readonly TracepointFormatField[];
  /** The format string of `print fmt:`, unescaped; null when there is no `print fmt:`. */
  readonly printFmt: string | null;
  /** The argument expressions after the format string (`REC->skbaddr`, …). */
  readonly printArgs: readonly string[];
  /** Reason names from `__print_symbolic(REC->reason, …)`; null when the event has none. */
  readonly reasons: ReasonMapping | null;
  /** Entries given by enum name that could not be numbered (no table, or not in it). */
  readonly unresolvedReasonNames: readonly string[];
}

/** Options of `parseTracepointFormat`. */
export interface ParseTracepointFormatOptions {
  /** Names the mapping's `source` (default: `<event> tracepoint format`). */
  source?: string;
  /** Numbers `{ SKB_DROP_REASON_X, "X" }` entries by name when the kernel left them symbolic. */
  table?: ReasonTable | null;
}

const FIELD = /^\s*field:(.+?);\s*offset:(\d+);\s*size:(\d+);(?:\s*signed:(\d+);)?/;
const DECLARATION = /^(.*?)([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$/;

function parseField(line: string): TracepointFormatField | null {
  const match = FIELD.exec(line);
  if (!match?.[1]) return null;
  const declaration = DECLARATION.exec(match[1].trim());
  if (!declaration?.[2]) return null;
  const name = declaration[2];
  const type = `${(declaration[1] ?? '').trim()}${declaration[3] ?? ''}`;
  return {
    name,
    type,
    offset: Number(match[2]),
    size: Number(match[3]),
    signed: match[4] === '1',
    common: name.startsWith('common_'),
  };
}

/** Reads a C string literal starting at `start` (a `"`); returns its value and end index. */
function readString(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return { value, end: i + 1 };
    if (char === '\\' && i + 1 < text.length) {
      const next = text[++i] ?? '';
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else {
      value += char;
    }
  }
  return null;
}

/** Splits a C argument list at top-level commas (ignoring those in (), {}, [] and strings). */
function splitArguments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '"') {
      const literal = readString(text, i);
      const end = literal ? literal.end : text.length;
      current += text.slice(i, end);
      i = end - 1;
      continue;
    }
    if (char === '(' || char === '{' || char === '[') depth++;
    if (char === ')' || char === '}' || char === ']') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** Reads `{ KEY, "NAME" }` entries of a `__print_symbolic` argument list. */
function parseSymbolic(
  entries: readonly string[],
  table: ReasonTable | null,
): { names: Map<number, string>; unresolved: string[] } {
  const names = new Map<number, string>();
  const unresolved: string[] = [];
  for (const entry of entries) {
    const inner = /^\{\s*(.+?)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}$/s.exec(entry);
    if (!inner?.[1] || inner[2] === undefined) continue;
    const key = inner[1].replace(/^\(+|\)+$/g, '').trim();
    const name = inner[2];
    if (/^-?(?:0x[0-9a-f]+|\d+)[ul]*$/i.test(key)) {
      names.set(Number.parseInt(key, key.toLowerCase().includes('0x') ? 16 : 10), name);
      continue;
    }
    const bare = key.replace(/^SKB_DROP_REASON_/, '').replace(/^SKB_/, '');
    const value = table ? table.names.indexOf(bare) : -1;
    if (value >= 0) names.set(value, name);
    else unresolved.push(key);
  }
  return { names, unresolved };
}

/**
 * Parses the text of a tracefs event format file.
 *
 * Fails (with a message) only when the text has neither `field:` lines nor `print fmt:`; a format
 * without a reason list parses with `reasons: null`. Pure; O(length).
 */
export function parseTracepointFormat(
  text: string,
  options: ParseTracepointFormatOptions = {},
): Result<TracepointFormat> {
  const lines = text.split(/\r?\n/);
  let name: string | null = null;
  let id: number | null = null;
  const fields: TracepointFormatField[] = [];
  let printLine: string | null = null;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('name:')) name = trimmed.slice(5).trim() || null;
    else if (trimmed.startsWith('ID:')) id = Number.parseInt(trimmed.slice(3).trim(), 10);
    else if (trimmed.startsWith('field:')) {
      const field = parseField(trimmed);
      if (field) fields.push(field);
    } else if (trimmed.startsWith('print fmt:')) printLine = trimmed.slice(10).trim();
  }
  if (fields.length === 0 && printLine === null) {
    return err(
      'not a tracefs event format file: it has no "field:" lines and no "print fmt:" line',
    );
  }
  if (id !== null && Number.isNaN(id)) id = null;
  let printFmt: string | null = null;
  let printArgs: string[] = [];
  let reasons: ReasonMapping | null = null;
  let unresolvedReasonNames: string[] = [];
  if (printLine !== null) {
    const literal = printLine.startsWith('"') ? readString(printLine, 0) : null;
    printFmt = literal ? literal.value : null;
    const rest = literal ? printLine.slice(literal.end).replace(/^\s*,/, '') : printLine;
    printArgs = splitArguments(rest);
    for (const argument of printArgs) {
      const symbolic = /^__print_symbolic\s*\((.*)\)$/s.exec(argument);
      if (!symbolic?.[1]) continue;
      const [subject, ...entries] = splitArguments(symbolic[1]);
      if (!subject || !/^REC->reason$/.test(subject.replace(/[()\s]/g, ''))) continue;
      const parsed = parseSymbolic(entries, options.table ?? null);
      const source = options.source ?? `${name ?? 'event'} tracepoint format`;
      reasons = { names: parsed.names, source };
      unresolvedReasonNames = parsed.unresolved;
      break;
    }
  }
  return ok({ name, id, fields, printFmt, printArgs, reasons, unresolvedReasonNames });
}
