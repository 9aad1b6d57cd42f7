/**
 * Streaming parser for bpftrace output of `tracepoint:skb:kfree_skb` programs.
 *
 * Three line layouts are read, each recognised per line:
 *
 * - **Dropscope's recommended program** (bpftraceScript.ts): a `dropscope-bpftrace v1` header
 *   naming the columns, then tab-separated lines. Columns are mapped by the header's names, so
 *   `comm` with spaces is unambiguous and variants (rx_sk, more columns) need no code. Without
 *   the header, tab-separated lines of 9 or 10 fields are read with the recommended columns.
 * - **The "rich" printf** `"%llu %d %s %d 0x%llx %u %d %s\n", nsecs, pid, comm, cpu,
 *   args->skbaddr, args->protocol, args->reason, ksym(args->location)`: nsecs and pid are read
 *   from the left, cpu/skbaddr/protocol/reason/location from the right, and `comm` (which may
 *   hold spaces) is what lies between.
 * - **The one-liner** `printf("%s: %d\n", comm, args->reason)`: the reason is what follows the
 *   last `': '` (comm may itself contain `': '`).
 *
 * In every layout the reason may be a number (what bpftrace 0.17 prints: emitted as
 * `reasonValue`, decoded later with the trace's kernel table) or an enum name, as bpftrace
 * versions that print enums by name do (`SKB_DROP_REASON_NO_SOCKET`: emitted as `reason`
 * without the prefix).
 *
 * Noise, neither events nor skipped: empty lines, `Attaching N probes...`, `Attached N probes`,
 * `Lost N events` (summed into `meta.lost`, and a warning), `WARNING: …`, `ERROR: …` (bpftrace's
 * own diagnostics, e.g. the RLIMIT_MEMLOCK notice when stderr was captured too), `^C`.
 * Map dumps printed at exit (`@name[key]: value`, histogram rows) are tool output but not drops:
 * they are counted in `meta.bpftraceMapLines` and reported once as a warning, not skipped.
 * Indented single-token lines after an event are its `kstack` frames (innermost first).
 */
import { emptyEventInput, type EventInput } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';
import { BPFTRACE_HEADER_MAGIC } from './bpftraceScript';
import { JSON_PREFIX, readJsonEnvelope } from './bpftraceJson';

const REASON_PREFIX = 'SKB_DROP_REASON_';

/** Columns of the recommended program, used when a tab-separated file has no header line. */
const RECOMMENDED_COLUMNS = [
  'nsecs',
  'cpu',
  'tid',
  'comm',
  'skbaddr',
  'protocol',
  'reason',
  'location_addr',
  'location',
] as const;
const RECOMMENDED_RX_SK_COLUMNS = [
  'nsecs',
  'cpu',
  'tid',
  'comm',
  'skbaddr',
  'rx_sk',
  'protocol',
  'reason',
  'location_addr',
  'location',
] as const;

const ATTACHING = /^Attach(?:ing|ed) \d+ probes?/;
const LOST = /^Lost (\d+) events?/;

/** Which layout a line was read with (also reported in `meta.bpftraceLayout`). */
type Layout = 'dropscope-v1' | 'tab' | 'rich' | 'one-liner';

/** Whether `text` is a non-empty run of ASCII digits. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether `text` is `0x` followed by at least one hex digit. */
function isHex(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48 || (text[1] !== 'x' && text[1] !== 'X')) {
    return false;
  }
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Whether `text` looks like an enum name: `[A-Z_][A-Z0-9_]*`. */
function isEnumName(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const digit = c >= 48 && c <= 57;
    if (!(upper || c === 95 || (digit && i > 0))) return false;
  }
  return true;
}

/**
 * Reads a printed reason (number or enum name) into `event`; returns false when it is neither.
 */
function readReason(text: string, event: EventInput): boolean {
  if (isDigits(text)) {
    event.reasonValue = Number(text);
    event.reason = null;
    return true;
  }
  if (isEnumName(text)) {
    event.reason = text.startsWith(REASON_PREFIX) ? text.slice(REASON_PREFIX.length) : text;
    event.reasonValue = -1;
    return text.length > REASON_PREFIX.length || !text.startsWith(REASON_PREFIX);
  }
  return false;
}

/** Resets every field of a reused `EventInput` to unknown. */
function resetEvent(event: EventInput, line: number): void {
  event.timestampNs = Number.NaN;
  event.cpu = -1;
  event.pid = -1;
  event.comm = null;
  event.skbaddr = null;
  event.rxSk = null;
  event.protocol = -1;
  event.location = null;
  event.reason = null;
  event.reasonValue = -1;
  event.callchain = null;
  event.line = line;
  event.extra = null;
}

/** Null for printed NULL pointers (`0x0`, `0`, `(nil)`), the text otherwise. */
function pointerOrNull(text: string): string | null {
  if (text === '(nil)' || text === '' || /^(?:0x)?0+$/.test(text)) return null;
  return text;
}

/** What a tab column holds; decided once per header, not per line. */
const COL_OTHER = 0;
const COL_NSECS = 1;
const COL_CPU = 2;
const COL_TID = 3;
const COL_PID_AS_TID = 4;
const COL_TGID = 5;
const COL_COMM = 6;
const COL_SKBADDR = 7;
const COL_RX_SK = 8;
const COL_PROTOCOL = 9;
const COL_REASON = 10;
const COL_LOCATION_ADDR = 11;
const COL_LOCATION = 12;

/** Column names with what each holds, compiled from a header (or the recommended columns). */
interface TabColumns {
  readonly names: readonly string[];
  readonly codes: Uint8Array;
  /** Index of `comm`, which takes surplus fields (a task name may hold a tab); -1 when none. */
  readonly commAt: number;
}

/** Compiles column names into per-column codes. */
function compileColumns(names: readonly string[]): TabColumns {
  const hasTid = names.includes('tid');
  const codes = new Uint8Array(names.length);
  names.forEach((name, i) => {
    switch (name) {
      case 'nsecs':
      case 'timestamp_ns':
        codes[i] = COL_NSECS;
        break;
      case 'cpu':
        codes[i] = COL_CPU;
        break;
      case 'tid':
        codes[i] = COL_TID;
        break;
      case 'pid':
        // A `pid` column is the thread id only when no `tid` column exists.
        codes[i] = hasTid ? COL_TGID : COL_PID_AS_TID;
        break;
      case 'comm':
        codes[i] = COL_COMM;
        break;
      case 'skbaddr':
        codes[i] = COL_SKBADDR;
        break;
      case 'rx_sk':
        codes[i] = COL_RX_SK;
        break;
      case 'protocol':
        codes[i] = COL_PROTOCOL;
        break;
      case 'reason':
        codes[i] = COL_REASON;
        break;
      case 'location_addr':
        codes[i] = COL_LOCATION_ADDR;
        break;
      case 'location':
        codes[i] = COL_LOCATION;
        break;
      default:
        codes[i] = COL_OTHER;
    }
  });
  return { names, codes, commAt: names.indexOf('comm') };
}

const RECOMMENDED_LAYOUT = compileColumns(RECOMMENDED_COLUMNS);
const RECOMMENDED_RX_SK_LAYOUT = compileColumns(RECOMMENDED_RX_SK_COLUMNS);

/** Scratch field boundaries for readTabLine (grown on demand). */
let fieldStarts = new Int32Array(16);
let fieldEnds = new Int32Array(16);

/**
 * Reads one tab-separated line with the given columns into `event`.
 *
 * Returns null on success or the reason the line cannot be read. A line with more fields than
 * columns gives the surplus to `comm` (a task name may contain a tab).
 *
 * Motivation: `split('\t')` plus a switch on column names cost 3.5 µs per line; scanning field
 * boundaries with indexOf and reading numbers from char codes costs about 1 µs (1M lines of
 * the recommended program's output, node 20 on the 2-vCPU dev VM, --cpu-prof).
 */
function readTabLine(text: string, columns: TabColumns, event: EventInput): string | null {
  const wanted = columns.codes.length;
  let count = 0;
  let start = 0;
  for (;;) {
    if (count === fieldStarts.length) {
      const grownStarts = new Int32Array(count * 2);
      const grownEnds = new Int32Array(count * 2);
      grownStarts.set(fieldStarts);
      grownEnds.set(fieldEnds);
      fieldStarts = grownStarts;
      fieldEnds = grownEnds;
    }
    const tab = text.indexOf('\t', start);
    fieldStarts[count] = start;
    fieldEnds[count] = tab < 0 ? text.length : tab;
    count++;
    if (tab < 0) break;
    start = tab + 1;
  }
  if (count !== wanted) {
    if (count < wanted || columns.commAt < 0) {
      return `expected ${wanted} tab-separated fields (${columns.names.join(', ')}), found ${count}`;
    }
    // Merge the surplus into comm: comm ends where field commAt + surplus ends.
    const surplus = count - wanted;
    const at = columns.commAt;
    fieldEnds[at] = fieldEnds[at + surplus] ?? 0;
    for (let k = at + 1; k < wanted; k++) {
      fieldStarts[k] = fieldStarts[k + surplus] ?? 0;
      fieldEnds[k] = fieldEnds[k + surplus] ?? 0;
    }
  }
  let extra: Record<string, string | number> | null = null;
  for (let i = 0; i < wanted; i++) {
    const from = fieldStarts[i] ?? 0;
    const to = fieldEnds[i] ?? 0;
    const code = columns.codes[i];
    if (code === COL_COMM) {
      event.comm = text.slice(from, to);
    } else if (
      code === COL_NSECS ||
      code === COL_CPU ||
      code === COL_TID ||
      code === COL_PID_AS_TID ||
      code === COL_TGID ||
      code === COL_PROTOCOL
    ) {
      const value = digitsValue(text, from, to);
      if (Number.isNaN(value)) {
        const name = columns.names[i] ?? '';
        const what = code === COL_NSECS ? 'a number of nanoseconds' : 'a number';
        return `column ${name} is not ${what}: '${text.slice(from, to)}'`;
      }
      if (code === COL_NSECS) event.timestampNs = value;
      else if (code === COL_CPU) event.cpu = value;
      else if (code === COL_PROTOCOL) event.protocol = value;
      else if (code === COL_TGID) (extra ??= {}).tgid = value;
      else event.pid = value;
    } else if (code === COL_REASON) {
      const value = digitsValue(text, from, to);
      if (Number.isNaN(value)) {
        const reason = text.slice(from, to);
        if (!readReason(reason, event)) {
          return `column reason is neither a number nor an SKB_DROP_REASON_* name: '${reason}'`;
        }
      } else {
        event.reasonValue = value;
        event.reason = null;
      }
    } else {
      const value = text.slice(from, to);
      if (code === COL_SKBADDR) {
        if (!isHex(value)) return `column skbaddr is not a 0x address: '${value}'`;
        event.skbaddr = value;
      } else if (code === COL_RX_SK) {
        if (!isHex(value) && value !== '(nil)')
          return `column rx_sk is not a 0x address: '${value}'`;
        event.rxSk = pointerOrNull(value);
      } else if (code === COL_LOCATION_ADDR) {
        if (!isHex(value)) return `column location_addr is not a 0x address: '${value}'`;
        (extra ??= {}).locationAddr = value;
      } else if (code === COL_LOCATION) {
        if (value.length === 0) return 'column location is empty';
        event.location = value;
      } else {
        (extra ??= {})[columns.names[i] ?? ''] = value;
      }
    }
  }
  event.extra = extra;
  return null;
}

/**
 * Reads one "rich" printf line (`nsecs pid comm cpu 0xskbaddr protocol reason location`).
 *
 * Returns null on success or the reason the line cannot be read.
 */
function readRichLine(text: string, event: EventInput): string | null {
  const tooFew = 'expected 8 space-separated fields (nsecs pid comm cpu 0xskbaddr …)';
  // One forward pass records where the spaces are; the fixed fields are then cut from both
  // ends and comm is what lies between. Numbers are read straight from the char codes.
  // Motivation: five lastIndexOf calls and per-field slices cost 2.2 µs per line; this pass
  // costs about 1 µs (1M lines of bpftrace-rich.txt, node 20 on the 2-vCPU dev VM).
  const spaces = SPACE_POSITIONS;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 32) {
      if (count === spaces.length) {
        // Keep the first two and shift the window of the last five.
        spaces.copyWithin(2, 3);
        count--;
      }
      spaces[count++] = i;
    }
  }
  if (count < 7) return tooFew;
  const first = spaces[0] ?? 0;
  const second = spaces[1] ?? 0;
  const s1 = spaces[count - 5] ?? 0;
  const s2 = spaces[count - 4] ?? 0;
  const s3 = spaces[count - 3] ?? 0;
  const s4 = spaces[count - 2] ?? 0;
  const s5 = spaces[count - 1] ?? 0;
  const nsecs = digitsValue(text, 0, first);
  if (Number.isNaN(nsecs)) return `first field (nsecs) is not a number: '${text.slice(0, first)}'`;
  const pid = digitsValue(text, first + 1, second);
  if (Number.isNaN(pid))
    return `second field (pid) is not a number: '${text.slice(first + 1, second)}'`;
  const cpu = digitsValue(text, s1 + 1, s2);
  if (Number.isNaN(cpu)) return `cpu field is not a number: '${text.slice(s1 + 1, s2)}'`;
  const skbaddr = text.slice(s2 + 1, s3);
  if (!isHex(skbaddr)) return `skbaddr field is not a 0x address: '${skbaddr}'`;
  const protocol = digitsValue(text, s3 + 1, s4);
  if (Number.isNaN(protocol)) return `protocol field is not a number: '${text.slice(s3 + 1, s4)}'`;
  const reasonValue = digitsValue(text, s4 + 1, s5);
  if (Number.isNaN(reasonValue)) {
    const reason = text.slice(s4 + 1, s5);
    if (!readReason(reason, event)) {
      return `reason field is neither a number nor an SKB_DROP_REASON_* name: '${reason}'`;
    }
  } else {
    event.reasonValue = reasonValue;
    event.reason = null;
  }
  if (s5 === text.length - 1) return 'location field is empty';
  event.timestampNs = nsecs;
  event.pid = pid;
  event.comm = text.slice(second + 1, s1);
  event.cpu = cpu;
  event.skbaddr = skbaddr;
  event.protocol = protocol;
  event.location = text.slice(s5 + 1);
  return null;
}

/** Scratch space for readRichLine: the first two and the last five space positions. */
const SPACE_POSITIONS = new Int32Array(7);

/** The decimal value of text[start, end), or NaN when it is empty or not all digits. */
function digitsValue(text: string, start: number, end: number): number {
  if (end <= start) return Number.NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    value = value * 10 + c;
  }
  return value;
}

/** Reads one `comm: reason` line. Returns null on success or the reason it cannot be read. */
function readOneLiner(text: string, event: EventInput): string | null {
  const colon = text.lastIndexOf(': ');
  if (colon < 0) return "expected 'comm: reason'";
  const value = text.slice(colon + 2);
  if (!readReason(value, event)) {
    return `after the last ': ' expected a reason number or SKB_DROP_REASON_* name, found '${value}'`;
  }
  event.comm = text.slice(0, colon);
  return null;
}

/** What kind of line a non-noise line is, for `detect` and the parser alike. */
interface LineReading {
  layout: Layout | null;
  why: string | null;
}

/**
 * Reads a line that is not noise, trying the layouts in order of specificity.
 *
 * `columns` are the header's (or null when no header was seen).
 */
function readEventLine(text: string, columns: TabColumns | null, event: EventInput): LineReading {
  if (text.includes('\t')) {
    let cols = columns;
    if (!cols) {
      let tabs = 0;
      for (let at = text.indexOf('\t'); at >= 0; at = text.indexOf('\t', at + 1)) tabs++;
      cols = tabs === 9 ? RECOMMENDED_RX_SK_LAYOUT : RECOMMENDED_LAYOUT;
    }
    const why = readTabLine(text, cols, event);
    return why ? { layout: null, why } : { layout: columns ? 'dropscope-v1' : 'tab', why: null };
  }
  const firstSpace = text.indexOf(' ');
  if (firstSpace > 0 && isDigits(text.slice(0, firstSpace))) {
    const why = readRichLine(text, event);
    if (!why) return { layout: 'rich', why: null };
    // A one-liner whose comm starts with digits ("123: 3") is still a one-liner.
    if (readOneLiner(text, event) === null) return { layout: 'one-liner', why: null };
    return { layout: null, why: `bpftrace printf line: ${why}` };
  }
  const why = readOneLiner(text, event);
  if (!why) return { layout: 'one-liner', why: null };
  return {
    layout: null,
    why: `not a bpftrace kfree_skb line (expected 'comm: reason', 'nsecs pid comm cpu 0xskbaddr protocol reason location' or the ${BPFTRACE_HEADER_MAGIC} tab layout): ${why}`,
  };
}

/** Whether a line is bpftrace output that is not an event and not an error. */
function isNoise(text: string): boolean {
  if (text.trim().length === 0) return true;
  if (text === '^C') return true;
  if (text.startsWith('WARNING: ') || text.startsWith('ERROR: ')) return true;
  return ATTACHING.test(text);
}

/** Whether a line belongs to a map dump bpftrace prints at exit. */
function isMapOutput(text: string): boolean {
  if (text.charCodeAt(0) === 64 /* @ */) return true;
  // Histogram rows: `[4, 8)   3 |@@@@   |` and `[1K, 2K) …`.
  return text.charCodeAt(0) === 91 /* [ */ && text.includes('|');
}

/** Compiles the columns of a `dropscope-bpftrace v1\tcol\t…` line; null when none follow. */
function readHeaderColumns(text: string): TabColumns | null {
  const parts = text.split('\t').slice(1);
  const columns = parts.map((part) => part.trim()).filter((part) => part.length > 0);
  return columns.length > 0 ? compileColumns(columns) : null;
}

class BpftraceParser implements TraceParser {
  private readonly event = emptyEventInput();
  private columns: TabColumns | null = null;
  private hasPending = false;
  private pendingFrames: string[] | null = null;
  /**
   * Whether the program prints `kstack` after each event: unknown until the line after the
   * first event. Once known to be 'no', events are emitted at once instead of being held for
   * frames, so a live capture shows each drop as soon as its line arrives.
   */
  private stacks: 'unknown' | 'yes' | 'no' = 'unknown';
  private lost = 0;
  private mapLines = 0;
  private firstMapLine = 0;
  private layout: Layout | null = null;

  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNumber: number): void {
    if (text.startsWith(JSON_PREFIX)) {
      this.jsonLine(text, lineNumber);
      return;
    }
    // kstack frames: indented single tokens after an event (a blank line precedes them).
    if (text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9)) {
      const frame = text.trim();
      if (frame.length > 0 && !frame.includes(' ') && !frame.includes('\t')) {
        if (this.hasPending) {
          this.stacks = 'yes';
          (this.pendingFrames ??= []).push(frame);
          return;
        }
        this.sink.skip(lineNumber, text, 'indented stack frame without a preceding drop line');
        return;
      }
    }
    if (text.trim().length === 0) return; // blank lines may sit between an event and its stack
    if (this.hasPending && this.stacks === 'unknown') this.stacks = 'no';
    this.flush();
    if (text.startsWith(BPFTRACE_HEADER_MAGIC)) {
      this.columns = readHeaderColumns(text);
      this.sink.meta({ bpftraceHeader: BPFTRACE_HEADER_MAGIC });
      return;
    }
    const lost = LOST.exec(text);
    if (lost) {
      const count = Number(lost[1]);
      this.lost += count;
      this.sink.warn(`bpftrace lost ${count} events (line ${lineNumber})`);
      this.sink.meta({ lost: this.lost });
      return;
    }
    if (isNoise(text)) return;
    if (isMapOutput(text)) {
      if (this.mapLines === 0) this.firstMapLine = lineNumber;
      this.mapLines++;
      return;
    }
    const event = this.event;
    resetEvent(event, lineNumber);
    const reading = readEventLine(text, this.columns, event);
    if (!reading.layout) {
      this.sink.skip(lineNumber, text, reading.why ?? 'unreadable bpftrace line');
      return;
    }
    if (this.layout !== reading.layout) {
      this.layout = reading.layout;
      this.sink.meta({ bpftraceLayout: reading.layout });
    }
    this.hasPending = true;
    if (this.stacks === 'no') this.flush();
  }

  /** A `bpftrace -f json` message: its printf text is read like plain output. */
  private jsonLine(text: string, lineNumber: number): void {
    const envelope = readJsonEnvelope(text);
    if ('lines' in envelope) {
      for (const line of envelope.lines) this.line(line, lineNumber);
    } else if ('lost' in envelope) {
      this.lost += envelope.lost;
      this.sink.warn(`bpftrace lost ${envelope.lost} events (line ${lineNumber})`);
      this.sink.meta({ lost: this.lost });
    } else if ('bad' in envelope) {
      this.sink.skip(lineNumber, text, envelope.bad);
    }
  }

  end(): void {
    this.flush();
    this.sink.meta({ lost: this.lost });
    if (this.mapLines > 0) {
      this.sink.meta({ bpftraceMapLines: this.mapLines });
      this.sink.warn(
        `ignored ${this.mapLines} lines of bpftrace map output from line ${this.firstMapLine}: ` +
          'Dropscope reads one printf line per drop, not map summaries',
      );
    }
  }

  /** Emits the held event with the stack frames that followed it. */
  private flush(): void {
    if (!this.hasPending) return;
    this.event.callchain = this.pendingFrames;
    this.sink.event(this.event);
    this.hasPending = false;
    this.pendingFrames = null;
  }
}

/**
 * Scores the head of a file as bpftrace kfree_skb output.
 *
 * 1 for the recommended header; otherwise the share of readable lines, weighted by how specific
 * the layout is (tab/rich 0.8, the bare `comm: N` one-liner 0.6) plus 0.15 for an
 * `Attaching N probes...` banner. Lines holding `skbaddr=` belong to perf/ftrace/trace-cmd text:
 * any such line gives 0.
 */
function detectBpftrace(head: readonly string[]): number {
  const scratch = emptyEventInput();
  let attaching = false;
  let specific = 0;
  let oneLiner = 0;
  let other = 0;
  let columns: TabColumns | null = null;
  // `bpftrace -f json`: score the printf text inside the messages.
  const lines = head.flatMap((text) => {
    if (!text.startsWith(JSON_PREFIX)) return [text];
    const envelope = readJsonEnvelope(text);
    if ('lines' in envelope) return envelope.lines;
    if ('noise' in envelope) attaching = true;
    return [];
  });
  for (const text of lines) {
    if (text.includes('skbaddr=') || text.includes('kfree_skb:')) return 0;
    if (text.startsWith(BPFTRACE_HEADER_MAGIC)) {
      columns = readHeaderColumns(text) ?? RECOMMENDED_LAYOUT;
      continue;
    }
    if (ATTACHING.test(text)) {
      attaching = true;
      continue;
    }
    if (LOST.test(text) || isNoise(text) || isMapOutput(text)) continue;
    if (text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9) continue; // stack frames
    resetEvent(scratch, 0);
    const reading = readEventLine(text, columns, scratch);
    if (reading.layout === 'one-liner') oneLiner++;
    else if (reading.layout) specific++;
    else other++;
  }
  if (columns) return 1;
  const events = specific + oneLiner;
  if (events === 0) return attaching ? 0.3 : 0;
  const share = events / (events + other);
  const base = specific >= oneLiner ? 0.8 : 0.6;
  return Math.min(1, (base + (attaching ? 0.15 : 0)) * share);
}

/** bpftrace printf output of `tracepoint:skb:kfree_skb` (one-liner, rich, or Dropscope's script). */
export const bpftraceFormat: TraceFormatDefinition = {
  name: 'bpftrace',
  label: 'bpftrace output',
  detect: detectBpftrace,
  createParser: (sink) => new BpftraceParser(sink),
};
