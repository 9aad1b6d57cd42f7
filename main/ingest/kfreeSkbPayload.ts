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
 * How the parts fit: `KfreeSkbPayloadReader.read` scans the payload token by token with `indexOf`
 * (no regex over the whole line, so no backtracking) and fills the payload fields of an
 * `EventInput`. Each format parser reads its own line prefix (comm, pid, cpu, time) and then holds
 * the event in a `HeldEvent` until the next line arrives: only at `end()` can it tell that an
 * event line was the last line of the input, and a last line that lacks an optional field every
 * earlier event had (`reason:`, `rx_sk=`) was cut short and is skipped rather than loaded.
 */
import { emptyEventInput } from '../../shared/model';
import type { EventInput } from '../../shared/model';
import type { ParseSink } from './TraceParser';

/** Bit of `KfreeSkbPayloadReader.fields`: the payload had `rx_sk=` (kernels 6.11 and later). */
export const PAYLOAD_RX_SK = 1;
/** Bit of `KfreeSkbPayloadReader.fields`: the payload had a reason (kernels 5.17 and later). */
export const PAYLOAD_REASON = 2;

const SKB_DROP_REASON_PREFIX = 'SKB_DROP_REASON_';
const HEX_VALUE = /^(?:0x)?[0-9a-f]+$/i;
const HEX_NUMBER = /^0x[0-9a-f]{1,12}$/i;
const DECIMAL_NUMBER = /^\d{1,15}$/;
const REASON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NULL_POINTER = /^(?:0x)?0+$/;
const SPACE = 32;

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
 * One instance per parser; `read` allocates nothing but the field strings. Required fields are
 * the ones every kernel prints (`skbaddr=`, `protocol=`, `location=`); `rx_sk=` and the reason are
 * optional and stay unknown (`null`, `-1`) when absent. Fields may come in any order (the raw
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
            const value = text.slice(i + 8, tokenEnd);
            if (!HEX_VALUE.test(value)) return this.fail(`bad skbaddr= value "${value}"`);
            out.skbaddr = value;
            hasSkbaddr = true;
          }
          break;
        case 114: // r
          if (text.startsWith('rx_sk=', i)) {
            const value = text.slice(i + 6, tokenEnd);
            if (value === '(nil)' || NULL_POINTER.test(value)) out.rxSk = null;
            else if (HEX_VALUE.test(value)) out.rxSk = value;
            else return this.fail(`bad rx_sk= value "${value}"`);
            this.fields |= PAYLOAD_RX_SK;
          } else if (text.startsWith('reason:', i) || text.startsWith('reason=', i)) {
            let value = text.slice(i + 7, tokenEnd);
            if (value === '' && text.charCodeAt(i + 6) === 58 /* : */) {
              // `reason: NAME`: the value is the next token.
              let next = tokenEnd;
              while (next < end && text.charCodeAt(next) === SPACE) next++;
              tokenEnd = text.indexOf(' ', next);
              if (tokenEnd < 0) tokenEnd = end;
              value = text.slice(next, tokenEnd);
            }
            if (!this.readReason(value, out)) return false;
            this.fields |= PAYLOAD_REASON;
          }
          break;
        case 112: // p
          if (text.startsWith('protocol=', i)) {
            const value = text.slice(i + 9, tokenEnd);
            const protocol = DECIMAL_NUMBER.test(value)
              ? Number(value)
              : HEX_NUMBER.test(value)
                ? Number.parseInt(value.slice(2), 16)
                : -1;
            if (protocol < 0 || protocol > 0xffffffff) {
              return this.fail(`bad protocol= value "${value}"`);
            }
            out.protocol = protocol;
            hasProtocol = true;
          }
          break;
        case 108: // l
          if (text.startsWith('location=', i)) {
            let value = text.slice(i + 9, tokenEnd);
            // `sym+0xoff/0xsize` → `sym+0xoff`: the size is the same for every drop at `sym`.
            const slash = value.indexOf('/');
            if (slash >= 0) value = value.slice(0, slash);
            if (value === '') return this.fail('empty location= value');
            out.location = value;
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
  private readReason(value: string, out: EventInput): boolean {
    if (value === '') return this.fail('empty reason: value');
    if (DECIMAL_NUMBER.test(value)) {
      out.reasonValue = Number(value);
    } else if (HEX_NUMBER.test(value)) {
      out.reasonValue = Number.parseInt(value.slice(2), 16);
    } else if (REASON_NAME.test(value)) {
      out.reason = value.startsWith(SKB_DROP_REASON_PREFIX)
        ? value.slice(SKB_DROP_REASON_PREFIX.length)
        : value;
    } else {
      return this.fail(`bad reason: value "${value}"`);
    }
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
