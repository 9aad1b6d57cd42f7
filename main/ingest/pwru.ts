/**
 * Streaming parser for pwru ("packet, where are you?") text and `--output-json` output.
 *
 * pwru prints one line per traced kernel function an skb passes through. Only the lines whose
 * function frees the skb with a drop reason are drops: `kfree_skb_reason(SKB_DROP_REASON_X)` and
 * (Linux 6.11+) `sk_skb_reason_drop(SKB_DROP_REASON_X)`; pwru prints `kfree_skb_reason (N)` when
 * it has no name for the number, and kernels before 5.17 show a bare `kfree_skb`, read as a drop
 * without reason. Every other function line is a step of the packet's path: counted in
 * `meta.pwruNonDropLines`, neither an event nor skipped.
 *
 * Line layouts (cilium/pwru internal/pwru/output.go, by version):
 *
 * - v1.0.5+: `[TIME] SKB CPU PROCESS [TIMESTAMP] [NETNS MARK/x IFACE PROTO MTU LEN [cb[]]]
 *   [NETNS NAME] [TUPLE] FUNC [CALLER] [TUNNEL]`, PROCESS `comm:pid` / `~path:pid` / `<empty>:pid`.
 * - before: `[TIME] SKB CPU [PROCESS] FUNC [TIMESTAMP] [netns=… mark=… iface=… proto=… mtu=…
 *   len=…] [TUPLE]`, PROCESS in brackets: `[<empty>]`, `[curl]`, `[/usr/bin/curl:1234]`.
 *
 * Columns are found by shape, not position, so any mix of flags reads: the meta block by its
 * `0x`-protocol with numeric netns/mtu/len around it, the tuple by its `->`. `--output-stack`
 * frames (one symbol per line after the event) become the drop's callchain; other lines after an
 * event (`--output-skb` dumps …) are counted in `meta.pwruDetailLines`. pwru's own log lines
 * (Go `log` timestamps, slog `time=` lines, attach progress) are noise.
 *
 * Fields: skbaddr, cpu, pid and comm (the executable's base name; the printed process in
 * `extra.process`), protocol from the meta block's ethertype or else from the tuple's address
 * family (IPv4/IPv6), location from `--output-caller` or else the first stack frame that is not
 * a free function; netns, mark, iface, mtu, len, tuple and timestamps in `extra`.
 * Timestamps: `--timestamp current` prints bpf_ktime_get_ns (monotonic ns) → `timestampNs`;
 * `relative` prints per-skb deltas: the first 0 seen switches timestamps off (kept in extra).
 */
import { emptyEventInput, type EventInput } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

const REASON_PREFIX = 'SKB_DROP_REASON_';
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;

/** Functions whose call is a drop. */
const DROP_FUNCTIONS = ['kfree_skb_reason', 'sk_skb_reason_drop', 'kfree_skb'] as const;

/** Stack frames that are the freeing machinery, not the place that decided to drop. */
const FREE_FRAME =
  /^(?:kfree_skb|__kfree_skb|sk_skb_reason_drop|skb_release|kfree_skbmem|trace_|bpf_|__bpf|kprobe|ftrace|0x)/;

const STACK_FRAME = /^[\w.$]+(?:\+0x[0-9a-f]+(?:\/0x[0-9a-f]+)?)?(?:\[\w+\])?$/;
const GO_LOG_PREFIX = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?$/;
const CLOCK_TIME = /^\d{2}:\d{2}:\d{2}(?:\.\d+)?$/;

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

/** Whether `text` is hex digits without a prefix (pwru prints the mark as `%x`). */
function isBareHex(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** The drop function a FUNC token names, or null when it is not a drop. */
function dropFunctionOf(token: string): string | null {
  for (const name of DROP_FUNCTIONS) {
    if (token === name) return name;
    if (token.startsWith(name) && token.charCodeAt(name.length) === 40 /* ( */) return name;
  }
  return null;
}

/** Reads the reason of `kfree_skb_reason(SKB_DROP_REASON_X)` / `kfree_skb_reason (5)`. */
function readReason(funcToken: string, name: string, next: string | undefined, event: EventInput) {
  let inside: string | null = null;
  if (funcToken.length > name.length) {
    inside = funcToken.slice(name.length + 1, funcToken.endsWith(')') ? -1 : undefined);
  } else if (next && next.startsWith('(') && next.endsWith(')')) {
    inside = next.slice(1, -1);
  }
  if (inside === null || inside.length === 0) return;
  if (isDigits(inside)) event.reasonValue = Number(inside);
  else
    event.reason = inside.startsWith(REASON_PREFIX) ? inside.slice(REASON_PREFIX.length) : inside;
}

/** Splits a printed process into comm (base name) and pid. */
function readProcess(printed: string, event: EventInput): void {
  let text = printed;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  let name = text;
  const open = text.lastIndexOf('(');
  const colon = text.lastIndexOf(':');
  if (text.endsWith(')') && open > 0 && isDigits(text.slice(open + 1, -1))) {
    event.pid = Number(text.slice(open + 1, -1));
    name = text.slice(0, open);
  } else if (colon > 0 && isDigits(text.slice(colon + 1))) {
    event.pid = Number(text.slice(colon + 1));
    name = text.slice(0, colon);
  }
  if (name === '<empty>' || name.length === 0) return;
  const slash = name.lastIndexOf('/');
  const base = slash >= 0 ? name.slice(slash + 1) : name;
  event.comm = base.startsWith('~') ? base.slice(1) : base;
}

/** The ethertype implied by a tuple's address family, or -1. */
function protocolOfTuple(tuple: string): number {
  if (tuple.startsWith('[')) return ETH_P_IPV6;
  const c = tuple.charCodeAt(0);
  return c >= 48 && c <= 57 ? ETH_P_IP : -1;
}

/** Splits `symbol[module]` into its parts. */
function splitModule(symbol: string): { symbol: string; module: string | null } {
  const open = symbol.indexOf('[');
  if (open > 0 && symbol.endsWith(']')) {
    return { symbol: symbol.slice(0, open), module: symbol.slice(open + 1, -1) };
  }
  return { symbol, module: null };
}

/** Result of reading one text line that starts like a pwru event. */
type Reading = { kind: 'drop' } | { kind: 'step' } | { kind: 'bad'; why: string };

/**
 * Reads an event line (already split into tokens) into `event` and `extra`.
 *
 * `start` is the index of the SKB token (1 when an absolute time precedes it).
 */
function readEventTokens(
  tokens: readonly string[],
  start: number,
  event: EventInput,
  extra: Record<string, string | number>,
): Reading {
  const skb = tokens[start] ?? '';
  const cpu = tokens[start + 1] ?? '';
  if (!isDigits(cpu))
    return { kind: 'bad', why: `pwru line: CPU column is not a number: '${cpu}'` };
  event.skbaddr = skb;
  event.cpu = Number(cpu);
  if (start === 1) extra.time = tokens[0] ?? '';

  // PROCESS: one token, or a bracketed name that may hold spaces.
  let index = start + 2;
  const first = tokens[index];
  if (first === undefined) return { kind: 'bad', why: 'pwru line ends before its PROCESS column' };
  let process = first;
  if (first.startsWith('[') && !first.endsWith(']')) {
    while (index + 1 < tokens.length && !(tokens[index] ?? '').endsWith(']')) {
      index++;
      process += ` ${tokens[index] ?? ''}`;
    }
    if (!process.endsWith(']')) return { kind: 'bad', why: 'pwru line: unterminated [PROCESS]' };
  }
  index++;
  extra.process = process;
  readProcess(process, event);

  // Locate the meta block by its 0x protocol with numbers around it (new layout).
  let cursor = index;
  for (let m = index + 3; m + 2 < tokens.length; m++) {
    const proto = tokens[m] ?? '';
    if (
      isHex(proto) &&
      proto.length <= 6 &&
      isDigits(tokens[m - 3] ?? '') &&
      isBareHex(tokens[m - 2] ?? '') &&
      isDigits(tokens[m + 1] ?? '') &&
      isDigits(tokens[m + 2] ?? '')
    ) {
      if (m - 3 > index) extra.timestamp = tokens[index] ?? '';
      extra.netns = Number(tokens[m - 3]);
      extra.mark = tokens[m - 2] ?? '';
      extra.iface = tokens[m - 1] ?? '';
      event.protocol = parseInt(proto, 16);
      extra.mtu = Number(tokens[m + 1]);
      extra.len = Number(tokens[m + 2]);
      cursor = m + 3;
      if ((tokens[cursor] ?? '').startsWith('[0x')) extra.cb = tokens[cursor++] ?? '';
      break;
    }
    if (dropFunctionOf(proto) !== null) break; // past any meta block
  }
  if (cursor === index && isDigits(tokens[index] ?? '')) {
    extra.timestamp = tokens[index] ?? ''; // new layout, --timestamp without --output-meta
    cursor++;
  }
  // NETNS NAME (rare) then TUPLE, then FUNC.
  const afterMeta = tokens[cursor] ?? '';
  if (!afterMeta.includes('->') && (tokens[cursor + 1] ?? '').includes('->')) {
    extra.netnsName = afterMeta;
    cursor++;
  }
  const tuple = tokens[cursor] ?? '';
  if (tuple.includes('->')) {
    extra.tuple = tuple;
    if (event.protocol < 0) event.protocol = protocolOfTuple(tuple);
    cursor++;
  }
  const funcAt = cursor;
  const func = tokens[funcAt];
  if (func === undefined) return { kind: 'bad', why: 'pwru line ends before its FUNC column' };
  const dropName = dropFunctionOf(func);

  // After FUNC: the old layout's [TIMESTAMP] [key=value meta] [TUPLE], then (new layout)
  // [CALLER] [TUNNEL]. Each part is optional and recognised by shape.
  let rest = funcAt + 1;
  if (dropName && func === dropName && (tokens[rest] ?? '').startsWith('(')) rest++;
  if (funcAt === index && isDigits(tokens[rest] ?? '')) extra.timestamp = tokens[rest++] ?? '';
  while (rest < tokens.length && (tokens[rest] ?? '').includes('=')) {
    const pair = tokens[rest++] ?? '';
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'proto' && isHex(value)) event.protocol = parseInt(value, 16);
    else if (key === 'netns' || key === 'mtu' || key === 'len') {
      extra[key] = isDigits(value) ? Number(value) : value;
    } else extra[key] = value;
  }
  if (!extra.tuple && (tokens[rest] ?? '').includes('->')) {
    const oldTuple = tokens[rest++] ?? '';
    extra.tuple = oldTuple;
    if (event.protocol < 0) event.protocol = protocolOfTuple(oldTuple);
  }
  const caller = tokens[rest];
  if (caller !== undefined && !caller.includes('->')) {
    const { symbol, module } = splitModule(caller);
    extra.caller = caller;
    if (dropName) event.location = symbol;
    if (module) extra.module = module;
    rest++;
  }
  if ((tokens[rest] ?? '').includes('->')) extra.tunnel = tokens[rest] ?? '';
  if (!dropName) return { kind: 'step' };
  extra.func = dropName;
  readReason(func, dropName, tokens[funcAt + 1], event);
  return { kind: 'drop' };
}

/** Index of the SKB token when `tokens` start like a pwru event line, else -1. */
function eventStart(tokens: readonly string[]): number {
  const t0 = tokens[0] ?? '';
  if (isHex(t0) && isDigits(tokens[1] ?? '')) return 0;
  if ((ISO_TIME.test(t0) || CLOCK_TIME.test(t0)) && isHex(tokens[1] ?? '')) return 1;
  return -1;
}

/** Whether a line is pwru's header (`SKB CPU PROCESS … FUNC`). */
function isHeader(tokens: readonly string[]): boolean {
  return (
    (tokens.includes('SKB') || tokens.includes('SKB/SK')) &&
    tokens.includes('CPU') &&
    tokens.includes('FUNC')
  );
}

/** Whether a line is pwru's own logging or progress output. */
function isNoise(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed === '^C') return true;
  return (
    GO_LOG_PREFIX.test(trimmed) ||
    trimmed.startsWith('time=') ||
    trimmed.startsWith('level=') ||
    trimmed.startsWith('Listening for events') ||
    trimmed.startsWith('Received signal') ||
    trimmed.startsWith('Attaching') ||
    trimmed.startsWith('Attached') ||
    trimmed.startsWith('Detaching') ||
    trimmed.startsWith('Printing') ||
    trimmed.startsWith('Tracing')
  );
}

/** Whether a line after an event belongs to an `--output-skb`-style dump. */
function isDumpLine(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return true; // indented
  return c === 40 /* ( */ || c === 123 /* { */ || c === 125 /* } */ || c === 46; /* . */
}

/** Values of one `--output-json` object that the parser reads. */
interface PwruJson {
  skb?: unknown;
  cpu?: unknown;
  process?: unknown;
  func?: unknown;
  caller_func?: unknown;
  time?: unknown;
  netns?: unknown;
  netns_name?: unknown;
  mark?: unknown;
  iface?: unknown;
  proto?: unknown;
  mtu?: unknown;
  len?: unknown;
  tuple?: { saddr?: unknown; daddr?: unknown; sport?: unknown; dport?: unknown; proto?: unknown };
  stack?: unknown;
}

class PwruParser implements TraceParser {
  private readonly event: EventInput = emptyEventInput();
  private hasPending = false;
  private frames: string[] | null = null;
  /**
   * Whether stack frames follow drop lines (--output-stack): unknown until the line after the
   * first drop. Once 'no', drops are emitted at once rather than held (live capture latency).
   */
  private stacks: 'unknown' | 'yes' | 'no' = 'unknown';
  private afterEvent = false;
  private nonDropLines = 0;
  private detailLines = 0;
  private relativeTimestamps = false;
  private headerSeen = false;

  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNumber: number): void {
    if (text.startsWith('{"')) {
      this.flush();
      this.readJsonLine(text, lineNumber);
      return;
    }
    const tokens = text.trim().split(/\s+/);
    const start = eventStart(tokens);
    if (start >= 0) {
      this.flush();
      this.readTextLine(text, tokens, start, lineNumber);
      return;
    }
    if (isHeader(tokens)) {
      this.flush();
      this.afterEvent = false;
      if (!this.headerSeen) {
        this.headerSeen = true;
        this.sink.meta({ pwruHeader: tokens.join(' ') });
      }
      return;
    }
    if (isNoise(text)) return;
    if (this.afterEvent) {
      // --output-stack frames are one bare symbol per line; --output-skb/-shinfo/-bpfmap print
      // BTF dumps (`(struct sk_buff){`, ` .len = …`, `}`) and indented lines.
      const frame = text.trim();
      if (tokens.length === 1 && STACK_FRAME.test(frame)) {
        if (this.hasPending) {
          this.stacks = 'yes';
          (this.frames ??= []).push(frame);
        } else this.detailLines++;
        return;
      }
      if (isDumpLine(text)) {
        this.detailLines++;
        return;
      }
    }
    this.sink.skip(
      lineNumber,
      text,
      "not pwru output: expected '0xSKB CPU PROCESS … FUNC', pwru's header or a JSON line",
    );
  }

  end(): void {
    this.flush();
    this.sink.meta({ pwruNonDropLines: this.nonDropLines, pwruDetailLines: this.detailLines });
  }

  private resetEvent(lineNumber: number): EventInput {
    const event = this.event;
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
    event.line = lineNumber;
    event.extra = null;
    return event;
  }

  private readTextLine(text: string, tokens: string[], start: number, lineNumber: number): void {
    const event = this.resetEvent(lineNumber);
    const extra: Record<string, string | number> = {};
    const reading = readEventTokens(tokens, start, event, extra);
    if (reading.kind === 'bad') {
      this.afterEvent = false;
      this.sink.skip(lineNumber, text, reading.why);
      return;
    }
    this.afterEvent = true;
    // Relative mode prints 0 for an skb's first line, usually a path step: look at every line.
    if (extra.timestamp === '0') this.noteRelativeTimestamps();
    if (reading.kind === 'step') {
      this.nonDropLines++;
      return;
    }
    this.applyTimestamp(extra.timestamp);
    event.extra = extra;
    this.hasPending = true;
    if (this.stacks === 'no') this.flush();
  }

  private readJsonLine(text: string, lineNumber: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      this.afterEvent = false;
      this.sink.skip(lineNumber, text, `malformed pwru JSON line: ${(error as Error).message}`);
      return;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as PwruJson).func !== 'string'
    ) {
      this.afterEvent = false;
      this.sink.skip(lineNumber, text, 'pwru JSON line without a "func" field');
      return;
    }
    const json = parsed as PwruJson;
    const func = json.func as string;
    const dropName = dropFunctionOf(func.split(' ')[0] ?? '');
    this.afterEvent = false;
    if (!dropName) {
      if (json.time === 0) this.noteRelativeTimestamps();
      this.nonDropLines++;
      return;
    }
    const event = this.resetEvent(lineNumber);
    const extra: Record<string, string | number> = { func: dropName, format: 'json' };
    const [funcToken = '', next] = func.split(' ');
    readReason(funcToken, dropName, next, event);
    if (typeof json.skb === 'string') event.skbaddr = json.skb;
    if (typeof json.cpu === 'number') event.cpu = json.cpu;
    else if (json.cpu === undefined) event.cpu = 0; // omitempty drops CPU 0
    if (typeof json.process === 'string') {
      extra.process = json.process;
      readProcess(json.process, event);
    }
    if (typeof json.caller_func === 'string') {
      const { symbol, module } = splitModule(json.caller_func);
      event.location = symbol;
      extra.caller = json.caller_func;
      if (module) extra.module = module;
    }
    if (typeof json.proto === 'number') event.protocol = json.proto;
    for (const key of ['netns', 'netns_name', 'mark', 'iface', 'mtu', 'len'] as const) {
      const value = json[key];
      if (typeof value === 'number' || typeof value === 'string')
        extra[key === 'netns_name' ? 'netnsName' : key] = value;
    }
    const tuple = json.tuple;
    if (tuple && typeof tuple === 'object' && typeof tuple.saddr === 'string') {
      const saddr = tuple.saddr;
      const daddr = typeof tuple.daddr === 'string' ? tuple.daddr : '';
      extra.tuple = `${saddr}:${portText(tuple.sport)}->${daddr}:${portText(tuple.dport)}`;
      if (event.protocol < 0) event.protocol = protocolOfTuple(saddr);
    }
    if (typeof json.time === 'number' || typeof json.time === 'string') {
      extra.timestamp = json.time;
      if (typeof json.time === 'number') this.applyTimestamp(String(json.time));
    }
    if (typeof json.stack === 'string') {
      const frames = json.stack
        .split('\n')
        .map((f) => f.trim())
        .filter((f) => f.length > 0);
      if (frames.length > 0) event.callchain = frames;
    }
    event.extra = extra;
    if (event.location === null && event.callchain) event.location = firstCaller(event.callchain);
    this.sink.event(event);
  }

  /** Uses a printed TIMESTAMP as the event time unless the file uses relative timestamps. */
  private applyTimestamp(printed: string | number | undefined): void {
    if (typeof printed !== 'string' || !isDigits(printed)) return;
    if (printed === '0') this.noteRelativeTimestamps();
    if (!this.relativeTimestamps) this.event.timestampNs = Number(printed);
  }

  /** Switches to relative mode: a printed 0 is the first sighting of an skb. */
  private noteRelativeTimestamps(): void {
    if (this.relativeTimestamps) return;
    this.relativeTimestamps = true;
    this.sink.meta({ pwruTimestamps: 'relative (per-skb deltas, not used as event time)' });
  }

  /** Emits the held drop with the stack frames that followed it. */
  private flush(): void {
    if (!this.hasPending) return;
    if (this.stacks === 'unknown' && !this.frames) this.stacks = 'no';
    const event = this.event;
    if (this.frames) {
      event.callchain = this.frames;
      if (event.location === null) event.location = firstCaller(this.frames);
    }
    this.sink.event(event);
    this.hasPending = false;
    this.frames = null;
  }
}

/** The first stack frame that is not part of freeing the skb (the code that dropped it). */
function firstCaller(frames: readonly string[]): string | null {
  for (const frame of frames) {
    if (!FREE_FRAME.test(frame)) return splitModule(frame).symbol;
  }
  return null;
}

/**
 * Scores the head of a file as pwru output: its header line is specific (0.95); otherwise the
 * share of lines that start like `0xSKB CPU …`, or JSON objects with "skb" and "func".
 */
function detectPwru(head: readonly string[]): number {
  let header = false;
  let events = 0;
  let drops = 0;
  let other = 0;
  for (const text of head) {
    if (text.includes('skbaddr=')) return 0;
    if (text.charCodeAt(0) === 123) {
      if (text.includes('"skb"') && text.includes('"func"')) {
        events++;
        if (
          text.includes('"func":"kfree_skb_reason') ||
          text.includes('"func":"sk_skb_reason_drop')
        ) {
          drops++;
        }
      } else other++;
      continue;
    }
    const tokens = text.trim().split(/\s+/);
    if (isHeader(tokens)) header = true;
    else if (eventStart(tokens) >= 0) {
      events++;
      if (tokens.some((token) => dropFunctionOf(token) !== null)) drops++;
    } else if (!isNoise(text)) other++;
  }
  if (header) return 0.95;
  if (events === 0) return 0;
  const share = events / (events + other);
  return (drops > 0 ? 0.9 : 0.7) * share;
}

/** pwru output (text, any flag combination, or --output-json): drop lines become events. */
export const pwruFormat: TraceFormatDefinition = {
  name: 'pwru',
  label: 'pwru output',
  detect: detectPwru,
  createParser: (sink) => new PwruParser(sink),
};

/** A port from pwru's JSON tuple (a number, or a string in some versions); 0 when absent. */
function portText(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '0';
}
