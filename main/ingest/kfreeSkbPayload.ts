/**
 * The skb:kfree_skb tracepoint payload, read the same way for perf script, ftrace and trace-cmd.
 *
 * The kernel has printed the payload with three format strings:
 *
 *   before 5.17   `skbaddr=%p protocol=%u location=%p`
 *   5.17 … 6.10   `skbaddr=%p protocol=%u location=%pS reason: %s`
 *   6.11 and on   `skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s`
 *
 * and every tool renders the pointers its own way: perf and trace-cmd print raw `0xffff…`
 * pointers, NULL as `(nil)` and `location=sym+0xoff`; tracefs hashes pointers (`00000000a1b2c3d4`,
 * NULL as zeros) and prints `location=sym+0xoff/0xsize`, followed by ` [module]` for module code.
 * When libtraceevent cannot parse the print format, perf prints the raw fields instead
 * (`[FAILED TO PARSE] skbaddr=… location=… protocol=2048 reason=2`).
 *
 * How the parts fit: `KfreeSkbPayloadReader.read` matches the payload as the kernel prints it with
 * one sticky regex (fields in order, no competing quantifiers) and, when that fails, scans it
 * token by token with `indexOf` to accept other orders and to say precisely what is wrong; either
 * way it fills the payload fields of an `EventInput`. Each format parser reads its own line
 * prefix (comm, pid, cpu, time) and then holds the event in a `HeldEvent` until the next line
 * arrives: only at `end()` can it tell that an event line was the last line of the input, and a
 * last line that lacks an optional field every earlier event had (`reason:`, `rx_sk=`) was cut
 * short and is skipped rather than loaded.
 */
import { emptyEventInput } from '../../shared/model';
import type { EventInput } from '../../shared/model';
import type { ParseSink } from './TraceParser';

/** Bit of `KfreeSkbPayloadReader.fields`: the payload had `rx_sk=` (kernels 6.11 and later). */
export const PAYLOAD_RX_SK = 1;
/** Bit of `KfreeSkbPayloadReader.fields`: the payload had a reason (kernels 5.17 and later). */
export const PAYLOAD_REASON = 2;

const SKB_DROP_REASON_PREFIX = 'SKB_DROP_REASON_';
const SPACE = 32;
const NOT_A_NUMBER = -1;

/**
 * The payload as every kernel prints it, fields in order, read in one pass from `lastIndex`.
 * Groups: 1 skbaddr, 2 rx_sk, 3 protocol, 4 location (size dropped), 5 module, 6 reason.
 * No two quantifiers compete for the same characters, so it cannot backtrack badly.
 */
const CANONICAL_PAYLOAD =
  / *skbaddr=((?:0x)?[0-9a-fA-F]{1,16})(?: rx_sk=(\(nil\)|(?:0x)?[0-9a-fA-F]{1,16}))? protocol=(\d{1,10}) location=([^ /]+)(?:\/0x[0-9a-fA-F]+)?(?: \[([^\] ]+)\])?(?: reason: ([A-Za-z_]\w*|0x[0-9a-fA-F]{1,12}|\d{1,15}))? *$/y;
const ZERO_POINTER = /^(?:0x)?0+$/;

/**
 * Tells whether an event name printed by a tracer is the drop tracepoint.
 *
 * perf prints `skb:kfree_skb`, tracefs and trace-cmd print `kfree_skb`.
 */
export function isKfreeSkbEventName(name: string): boolean {
  return name === 'kfree_skb' || name === 'skb:kfree_skb';
}

/**
 * Reads the `skbaddr=… rx_sk=… protocol=… location=… reason: …` payload into an `EventInput`.
 *
 * One instance per parser; `read` allocates the field strings and one match array. Required
 * fields are the ones every kernel prints (`skbaddr=`, `protocol=`, `location=`); `rx_sk=` and
 * the reason are optional and stay unknown (`null`, `-1`) when absent. Fields may come in any order (the raw
 * `[FAILED TO PARSE]` form uses structure order); unknown tokens are ignored so that a future
 * field does not stop a trace from loading.
 */
export class KfreeSkbPayloadReader {
  /** Why the last `read` failed; empty after a success. */
  why = '';
  /** Optional fields found by the last successful `read`: `PAYLOAD_RX_SK | PAYLOAD_REASON`. */
  fields = 0;

  /**
   * Reads the payload of `text` from `start` into the payload fields of `out` (skbaddr, rxSk,
   * protocol, location, reason, reasonValue, extra). Other fields of `out` are left alone.
   *
   * Returns true when the payload holds every required field with a valid value; otherwise
   * returns false and sets `why` (`missing skbaddr=`, `bad protocol= value "x"` …). O(line length).
   */
  read(text: string, start: number, out: EventInput): boolean {
    // Motivation: per-character JS loops cost 5–10 ns a character on the sliced strings a
    // line splitter produces, while the regex engine scans natively. On perf.script.txt
    // repeated to 3M lines (Node 20, 2 busy vCPUs, CPU time) the token scanner alone took
    // 0.85 µs a payload and the one-regex fast path takes about 0.4 µs; the scanner remains
    // for reordered or unusual payloads and to say precisely what is wrong with a bad one.
    CANONICAL_PAYLOAD.lastIndex = start;
    const match = CANONICAL_PAYLOAD.exec(text);
    if (match !== null) return this.readCanonical(match, out);
    return this.scan(text, start, out);
  }

  private readCanonical(match: RegExpExecArray, out: EventInput): boolean {
    out.skbaddr = match[1] ?? null;
    const rxSk = match[2];
    out.rxSk = rxSk === undefined || rxSk === '(nil)' || ZERO_POINTER.test(rxSk) ? null : rxSk;
    out.protocol = Number(match[3]);
    out.location = match[4] ?? null;
    const module = match[5];
    out.extra = module === undefined ? null : { module };
    const reason = match[6];
    out.reason = null;
    out.reasonValue = -1;
    this.fields = rxSk === undefined ? 0 : PAYLOAD_RX_SK;
    this.why = '';
    if (reason !== undefined) {
      this.fields |= PAYLOAD_REASON;
      const first = reason.charCodeAt(0);
      if (first >= 48 && first <= 57) {
        out.reasonValue =
          reason.charCodeAt(1) === 120 /* x */
            ? Number.parseInt(reason.slice(2), 16)
            : Number(reason);
      } else {
        out.reason = reason.startsWith(SKB_DROP_REASON_PREFIX)
          ? reason.slice(SKB_DROP_REASON_PREFIX.length)
          : reason;
      }
    }
    return true;
  }

  /** The general reader: tokens in any order, unknown tokens ignored, a precise `why`. */
  private scan(text: string, start: number, out: EventInput): boolean {
    out.skbaddr = null;
    out.rxSk = null;
    out.protocol = -1;
    out.location = null;
    out.reason = null;
    out.reasonValue = -1;
    out.extra = null;
    this.fields = 0;
    this.why = '';
    let hasSkbaddr = false;
    let hasProtocol = false;
    let hasLocation = false;
    const end = text.length;
    let i = start;
    for (;;) {
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i >= end) break;
      let tokenEnd = text.indexOf(' ', i);
      if (tokenEnd < 0) tokenEnd = end;
      switch (text.charCodeAt(i)) {
        case 115: // s
          if (text.startsWith('skbaddr=', i)) {
            if (!isHexPointer(text, i + 8, tokenEnd)) {
              return this.fail(`bad skbaddr= value "${text.slice(i + 8, tokenEnd)}"`);
            }
            out.skbaddr = text.slice(i + 8, tokenEnd);
            hasSkbaddr = true;
          }
          break;
        case 114: // r
          if (text.startsWith('rx_sk=', i)) {
            const valueStart = i + 6;
            if (isNullPointer(text, valueStart, tokenEnd)) out.rxSk = null;
            else if (isHexPointer(text, valueStart, tokenEnd))
              out.rxSk = text.slice(valueStart, tokenEnd);
            else return this.fail(`bad rx_sk= value "${text.slice(valueStart, tokenEnd)}"`);
            this.fields |= PAYLOAD_RX_SK;
          } else if (text.startsWith('reason', i)) {
            const separator = text.charCodeAt(i + 6);
            if (separator !== 58 /* : */ && separator !== 61 /* = */) break;
            let valueStart = i + 7;
            if (valueStart === tokenEnd && separator === 58) {
              // `reason: NAME`: the value is the next token.
              valueStart = tokenEnd;
              while (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
              tokenEnd = text.indexOf(' ', valueStart);
              if (tokenEnd < 0) tokenEnd = end;
            }
            if (!this.readReason(text, valueStart, tokenEnd, out)) return false;
            this.fields |= PAYLOAD_REASON;
          }
          break;
        case 112: // p
          if (text.startsWith('protocol=', i)) {
            const protocol = readUnsigned(text, i + 9, tokenEnd);
            if (protocol === NOT_A_NUMBER || protocol > 0xffffffff) {
              return this.fail(`bad protocol= value "${text.slice(i + 9, tokenEnd)}"`);
            }
            out.protocol = protocol;
            hasProtocol = true;
          }
          break;
        case 108: // l
          if (text.startsWith('location=', i)) {
            // `sym+0xoff/0xsize` → `sym+0xoff`: the size is the same for every drop at `sym`.
            let valueEnd = text.indexOf('/', i + 9);
            if (valueEnd < 0 || valueEnd > tokenEnd) valueEnd = tokenEnd;
            if (valueEnd === i + 9) return this.fail('empty location= value');
            out.location = text.slice(i + 9, valueEnd);
            hasLocation = true;
            // tracefs appends ` [module]` to a symbol in a module: keep it out of the location so
            // that it groups with perf's `sym+0xoff`, and keep it as `extra.module`.
            let next = tokenEnd;
            while (next < end && text.charCodeAt(next) === SPACE) next++;
            if (text.charCodeAt(next) === 91 /* [ */) {
              let moduleEnd = text.indexOf(' ', next);
              if (moduleEnd < 0) moduleEnd = end;
              if (text.charCodeAt(moduleEnd - 1) === 93 /* ] */ && moduleEnd - next > 2) {
                out.extra = { module: text.slice(next + 1, moduleEnd - 1) };
                tokenEnd = moduleEnd;
              }
            }
          }
          break;
        default:
          break;
      }
      i = tokenEnd;
    }
    if (!hasSkbaddr) return this.fail('missing skbaddr=');
    if (!hasProtocol) return this.fail('missing protocol=');
    if (!hasLocation) return this.fail('missing location=');
    return true;
  }

  /** `NAME`, `SKB_DROP_REASON_NAME`, `0x10003` (a value the kernel has no name for) or decimal. */
  private readReason(text: string, start: number, end: number, out: EventInput): boolean {
    if (start >= end) return this.fail('empty reason: value');
    const first = text.charCodeAt(start);
    if (first >= 48 && first <= 57) {
      const value = readUnsigned(text, start, end);
      if (value === NOT_A_NUMBER) return this.fail(`bad reason: value "${text.slice(start, end)}"`);
      out.reasonValue = value;
      return true;
    }
    if (!isIdentifier(text, start, end)) {
      return this.fail(`bad reason: value "${text.slice(start, end)}"`);
    }
    out.reason = text.startsWith(SKB_DROP_REASON_PREFIX, start)
      ? text.slice(start + SKB_DROP_REASON_PREFIX.length, end)
      : text.slice(start, end);
    return true;
  }

  private fail(why: string): false {
    this.why = why;
    return false;
  }
}

/**
 * The one event a parser holds back until the next line arrives.
 *
 * `event` is the parser's single reused `EventInput`; `hold` marks it as read, `release` emits it
 * (the sink copies it at once). At `finish`, a held event that was the very last input line is
 * checked against the events before it: if it lacks an optional payload field (`reason:`,
 * `rx_sk=`) that every earlier event had, the line was cut short and is skipped with a reason
 * instead of being loaded with a wrong "unknown". Runs on the ingest thread; O(1) per call.
 */
export class HeldEvent {
  /** The reused event object the parser fills; valid until the next `hold`. */
  readonly event: EventInput = emptyEventInput();
  /** Whether an event is held (read but not yet emitted). */
  isHeld = false;
  private fields = 0;
  private text = '';
  /** Optional fields every emitted event had; -1 before the first. */
  private commonFields = -1;

  constructor(private readonly sink: ParseSink) {}

  /** Marks `event`, just filled from the line `text`, as held; `fields` from the payload reader. */
  hold(text: string, fields: number): void {
    this.isHeld = true;
    this.text = text;
    this.fields = fields;
  }

  /** Emits the held event, if any. */
  release(): void {
    if (!this.isHeld) return;
    this.isHeld = false;
    this.text = '';
    this.commonFields = this.commonFields < 0 ? this.fields : this.commonFields & this.fields;
    this.sink.event(this.event);
  }

  /**
   * Ends the input: emits the held event, or reports it as skipped when its line is
   * `lastLineNumber` (nothing followed it) and it lacks a field every earlier event has.
   */
  finish(lastLineNumber: number): void {
    if (!this.isHeld) return;
    if (this.event.line === lastLineNumber && this.commonFields > 0) {
      const missing = this.commonFields & ~this.fields;
      if (missing !== 0) {
        const field = (missing & PAYLOAD_REASON) !== 0 ? 'reason:' : 'rx_sk=';
        this.isHeld = false;
        this.sink.skip(
          this.event.line,
          this.text,
          `truncated last line: no ${field} although every earlier event has one`,
        );
        this.text = '';
        return;
      }
    }
    this.release();
  }
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** `0x` + hex digits, or bare hex digits (hashed tracefs pointers), 1 to 16 digits. */
function isHexPointer(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 48 && text.charCodeAt(i + 1) === 120 /* 0x */ && end - start > 2)
    i += 2;
  if (i === end || end - i > 16) return false;
  for (; i < end; i++) if (!isHexDigit(text.charCodeAt(i))) return false;
  return true;
}

/** `(nil)`, `0`, `0x0`, `0000000000000000`: how perf and tracefs print a NULL pointer. */
function isNullPointer(text: string, start: number, end: number): boolean {
  if (end - start === 5 && text.startsWith('(nil)', start)) return true;
  let i = start;
  if (text.charCodeAt(i) === 48 && text.charCodeAt(i + 1) === 120 /* 0x */ && end - start > 2)
    i += 2;
  if (i === end) return false;
  for (; i < end; i++) if (text.charCodeAt(i) !== 48) return false;
  return true;
}

/** A decimal (up to 15 digits) or `0x` hex (up to 12 digits) number; -1 when it is neither. */
function readUnsigned(text: string, start: number, end: number): number {
  if (start >= end) return NOT_A_NUMBER;
  if (text.charCodeAt(start) === 48 && text.charCodeAt(start + 1) === 120 /* 0x */) {
    if (end - start < 3 || end - start > 14) return NOT_A_NUMBER;
    let value = 0;
    for (let i = start + 2; i < end; i++) {
      const code = text.charCodeAt(i) | 0x20; // lower case
      const digit =
        code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
      if (digit < 0) return NOT_A_NUMBER;
      value = value * 16 + digit;
    }
    return value;
  }
  if (end - start > 15) return NOT_A_NUMBER;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NOT_A_NUMBER;
    value = value * 10 + digit;
  }
  return value;
}

/** `[A-Za-z_][A-Za-z0-9_]*`: how the kernel names drop reasons. */
function isIdentifier(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
    if (!isLetter && (i === start || code < 48 || code > 57)) return false;
  }
  return start < end;
}
