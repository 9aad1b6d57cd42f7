/**
 * Streaming parser for the console output of `dropwatch -l kas` (and `-l` omitted).
 *
 * Format facts come from dropwatch's printf strings (nhorman/dropwatch src/main.c; the strings of
 * the Debian 1.5.4 binary; packet-mode blocks quoted in kernel patch threads):
 *
 * - **Summary mode** (the default) prints one line per drop point and batch:
 *   `%d drops at %s+%llx (%p) [software]` (the offset is hex *without* `0x`),
 *   `%d drops at location %p [software]` (no symbol), `%d drops at %s [hardware]` (a devlink
 *   trap name); dropwatch before 1.5 printed the same without the ` [software]` suffix. Each is
 *   a count made by the kernel, so it becomes `sink.aggregate(location, N)`, never N events.
 * - **Packet mode** (`set alertmode packet`) prints one block per dropped packet, ended by a
 *   blank line: `drop at: %s (0x%lx)` (software: `symbol+0xoff/0xsize [module]`) or
 *   `drop at: %s (%s)` (hardware: trap name and group), then `origin: %s`,
 *   `input port ifindex: %d`, `input port name: %s`, `cookie: …`, `timestamp: %s %09ld nsec`
 *   (asctime of the wall clock, local time), `protocol: 0x%x`, `length: %u`,
 *   `original length: %u`, `drop reason: %s`; each line only when the kernel sent the attribute.
 *   A block becomes one event; a block that never reached `original length:` (always sent by the
 *   kernel) is reported as skipped: truncated.
 *
 * Banners, prompts, settings acknowledgements, help text and statistics are noise; dropwatch's
 * own failures (`Unable to find NET_DM family…`, `Failed …`) become warnings.
 *
 * Timestamps: dropwatch prints wall-clock local time without a zone. It is read as if it were
 * UTC and stored as nanoseconds since the epoch (float64: about 256 ns resolution at today's
 * dates); `meta.dropwatchClock` says so, and `extra.timestamp` keeps the printed text.
 */
import { emptyEventInput, type EventInput } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

const REASON_PREFIX = 'SKB_DROP_REASON_';

/** Line prefixes dropwatch prints that carry no drop data. */
const NOISE_PREFIXES = [
  'Initalizing ', // dropwatch ≤ 1.5.3 spelling
  'Initializing ',
  'dropwatch>',
  'Enabling monitoring',
  'Kernel monitoring activated',
  'Issue Ctrl-C to stop monitoring',
  'Got a stop message',
  'Got a config message',
  'Got a sigint while not receiving',
  'Waiting for ',
  'Deactivation requested',
  'Setting alert mode',
  'Alert mode successfully set',
  'Setting truncation length',
  'Truncation length successfully set',
  'Setting queue length',
  'Queue length successfully set',
  'setting ',
  'Alert limit reached',
  'Terminating dropwatch',
  'Shutting down',
  'Alert mode:',
  'Truncation length:',
  'Queue length:',
  'Software statistics:',
  'Hardware statistics:',
  'Tail dropped:',
  'Command Syntax:',
  'Available lookup methods:',
  'kas - use /proc/kallsyms',
  'Only applicable when',
  'Odd, the kernel told us',
  'Got an unexpected ack',
  'Received message of unknown type',
];

/** Line prefixes of dropwatch's own failures: not events, but worth a warning. */
const FAILURE_PREFIXES = [
  'Unable to ',
  'Failed ',
  'Stop request failed',
  'Cleaning up on socket creation error',
  'Invalid alert mode',
  'Unknown lookup method',
  'Unknown state received',
];

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** Whether `text` is a non-empty run of ASCII digits. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether `text` is a run of hex digits, with or without `0x`. */
function isHexNumber(text: string): boolean {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (digits.length === 0) return false;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Normalises a dropwatch symbol to `symbol+0xoff`: adds the `0x` that summary lines omit, drops
 * a `/0xsize` suffix and a ` [module]` suffix (returned separately).
 */
function normaliseSymbol(text: string): { location: string; module: string | null } {
  let symbol = text.trim();
  let module: string | null = null;
  const bracket = symbol.indexOf(' [');
  if (bracket >= 0) {
    module = symbol.slice(bracket + 2).replace(/\]$/, '');
    symbol = symbol.slice(0, bracket);
  }
  const plus = symbol.lastIndexOf('+');
  if (plus > 0) {
    let offset = symbol.slice(plus + 1);
    const slash = offset.indexOf('/');
    if (slash >= 0) offset = offset.slice(0, slash);
    if (isHexNumber(offset)) {
      const hex = offset.startsWith('0x') || offset.startsWith('0X') ? offset.slice(2) : offset;
      symbol = `${symbol.slice(0, plus)}+0x${hex.toLowerCase()}`;
    }
  }
  return { location: symbol, module };
}

/** Parses `Tue Aug 20 10:19:17 2024 859853461 nsec` as if UTC; NaN when it does not fit. */
function parseAsctimeNs(text: string): number {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 6) return Number.NaN;
  const [, monthName = '', day = '', clock = '', year = '', nanos = ''] = parts;
  const month = MONTHS[monthName];
  const hms = clock.split(':');
  if (month === undefined || hms.length !== 3 || !isDigits(day) || !isDigits(year)) {
    return Number.NaN;
  }
  if (!hms.every(isDigits) || !isDigits(nanos)) return Number.NaN;
  const ms = Date.UTC(
    Number(year),
    month,
    Number(day),
    Number(hms[0]),
    Number(hms[1]),
    Number(hms[2]),
  );
  return ms * 1e6 + Number(nanos);
}

/** A summary line read into its parts, or null when the line is not one. */
interface SummaryLine {
  drops: number;
  location: string;
  origin: 'software' | 'hardware' | null;
}

/** Reads `N drops at …` in any of its forms. */
function readSummaryLine(text: string): SummaryLine | null {
  const at = text.indexOf(' drops at ');
  if (at <= 0 || !isDigits(text.slice(0, at))) return null;
  let rest = text.slice(at + 10).trim();
  let origin: SummaryLine['origin'] = null;
  if (rest.endsWith(' [software]')) {
    origin = 'software';
    rest = rest.slice(0, -11);
  } else if (rest.endsWith(' [hardware]')) {
    origin = 'hardware';
    rest = rest.slice(0, -11);
  }
  if (rest.length === 0) return null;
  let location: string;
  if (rest.startsWith('location ')) {
    location = rest.slice(9).trim(); // no symbol: the raw address
  } else {
    const paren = rest.lastIndexOf(' (');
    location =
      paren > 0 && rest.endsWith(')') ? normaliseSymbol(rest.slice(0, paren)).location : rest;
  }
  if (location.length === 0) return null;
  return { drops: Number(text.slice(0, at)), location, origin };
}

/** Turns `input port ifindex` into `inputPortIfindex` for `extra` keys of unknown fields. */
function camelKey(label: string): string {
  const words = label.trim().split(/\s+/);
  return words
    .map((word, i) => (i === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/** Whether a line inside a packet block is a payload hex dump row (`00 3c e7 50 …`). */
function isHexDumpRow(text: string): boolean {
  return text.length >= 3 && isHexNumber(text.slice(0, 2)) && text.charCodeAt(2) === 32;
}

class DropwatchParser implements TraceParser {
  private readonly event: EventInput = emptyEventInput();
  private inBlock = false;
  private blockText = '';
  private extra: Record<string, string | number> = {};
  private sawOriginalLength = false;
  private clockNoted = false;

  constructor(private readonly sink: ParseSink) {}

  line(rawText: string, lineNumber: number): void {
    // The terminal echoes Ctrl-C in front of the next message: `^CGot a stop message`.
    const text = rawText.startsWith('^C') ? rawText.slice(2) : rawText;
    if (this.inBlock) {
      if (text.trim().length === 0) {
        this.finishBlock();
        return;
      }
      if (!text.startsWith('drop at: ') && this.readBlockField(text)) return;
      this.finishBlock();
    }
    if (text.trim().length === 0) return;
    if (text.startsWith('drop at: ')) {
      this.startBlock(rawText, text.slice(9), lineNumber);
      return;
    }
    const summary = readSummaryLine(text);
    if (summary) {
      this.sink.aggregate(summary.location, summary.drops, lineNumber);
      return;
    }
    if (/^\d+ drops at\b/.test(text)) {
      this.sink.skip(
        lineNumber,
        rawText,
        "dropwatch summary line without a drop location after 'drops at'",
      );
      return;
    }
    if (text.charCodeAt(0) === 9 || text.includes('\t - ') || isHelpCommand(text)) return;
    for (const prefix of NOISE_PREFIXES) if (text.startsWith(prefix)) return;
    for (const prefix of FAILURE_PREFIXES) {
      if (text.startsWith(prefix)) {
        this.sink.warn(`dropwatch reported: ${text.trim()} (line ${lineNumber})`);
        return;
      }
    }
    this.sink.skip(
      lineNumber,
      rawText,
      "not dropwatch output: expected 'N drops at …', a 'drop at: …' block or a dropwatch banner",
    );
  }

  end(): void {
    if (this.inBlock) this.finishBlock();
  }

  /** Starts a packet-mode block at its `drop at: ` line. */
  private startBlock(rawText: string, where: string, lineNumber: number): void {
    const event = this.event;
    event.timestampNs = Number.NaN;
    event.cpu = -1;
    event.pid = -1;
    event.comm = null;
    event.skbaddr = null;
    event.rxSk = null;
    event.protocol = -1;
    event.reason = null;
    event.reasonValue = -1;
    event.callchain = null;
    event.line = lineNumber;
    event.extra = null;
    this.extra = {};
    this.sawOriginalLength = false;
    this.inBlock = true;
    this.blockText = rawText;
    const paren = where.lastIndexOf(' (');
    if (paren > 0 && where.endsWith(')')) {
      const inside = where.slice(paren + 2, -1);
      const symbol = where.slice(0, paren);
      if (inside.startsWith('0x')) {
        const { location, module } = normaliseSymbol(symbol);
        event.location = location;
        this.extra.locationAddr = inside;
        if (module) this.extra.module = module;
      } else {
        event.location = symbol.trim(); // a devlink trap name
        this.extra.trapGroup = inside;
      }
    } else {
      event.location = where.trim().length > 0 ? normaliseSymbol(where).location : null;
    }
  }

  /** Reads one `label: value` line of the current block; false when the line is not one. */
  private readBlockField(text: string): boolean {
    if (isHexDumpRow(text)) {
      this.extra.payloadLines = (Number(this.extra.payloadLines) || 0) + 1;
      return true;
    }
    const colon = text.indexOf(': ');
    if (colon <= 0) return false;
    const label = text.slice(0, colon);
    const value = text.slice(colon + 2).trim();
    const event = this.event;
    switch (label) {
      case 'origin':
        this.extra.origin = value;
        return true;
      case 'input port ifindex':
        this.extra.ifindex = isDigits(value) ? Number(value) : value;
        return true;
      case 'input port name':
        this.extra.ifname = value;
        return true;
      case 'cookie':
        this.extra.cookie = value;
        return true;
      case 'timestamp': {
        const nsec = value.endsWith(' nsec') ? value.slice(0, -5) : value;
        event.timestampNs = parseAsctimeNs(nsec);
        this.extra.timestamp = value;
        if (!this.clockNoted && Number.isFinite(event.timestampNs)) {
          this.clockNoted = true;
          this.sink.meta({
            dropwatchClock: 'wall clock as printed by dropwatch (local time, read as UTC)',
          });
        }
        return true;
      }
      case 'protocol':
        event.protocol = isHexNumber(value) ? parseInt(value, 16) : -1;
        if (event.protocol < 0) this.extra.protocol = value;
        return true;
      case 'length':
        this.extra.length = isDigits(value) ? Number(value) : value;
        return true;
      case 'original length':
        this.extra.originalLength = isDigits(value) ? Number(value) : value;
        this.sawOriginalLength = true;
        return true;
      case 'drop reason':
        event.reason = value.startsWith(REASON_PREFIX) ? value.slice(REASON_PREFIX.length) : value;
        return true;
      default:
        // A field this parser does not know (a newer dropwatch): keep it, lower-case labels only.
        if (label.length > 40 || label.toLowerCase() !== label) return false;
        this.extra[camelKey(label)] = value;
        return true;
    }
  }

  /** Emits the current block, or reports it as truncated. */
  private finishBlock(): void {
    this.inBlock = false;
    if (!this.sawOriginalLength) {
      this.sink.skip(
        this.event.line,
        this.blockText,
        "truncated dropwatch packet block: it ends before its 'original length:' line",
      );
      return;
    }
    this.event.extra = this.extra;
    this.sink.event(this.event);
  }
}

/** Whether a line is one of the commands typed at the `dropwatch>` prompt and echoed. */
function isHelpCommand(text: string): boolean {
  const word = text.trim();
  return (
    word === 'start' ||
    word === 'stop' ||
    word === 'exit' ||
    word === 'help' ||
    word === 'show' ||
    word === 'stats' ||
    word === 'set:' ||
    word === 'Summary' ||
    word === 'Packet' ||
    word.startsWith('set ')
  );
}

/**
 * Scores the head of a file as dropwatch output: banners, `N drops at` lines and `drop at:`
 * blocks are specific to dropwatch, so any of them scores high.
 */
function detectDropwatch(head: readonly string[]): number {
  let specific = 0;
  let banner = 0;
  let other = 0;
  for (const raw of head) {
    const text = raw.startsWith('^C') ? raw.slice(2) : raw;
    if (text.includes('skbaddr=')) return 0;
    if (readSummaryLine(text) || text.startsWith('drop at: ')) specific++;
    else if (
      text.startsWith('dropwatch>') ||
      text.startsWith('Kernel monitoring activated') ||
      text.startsWith('Issue Ctrl-C to stop monitoring') ||
      text.startsWith('Initializing kallsyms db') ||
      text.startsWith('Initalizing kallsyms db') ||
      text.startsWith('Initializing null lookup method') ||
      text.startsWith('Initalizing null lookup method')
    ) {
      banner++;
    } else if (
      text.startsWith('origin: ') ||
      text.startsWith('input port ') ||
      text.startsWith('timestamp: ') ||
      text.startsWith('protocol: 0x') ||
      text.startsWith('length: ') ||
      text.startsWith('original length: ') ||
      text.startsWith('drop reason: ')
    ) {
      specific++;
    } else {
      other++;
    }
  }
  if (banner > 0 && specific > 0) return 0.98;
  if (banner > 0) return 0.9;
  if (specific === 0) return 0;
  return 0.9 * (specific / (specific + other));
}

/** dropwatch console output: summary lines (aggregates) and packet-mode blocks (events). */
export const dropwatchFormat: TraceFormatDefinition = {
  name: 'dropwatch',
  label: 'dropwatch output',
  detect: detectDropwatch,
  createParser: (sink) => new DropwatchParser(sink),
};
