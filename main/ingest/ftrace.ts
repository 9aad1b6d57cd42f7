/**
 * tracefs text: `/sys/kernel/tracing/trace` (with its `#` header) and `trace_pipe` (without).
 *
 * The kernel prints each event as (kernel/trace/trace_output.c, `trace_print_context`)
 *
 *   `{comm:%16s}-{pid:%-7d} [({tgid})] [{cpu:%03d}] [{flags}] {secs:%5lu}.{usecs:%06lu}: …`
 *
 * followed by `{event}: {payload}`.
 *
 * The comm may hold dashes (`kworker/u8:3-fl`), so the pid is the digits after the *last* dash
 * that is followed by spaces and the `[cpu]` group; one regex anchored on that `-pid  [cpu]`
 * shape reads the whole prefix. The tgid column appears with `options/record-tgid`; the flags
 * column (`..s1.`, 4 characters before 5.15, 5 since) is absent when `options/irq-info` is off.
 * `CPU:N [LOST M EVENTS]` notices say the ring buffer overwrote events; the header line
 * `# entries-in-buffer/entries-written: 405/405   #P:2` says how many it lost before the read.
 * With a `stacktrace` trigger, a `<stack trace>` line and ` => symbol` lines follow the event;
 * they become its callchain.
 *
 * `FtraceTextParser` holds the logic shared with trace-cmd report, whose lines have the same
 * shape; each subclass supplies its prefix regex and its own non-event lines.
 */
import { parseSecondsToNs } from '../../shared/time';
import { HeldEvent, KfreeSkbPayloadReader, isKfreeSkbEventName } from './kfreeSkbPayload';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

const HASH = 35;
const SPACE = 32;

/** Owner of the stack frame lines that follow: none (a frame is out of place). */
const OWNER_NONE = 0;
/** Owner: the held kfree_skb event. */
const OWNER_EVENT = 1;
/** Owner: a stack trace of an event that was skipped; its frames go with it. */
const OWNER_SKIPPED = 2;

/** The parts of an event line's prefix that a dialect's regex captures. */
export interface FtraceContext {
  pid: string;
  cpu: string;
  time: string;
}

/**
 * A streaming parser for text in the ftrace event-line shape (`comm-pid [cpu] … time: event:`).
 *
 * Subclasses give the prefix regex (`context`: it must match from the dash before the pid through
 * the blank after the time colon), how to read its groups, and how to read the lines that are
 * not events. Holds one event at a time (with its stack frames); O(line length) per line.
 */
export abstract class FtraceTextParser implements TraceParser {
  protected readonly payload = new KfreeSkbPayloadReader();
  protected readonly held: HeldEvent;
  private frameOwner = OWNER_NONE;
  private frames: string[] | null = null;
  private lastLineNumber = 0;
  private warnedCounterClock = false;
  private readonly context: FtraceContext = { pid: '', cpu: '', time: '' };

  protected constructor(
    protected readonly sink: ParseSink,
    private readonly contextPattern: RegExp,
  ) {
    this.held = new HeldEvent(sink);
  }

  /**
   * Reads pid, cpu and time text from a match of the context regex into `out`. The regex must
   * match from the dash before the pid: the comm is the text before the match.
   */
  protected abstract readContext(match: RegExpExecArray, out: FtraceContext): void;

  /**
   * Reads a line that has no event prefix (header, notice, tool banner). Returns true when the
   * line was one of those; false makes the line a skipped line.
   */
  protected abstract nonEventLine(text: string, lineNumber: number): boolean;

  line(text: string, lineNumber: number): void {
    this.lastLineNumber = lineNumber;
    const match =
      text.length > 0 && text.charCodeAt(0) !== HASH ? this.contextPattern.exec(text) : null;
    if (match === null && text.startsWith('kfree_skb: ')) {
      // `options/context-info` off: the event name and payload only.
      this.eventLine(text, lineNumber, null, 10);
      return;
    }
    if (match === null) {
      if (isStackFrame(text)) {
        this.stackFrame(text, lineNumber);
        return;
      }
      this.closeRecord();
      if (text.trim() === '') return;
      if (this.nonEventLine(text, lineNumber)) return;
      this.sink.skip(lineNumber, text, diagnoseLine(text));
      return;
    }
    const nameStart = match.index + match[0].length;
    if (text.startsWith('kfree_skb: ', nameStart)) {
      this.eventLine(text, lineNumber, match, nameStart + 10);
      return;
    }
    let nameEnd = text.indexOf(' ', nameStart);
    if (nameEnd < 0) nameEnd = text.length;
    if (
      text.startsWith('<stack trace>', nameStart) ||
      text.startsWith('<user stack trace>', nameStart)
    ) {
      this.stackTraceHeader(text, lineNumber, match);
      return;
    }
    this.closeRecord();
    if (nameEnd - nameStart < 2 || text.charCodeAt(nameEnd - 1) !== 58 /* : */) {
      this.skipRecord(lineNumber, text, 'not a skb:kfree_skb event line');
      return;
    }
    const name = text.slice(nameStart, nameEnd - 1);
    if (!isKfreeSkbEventName(name)) {
      if (name === 'kernel_stack' || name === 'user_stack') {
        this.stackTraceHeader(text, lineNumber, match);
      } else {
        this.skipRecord(lineNumber, text, `other event: ${name}`);
      }
      return;
    }
    this.eventLine(text, lineNumber, match, nameEnd);
  }

  /** A kfree_skb line whose payload starts at `payloadStart`. */
  private eventLine(
    text: string,
    lineNumber: number,
    match: RegExpExecArray | null,
    payloadStart: number,
  ): void {
    this.closeRecord();
    const event = this.held.event;
    if (!this.payload.read(text, payloadStart, event)) {
      this.skipRecord(lineNumber, text, this.payload.why);
      return;
    }
    const context = this.context;
    if (match === null) {
      context.pid = '';
      context.cpu = '';
      context.time = '';
    } else this.readContext(match, context);
    // The comm is right-aligned in its column: only leading blanks are padding.
    const comm = match === null ? '' : text.slice(0, match.index).trimStart();
    event.comm = comm === '' || comm === '<...>' ? null : comm;
    event.pid = context.pid === '' ? -1 : Number(context.pid);
    event.cpu = context.cpu === '' ? -1 : Number(context.cpu);
    event.timestampNs = context.time === '' ? Number.NaN : this.readTime(context.time);
    event.callchain = null;
    event.line = lineNumber;
    this.held.hold(text, this.payload.fields);
    this.frameOwner = OWNER_EVENT;
  }

  end(): void {
    this.held.finish(this.lastLineNumber);
    this.frames = null;
    this.frameOwner = OWNER_NONE;
  }

  /** Emits the held event and closes its stack trace. */
  protected closeRecord(): void {
    this.held.release();
    this.frames = null;
    this.frameOwner = OWNER_NONE;
  }

  /** `<stack trace>` / `kernel_stack:` line: the frames after it belong to the event before it. */
  private stackTraceHeader(text: string, lineNumber: number, match: RegExpExecArray): void {
    if (this.frameOwner === OWNER_EVENT && this.held.isHeld) {
      this.readContext(match, this.context);
      const cpu = this.context.cpu === '' ? -1 : Number(this.context.cpu);
      if (cpu === this.held.event.cpu) return;
    }
    this.closeRecord();
    this.skipRecord(lineNumber, text, 'other event: stack trace');
  }

  /** ` => ip6_pkt_discard+0x11/0x20` → `ip6_pkt_discard+0x11`. */
  private stackFrame(text: string, lineNumber: number): void {
    if (this.frameOwner === OWNER_SKIPPED) return;
    if (this.frameOwner === OWNER_NONE) {
      this.sink.skip(lineNumber, text, 'stack frame without an event line');
      return;
    }
    const arrow = text.indexOf('=>');
    let frame = text.slice(arrow + 2).trim();
    // trace-cmd prints `sym (ffffffff820e9091)`; tracefs prints `sym+0xoff/0xsize [module]`.
    const space = frame.indexOf(' ');
    if (space >= 0) frame = frame.slice(0, space);
    const slash = frame.indexOf('/');
    if (slash >= 0) frame = frame.slice(0, slash);
    if (frame === '') {
      this.sink.skip(lineNumber, text, 'empty stack frame');
      return;
    }
    if (this.frames === null) {
      this.frames = [];
      this.held.event.callchain = this.frames;
    }
    this.frames.push(frame);
  }

  private skipRecord(lineNumber: number, text: string, why: string): void {
    this.sink.skip(lineNumber, text, why);
    this.frameOwner = OWNER_SKIPPED;
  }

  /** `6925.762560` → ns. An integer is a raw counter clock (`trace_clock` counter/x86-tsc). */
  private readTime(text: string): number {
    if (text.includes('.')) return parseSecondsToNs(text);
    if (!this.warnedCounterClock) {
      this.warnedCounterClock = true;
      this.sink.warn(
        `timestamps like ${text} are raw counter values (trace_clock counter or x86-tsc), not seconds: event times are left unknown`,
      );
    }
    return Number.NaN;
  }
}

/** ` => symbol` (tracefs, after `<stack trace>`) or `=> symbol` (trace-cmd). */
function isStackFrame(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === 9)) i++;
  return text.startsWith('=> ', i);
}

const HAS_CPU = /\[\d+\]/;
const HAS_TASK_PID = /-\d{1,10} +(?:\([^)]{0,12}\) +)?\[\d+\]/;
const HAS_TIME_AFTER_CPU = /\[\d{1,6}\] +(?:\S{1,8} +)?\d+(?:\.\d+)?: /;

/** Why a line without an event prefix was skipped; runs only for skipped lines. */
function diagnoseLine(text: string): string {
  if (!text.includes('skbaddr=') && !text.includes('kfree_skb')) {
    return 'not a skb:kfree_skb event line';
  }
  if (!HAS_CPU.test(text)) return 'missing [cpu] column';
  if (!HAS_TASK_PID.test(text)) return 'missing task-pid before [cpu]';
  if (HAS_TIME_AFTER_CPU.test(text)) return 'bad flags column';
  return 'bad timestamp';
}

/**
 * `-pid [(tgid)] [cpu] [flags] time: ` — groups: pid, cpu, flags, time; the comm is what precedes
 * the match. The search finds the first dash whose rest matches, which is the last dash of the
 * comm column. It starts with a literal dash and no two quantifiers compete for the same
 * characters, so it stays linear on hostile lines (a leading `^ *(.*?)` comm group did not).
 */
const FTRACE_CONTEXT =
  /-(\d{1,10}) +(?:\( *(?:\d{1,10}|-{1,10})\) +)?\[(\d{1,6})\] +(?:(\S{4,5}) +)?(\d+(?:\.\d+)?): |-(\d{1,10}) +(\d{1,6})(\S{4,5}) +(\d+)us[^\d:]?: /;
const ENTRIES_HEADER = /^# entries-in-buffer\/entries-written: (\d+)\/(\d+)(?:\s+#P:(\d+))?/;
const TRACER_HEADER = /^# tracer: (\S+)/;
const LOST_NOTICE = /^CPU:(\d+) \[LOST (\d+) EVENTS\]/;

/** Streaming parser for `trace` / `trace_pipe` text; see the file overview. */
class FtraceParser extends FtraceTextParser {
  /** Events lost before the read, from the header (written − in buffer). */
  private headerLost = 0;
  /** Events lost during the read, from `CPU:N [LOST M EVENTS]` notices. */
  private noticeLost = 0;

  constructor(sink: ParseSink) {
    super(sink, FTRACE_CONTEXT);
  }

  protected override readContext(match: RegExpExecArray, out: FtraceContext): void {
    if (match[5] !== undefined) {
      // `options/latency-format`: `comm-pid  0..s1. 2470619873us+: ` (cpu glued to the flags,
      // time in microseconds).
      out.pid = match[5];
      out.cpu = match[6] ?? '';
      const micros = match[8] ?? '';
      out.time =
        micros.length > 6
          ? `${micros.slice(0, -6)}.${micros.slice(-6)}`
          : `0.${micros.padStart(6, '0')}`;
      return;
    }
    out.pid = match[1] ?? '';
    out.cpu = match[2] ?? '';
    out.time = match[4] ?? '';
  }

  protected override nonEventLine(text: string, lineNumber: number): boolean {
    if (text.charCodeAt(0) === HASH) {
      this.headerLine(text);
      return true;
    }
    const lost = LOST_NOTICE.exec(text);
    if (lost !== null) {
      const count = Number(lost[2]);
      this.noticeLost += count;
      this.sink.meta({ lost: this.headerLost + this.noticeLost });
      this.sink.warn(`line ${lineNumber}: the ring buffer of CPU ${lost[1]} lost ${count} events`);
      return true;
    }
    return false;
  }

  /** `# tracer: nop`, `# entries-in-buffer/entries-written: 405/405   #P:2`; others are comments. */
  private headerLine(text: string): void {
    const entries = ENTRIES_HEADER.exec(text);
    if (entries !== null) {
      const inBuffer = Number(entries[1]);
      const written = Number(entries[2]);
      this.headerLost = Math.max(0, written - inBuffer);
      const patch: Record<string, number> = {
        entriesInBuffer: inBuffer,
        entriesWritten: written,
        lost: this.headerLost + this.noticeLost,
      };
      if (entries[3] !== undefined) patch.nrCpus = Number(entries[3]);
      this.sink.meta(patch);
      if (this.headerLost > 0) {
        this.sink.warn(
          `the trace header says ${written} events were written but only ${inBuffer} were still in the buffer: ${this.headerLost} were overwritten`,
        );
      }
      return;
    }
    const tracer = TRACER_HEADER.exec(text);
    if (tracer?.[1] !== undefined) this.sink.meta({ tracer: tracer[1] });
  }
}

/** An event line with a flags column: `comm-pid [001] ..s1.  6925.762560: name: `. */
const DETECT_FLAGS_LINE =
  /-\d{1,10} +(?:\([ \d-]{1,12}\) +)?\[\d{1,6}\] +[^\s\d]\S{3,4} +\d+\.\d+: \S{1,64} /;
/** The same without flags (irq-info off, old kernels), with tracefs' single blank after the name. */
const DETECT_PLAIN_LINE =
  /-\d{1,10} +(?:\([ \d-]{1,12}\) +)?\[\d{1,6}\] +\d+\.\d+: kfree_skb: skbaddr=/;
/** `options/latency-format`: `comm-pid  0..s1. 2470619873us+: kfree_skb: `. */
const DETECT_LATENCY_LINE = /-\d{1,10} +\d{1,6}\S{4,5} +\d+us[^\d:]?: kfree_skb: skbaddr=/;
/** `options/context-info` off: `kfree_skb: skbaddr=…`. */
const DETECT_NO_CONTEXT_LINE = /^kfree_skb: skbaddr=\S+ /;

/**
 * Scores tracefs text: the `# tracer:` header, or `comm-pid [cpu] flags time:` lines (trace-cmd
 * report has no flags column, perf no dash before the pid).
 */
function detectFtrace(head: readonly string[]): number {
  let flagged = 0;
  let plain = 0;
  let kfreeSkb = 0;
  let considered = 0;
  for (const text of head) {
    if (text.charCodeAt(0) === HASH) {
      if (text.startsWith('# tracer: ') || text.startsWith('# entries-in-buffer/')) return 0.99;
      continue;
    }
    if (isStackFrame(text) || LOST_NOTICE.test(text)) continue;
    considered++;
    if (DETECT_FLAGS_LINE.test(text) || DETECT_LATENCY_LINE.test(text)) flagged++;
    else if (DETECT_PLAIN_LINE.test(text) || DETECT_NO_CONTEXT_LINE.test(text)) plain++;
    if (text.includes(' kfree_skb: ') || text.startsWith('kfree_skb: ')) kfreeSkb++;
  }
  if (considered === 0 || kfreeSkb === 0) return 0;
  if (flagged > 0) return 0.5 + 0.45 * ((flagged + plain) / considered);
  if (plain > 0) return 0.4 + 0.2 * (plain / considered);
  return 0;
}

/** tracefs `trace` / `trace_pipe` text (with or without the `#` header). */
export const ftraceFormat: TraceFormatDefinition = {
  name: 'ftrace',
  label: 'ftrace trace / trace_pipe text',
  detect: detectFtrace,
  createParser: (sink) => new FtraceParser(sink),
};
