/**
 * `perf script` text output of `perf record -e skb:kfree_skb`.
 *
 * perf prints one line per sample, each column only when its field is selected (`-F`):
 *
 *   `{comm:%16s} {tid:%7d | pid/tid} [{cpu:%03d}] {time}: {event}: {trace}`
 *
 * where the time has 6 decimals (9 with `--ns`). The comm may hold spaces and dashes
 * (`Web Content`, `kworker/u8:3-fl`), so it is never matched itself: it is what precedes the tid.
 * The usual line is read by one regex from the tid to the payload; any other column set goes
 * through a general reader in three steps: the time (`digits.digits:`, the first one on the
 * line), the columns before it read from the right (the `[cpu]` group, the tid or `pid/tid`
 * before it, and everything left of those is the comm), then the event name and the payload
 * after it. The payload itself is read by `KfreeSkbPayloadReader`. With `-g`, callchain frames
 * follow the sample line, each indented by a tab, and a blank line ends the sample; the event is
 * held until then. `perf script --header` adds `# key : value` lines, read into the trace meta.
 */
import { parseSecondsToNs } from '../../shared/time';
import { HeldEvent, KfreeSkbPayloadReader, isKfreeSkbEventName } from './kfreeSkbPayload';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

/**
 * The usual sample columns from the tid to the payload: ` tid|pid/tid [cpu] time: ` and
 * `skb:kfree_skb: ` (or nothing, with `-F` without `event`) before `skbaddr=`; the comm is what
 * precedes the match. Groups: 1 pid or tid, 2 tid, 3 cpu, 4 time. It starts with a literal
 * blank and no two quantifiers compete for the same characters, so a search stays linear even
 * on a line of a million blanks (a leading `(.*?)` comm group did not: it was cubic).
 */
const USUAL_SAMPLE =
  / (\d{1,10})(?:\/(\d{1,10}))? +\[(\d{1,6})\] +(\d+\.\d+): +(?:skb:kfree_skb: +)?(?=skbaddr=)/;
/** The sample time: the first `digits.digits:` on the line that stands alone as a column. */
const TIME = /(?:^| )(\d+\.\d+):(?= |$)/;
/** A perf event name column (`skb:kfree_skb:`); system and event are identifiers. */
const EVENT_NAME = /^[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$/;
const HEX_ADDRESS = /^[0-9a-f]{1,16}$/i;
const LOST_RECORD = /^PERF_RECORD_LOST(?:_SAMPLES)? lost (\d+)/;
const TOOL_WARNING =
  /^(?:Warning:|Processed \d+ events and lost \d+ chunks!|Check IO\/CPU overload!)/;

/** `perf script --header` keys that become trace meta. */
const HEADER_KEYS: ReadonlyMap<string, string> = new Map([
  ['captured on', 'capturedOn'],
  ['hostname', 'hostname'],
  ['os release', 'osRelease'],
  ['perf version', 'perfVersion'],
  ['cmdline', 'cmdline'],
  ['arch', 'arch'],
  ['nrcpus online', 'nrCpus'],
]);

const TAB = 9;
const HASH = 35;
const SPACE = 32;

/** Owner of the callchain frame lines that follow: no sample is open (a frame is out of place). */
const OWNER_NONE = 0;
/** Owner: the held kfree_skb event. */
const OWNER_EVENT = 1;
/** Owner: a sample that was skipped (another event, a bad line); its frames go with it. */
const OWNER_SKIPPED = 2;

/** Streaming parser for one `perf script` text file; see the file overview. */
class PerfScriptParser implements TraceParser {
  private readonly payload = new KfreeSkbPayloadReader();
  private readonly held: HeldEvent;
  private frameOwner = OWNER_NONE;
  private frames: string[] | null = null;
  /** Frames of the open sample printed without ` (dso)`: perf prints one on every frame. */
  private framesWithoutDso = 0;
  private lastFrameLine = 0;
  private lastFrameText = '';
  private lastFrameHadDso = true;
  private lastLineNumber = 0;
  private lostTotal = 0;

  constructor(private readonly sink: ParseSink) {
    this.held = new HeldEvent(sink);
  }

  line(text: string, lineNumber: number): void {
    this.lastLineNumber = lineNumber;
    if (text.length === 0) {
      this.closeSample();
      return;
    }
    const first = text.charCodeAt(0);
    if (first === TAB) {
      this.frameLine(text, lineNumber);
      return;
    }
    this.closeSample();
    if (first === HASH) {
      this.headerLine(text);
      return;
    }
    this.sampleLine(text, lineNumber);
  }

  end(): void {
    // A last frame line without the ` (dso)` every earlier frame has was cut short.
    if (
      this.frames !== null &&
      this.frames.length > 1 &&
      this.lastFrameLine === this.lastLineNumber &&
      !this.lastFrameHadDso &&
      this.framesWithoutDso === 1
    ) {
      this.frames.pop();
      this.sink.skip(
        this.lastFrameLine,
        this.lastFrameText,
        'truncated last line: callchain frame cut short',
      );
    }
    this.held.finish(this.lastLineNumber);
    this.frames = null;
  }

  /** Emits the open sample (if any) and closes its callchain. */
  private closeSample(): void {
    this.held.release();
    this.frames = null;
    this.frameOwner = OWNER_NONE;
  }

  private headerLine(text: string): void {
    // `# key : value`; other `#` lines (`# ========`, `#`) are comments.
    const colon = text.indexOf(':');
    if (colon < 0) return;
    const key = text.slice(1, colon).trim();
    const metaKey = HEADER_KEYS.get(key);
    if (metaKey === undefined) return;
    const value = text.slice(colon + 1).trim();
    if (metaKey === 'nrCpus') {
      const cpus = Number(value);
      if (Number.isInteger(cpus) && cpus > 0) this.sink.meta({ nrCpus: cpus });
      return;
    }
    this.sink.meta({ [metaKey]: value });
  }

  private sampleLine(text: string, lineNumber: number): void {
    const usual = USUAL_SAMPLE.exec(text);
    if (usual !== null) {
      // Motivation: the column-by-column reader below costs about 1 µs a line more on the
      // default `perf script` output (perf.script.txt repeated to 1.5M lines, CPU time).
      const event = this.held.event;
      if (!this.payload.read(text, usual.index + usual[0].length, event)) {
        this.skipSample(lineNumber, text, this.payload.why);
        return;
      }
      const comm = text.slice(0, usual.index).trim();
      event.comm = comm === '' || comm === ':-1' ? null : comm;
      event.pid = Number(usual[2] ?? usual[1]);
      event.cpu = Number(usual[3]);
      event.timestampNs = parseSecondsToNs(usual[4] ?? '');
      this.holdSample(text, lineNumber);
      return;
    }
    this.unusualSampleLine(text, lineNumber);
  }

  /** Any `-F` field set, a damaged line, another event, a `PERF_RECORD_*` line. */
  private unusualSampleLine(text: string, lineNumber: number): void {
    const time = TIME.exec(text);
    let headerEnd: number;
    let payloadStart: number;
    let timestampNs = Number.NaN;
    if (time !== null) {
      headerEnd = time.index;
      timestampNs = parseSecondsToNs(time[1] ?? '');
      let p = skipSpaces(text, time.index + time[0].length);
      if (text.startsWith('PERF_RECORD_', p)) {
        this.recordLine(text, p, lineNumber);
        return;
      }
      // `-F +period` prints the period between the time and the event name.
      let tokenEnd = tokenEndAt(text, p);
      while (tokenEnd > p && isDigits(text, p, tokenEnd)) {
        p = skipSpaces(text, tokenEnd);
        tokenEnd = tokenEndAt(text, p);
      }
      if (tokenEnd === p + 14 && text.startsWith('skb:kfree_skb:', p)) {
        p = tokenEnd; // the common case, without slicing the name
      } else if (tokenEnd - p > 1 && text.charCodeAt(tokenEnd - 1) === 58 /* : */) {
        const name = text.slice(p, tokenEnd - 1);
        if (!name.includes('=')) {
          const why = perfEventNameWhy(name);
          if (why !== null) {
            this.skipSample(lineNumber, text, why);
            return;
          }
          p = tokenEnd;
        }
      }
      payloadStart = p;
    } else {
      // No time column (`-F` without time) or a damaged one: the payload is found by its
      // first field, and the event name, if printed, is the column just before it.
      const skbaddr = text.indexOf('skbaddr=');
      if (skbaddr < 0) {
        this.notASample(text, lineNumber);
        return;
      }
      payloadStart = skbaddr;
      headerEnd = skbaddr;
      const columnEnd = trimEndIndex(text, skbaddr);
      const columnStart = text.lastIndexOf(' ', columnEnd - 1) + 1;
      if (columnEnd > columnStart && text.charCodeAt(columnEnd - 1) === 58 /* : */) {
        const name = text.slice(columnStart, columnEnd - 1);
        const why =
          EVENT_NAME.test(name) || name === 'kfree_skb' ? perfEventNameWhy(name) : 'bad timestamp';
        if (why !== null) {
          this.skipSample(lineNumber, text, why);
          return;
        }
        headerEnd = columnStart;
        // A time column left of the event name that TIME did not accept is damaged.
        const before = trimEndIndex(text, columnStart);
        if (before > 0 && text.charCodeAt(before - 1) === 58 /* : */) {
          this.skipSample(lineNumber, text, 'bad timestamp');
          return;
        }
      }
    }

    const event = this.held.event;
    if (!this.payload.read(text, payloadStart, event)) {
      this.skipSample(lineNumber, text, this.payload.why);
      return;
    }
    const why = readColumns(text, headerEnd, event);
    if (why !== null) {
      this.skipSample(lineNumber, text, why);
      return;
    }
    event.timestampNs = timestampNs;
    this.holdSample(text, lineNumber);
  }

  private holdSample(text: string, lineNumber: number): void {
    const event = this.held.event;
    event.callchain = null;
    event.line = lineNumber;
    this.held.hold(text, this.payload.fields);
    this.frameOwner = OWNER_EVENT;
  }

  /** `PERF_RECORD_*` lines (`--show-lost-events`, `--show-task-events` …). */
  private recordLine(text: string, start: number, lineNumber: number): void {
    const lost = LOST_RECORD.exec(text.slice(start));
    if (lost !== null) {
      const count = Number(lost[1]);
      this.lostTotal += count;
      this.sink.meta({ lost: this.lostTotal });
      this.sink.warn(`line ${lineNumber}: perf lost ${count} events (${text.slice(start).trim()})`);
      return;
    }
    const nameEnd = tokenEndAt(text, start);
    this.skipSample(lineNumber, text, `other event: ${text.slice(start, nameEnd)}`);
  }

  /** A line with neither a time column nor a payload. */
  private notASample(text: string, lineNumber: number): void {
    if (text.trim() === '') {
      this.closeSample();
      return;
    }
    if (TOOL_WARNING.test(text)) {
      this.sink.warn(`line ${lineNumber}: ${text.trim()}`);
      return;
    }
    this.skipSample(lineNumber, text, 'not a skb:kfree_skb event line');
  }

  private skipSample(lineNumber: number, text: string, why: string): void {
    this.sink.skip(lineNumber, text, why);
    this.frameOwner = OWNER_SKIPPED;
  }

  /**
   * `\t    ffffffff81e42650 sk_skb_reason_drop+0x90 ([kernel.kallsyms])` → `sk_skb_reason_drop+0x90`;
   * `\t    7f585ccd8c6c [unknown] ([unknown])` → `0x7f585ccd8c6c`.
   */
  private frameLine(text: string, lineNumber: number): void {
    if (this.frameOwner === OWNER_SKIPPED) return;
    if (this.frameOwner === OWNER_NONE) {
      this.sink.skip(lineNumber, text, 'callchain frame without an event line');
      return;
    }
    const start = skipSpaces(text, 1);
    const addressEnd = tokenEndAt(text, start);
    const address = text.slice(start, addressEnd);
    if (!HEX_ADDRESS.test(address)) {
      this.sink.skip(lineNumber, text, 'bad callchain frame address');
      return;
    }
    // The symbol runs up to the last ` (dso)`; C++ symbols may hold spaces and parentheses.
    const rest = text.slice(addressEnd + 1);
    const dso = rest.endsWith(')') ? rest.lastIndexOf(' (') : -1;
    const symbol = (dso >= 0 ? rest.slice(0, dso) : rest).trim();
    const frame = symbol === '' || symbol === '[unknown]' ? `0x${address}` : symbol;
    if (this.frames === null) {
      this.frames = [];
      this.held.event.callchain = this.frames;
      this.framesWithoutDso = 0;
    }
    this.frames.push(frame);
    if (dso < 0) this.framesWithoutDso++;
    this.lastFrameLine = lineNumber;
    this.lastFrameText = text;
    this.lastFrameHadDso = dso >= 0;
  }
}

/** Why a sample of event `name` is not loaded, or null for skb:kfree_skb. */
function perfEventNameWhy(name: string): string | null {
  if (name === 'skb:kfree_skb') return null;
  // perf always prints `system:event`; a bare name is tracefs or trace-cmd text.
  if (isKfreeSkbEventName(name)) return `not perf script output: event name ${name} without skb:`;
  return `other event: ${name}`;
}

/**
 * Reads `{comm} {tid | pid/tid} [cpu]` from the right, up to `end`, into `event`. Returns why the
 * columns are bad, or null. Scans character codes in place: no regex, one slice (the comm).
 */
function readColumns(
  text: string,
  end: number,
  event: { cpu: number; pid: number; comm: string | null },
): string | null {
  event.cpu = -1;
  event.pid = -1;
  let columnEnd = trimEndIndex(text, end);
  let columnStart = text.lastIndexOf(' ', columnEnd - 1) + 1;
  if (columnEnd > columnStart && text.charCodeAt(columnStart) === 91 /* [ */) {
    const cpu =
      text.charCodeAt(columnEnd - 1) === 93 /* ] */ && columnEnd - columnStart <= 8
        ? readDigits(text, columnStart + 1, columnEnd - 1)
        : -1;
    if (cpu < 0) return 'bad [cpu] column';
    event.cpu = cpu;
    columnEnd = trimEndIndex(text, columnStart);
    columnStart = text.lastIndexOf(' ', columnEnd - 1) + 1;
  }
  if (columnEnd > columnStart && columnEnd - columnStart <= 21) {
    // `tid`, or `pid/tid` with -F pid,tid: the tid is the thread that dropped.
    const slash = text.indexOf('/', columnStart);
    const tid =
      slash >= 0 && slash < columnEnd
        ? readDigits(text, columnStart, slash) >= 0
          ? readDigits(text, slash + 1, columnEnd)
          : -1
        : readDigits(text, columnStart, columnEnd);
    if (tid >= 0) {
      event.pid = tid;
      columnEnd = trimEndIndex(text, columnStart);
    }
  }
  let commStart = 0;
  while (commStart < columnEnd && text.charCodeAt(commStart) === SPACE) commStart++;
  event.comm =
    commStart === columnEnd || (columnEnd - commStart === 3 && text.startsWith(':-1', commStart))
      ? null
      : text.slice(commStart, columnEnd);
  return null;
}

/** The value of 1 to 10 decimal digits in [start, end), or -1. */
function readDigits(text: string, start: number, end: number): number {
  if (start >= end || end - start > 10) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function skipSpaces(text: string, index: number): number {
  let i = index;
  while (i < text.length && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Index just past the last non-space character before `end`. */
function trimEndIndex(text: string, end: number): number {
  let i = end;
  while (i > 0 && text.charCodeAt(i - 1) === SPACE) i--;
  return i;
}

function tokenEndAt(text: string, start: number): number {
  const space = text.indexOf(' ', start);
  return space < 0 ? text.length : space;
}

function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A perf sample line of skb:kfree_skb: `comm tid [cpu] time: skb:kfree_skb: skbaddr=`. */
const DETECT_SAMPLE = /(?:^|\s)\d+(?:\/\d+)? +\[\d+\] +\d+\.\d+: +(?:\d+ +)?skb:kfree_skb: /;
/** The `-F …,trace` form without the event name: `comm tid [cpu] time: skbaddr=`. */
const DETECT_SAMPLE_NO_NAME = /(?:^|\s)\d+(?:\/\d+)? +\[\d+\] +\d+\.\d+: +skbaddr=/;
/** A perf sample of another event (`skb:consume_skb:`), which perf may record alongside. */
const DETECT_OTHER_SAMPLE = /(?:^|\s)\d+(?:\/\d+)? +\[\d+\] +\d+\.\d+: +[A-Za-z_]\w*:\w+: /;
const DETECT_HEADER = /^# (?:captured on|perf version|os release|nrcpus online|cmdline) *:/;
/**
 * Reduced `-F` sets without the cpu column (`-F time,trace`, `-F comm,tid,time,event,trace`): a
 * time stamp then the payload, with no `comm-pid [cpu]` ftrace prefix before it.
 */
const DETECT_SAMPLE_REDUCED =
  /^(?:(?!.*-\d+ +\[\d+\]).*\s)?\d+\.\d+: +(?:skb:kfree_skb: +)?skbaddr=\S+ .*location=/;
/** `-F trace` alone: the bare tracepoint payload. */
const DETECT_PAYLOAD_ONLY = /^skbaddr=\S+ (?:rx_sk=\S+ )?protocol=\d+ location=\S+/;

/**
 * Scores `perf script` text: a `--header` block, or sample lines whose tid column stands after a
 * space (ftrace and trace-cmd join comm and pid with a dash) and whose event is `skb:kfree_skb`.
 */
function detectPerfScript(head: readonly string[]): number {
  let header = false;
  let samples = 0;
  let others = 0;
  let reduced = 0;
  let payloadOnly = 0;
  let considered = 0;
  for (const text of head) {
    const first = text.charCodeAt(0);
    if (first === TAB) continue;
    if (first === HASH) {
      if (DETECT_HEADER.test(text)) header = true;
      continue;
    }
    considered++;
    if (DETECT_SAMPLE.test(text) || DETECT_SAMPLE_NO_NAME.test(text)) samples++;
    else if (DETECT_OTHER_SAMPLE.test(text)) others++;
    else if (DETECT_SAMPLE_REDUCED.test(text)) reduced++;
    else if (DETECT_PAYLOAD_ONLY.test(text)) payloadOnly++;
  }
  if (header) return samples + reduced + payloadOnly > 0 || considered === 0 ? 0.99 : 0.9;
  if (samples > 0) return 0.5 + 0.45 * ((samples + others) / considered);
  // Reduced field sets carry less evidence: score them below the full forms of other tools.
  if (reduced > 0) return 0.3 + 0.4 * (reduced / considered);
  if (payloadOnly > 0) return 0.3 + 0.3 * (payloadOnly / considered);
  return 0;
}

/** `perf script` text (any `-F` field set, `--ns`, `--reltime`, `--header`, `-g` callchains). */
export const perfScriptFormat: TraceFormatDefinition = {
  name: 'perf-script',
  label: 'perf script text',
  detect: detectPerfScript,
  createParser: (sink) => new PerfScriptParser(sink),
};
