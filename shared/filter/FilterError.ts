/**
 * Errors of the filter language: the public `FilterError` value and the exception the parser
 * uses internally to unwind to `parseFilter`, which turns it into that value.
 */

/**
 * Why a filter text was rejected, and where.
 *
 * `position` is a UTF-16 index into the text, `0 ≤ position ≤ text.length` (the length means
 * "at the end"). `expected` names what would have been accepted there ("a value", "')'").
 * `display` is ready for a monospace box: the line of the text holding the position, a newline,
 * spaces and a `^` under the position, a newline, the message.
 */
export interface FilterError {
  message: string;
  position: number;
  expected: string;
  display: string;
}

/**
 * A positioned failure thrown inside the filter room and caught by `parseFilter`.
 *
 * Never escapes the room: `parseFilter` converts it to a `FilterError` result.
 */
export class FilterSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    message: string,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

/**
 * Builds a `FilterError` for `text`, clamping the position into the text and drawing the caret.
 *
 * For text over several lines only the line holding the position is shown; tabs before the
 * position are kept so the caret lines up in a terminal.
 */
export function createFilterError(
  text: string,
  position: number,
  message: string,
  expected: string,
): FilterError {
  const at = Math.min(Math.max(Math.trunc(position) || 0, 0), text.length);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const lineEnd = newline < 0 ? text.length : newline;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  // One column per code point, so a character outside the BMP does not shift the caret.
  const indent = Array.from(text.slice(lineStart, at), (char) => (char === '\t' ? '\t' : ' '));
  return {
    message,
    position: at,
    expected,
    display: `${line}\n${indent.join('')}^\n${message}`,
  };
}
