/**
 * `trace-cmd report` text of a trace.dat holding skb:kfree_skb events.
 *
 * trace-cmd (tracecmd/trace-read.c) prints `cpus=N` first, then one line per event:
 *
 *   default   `{comm:%16s}-{pid:%-5d} [{cpu:%03d}] {time}: {event}: {padding to 20} {payload}`
 *   `-l`      `{comm:%8.8s}-{pid:%-5d} {cpu:%3d}{latency flags} {time}: {event}: …`
 *
 * where the time has 6 decimals (9 with `-t`, a bare counter for raw clocks) and `--ts-diff`
 * adds `(+delta)` after it. Lost events show up as `CPU:N [M EVENTS DROPPED]` notices. The
 * line shape is ftrace's, so the parsing lives in `FtraceTextParser`; this file supplies the
 * prefix regex and trace-cmd's own non-event lines.
 */
import { FtraceTextParser } from './ftrace';
import type { FtraceContext } from './ftrace';
import type { ParseSink, TraceFormatDefinition } from './TraceParser';

/**
 * `-pid [cpu] [flags] time: [(+diff)] ` or, with `-l`, `-pid cpuFLAGS time: `; the comm is what
 * precedes the match. Groups: 1 pid, 2 cpu (bracketed), 3 flags, 4 cpu (latency form),
 * 5 flags, 6 time. Linear for the same reasons as ftrace's context regex.
 */
const TRACE_CMD_CONTEXT =
  /-(\d{1,10}) +(?:\( *(?:\d{1,10}|-{1,10})\) +)?(?:\[(\d{1,6})\](?: +([^\s\d]\S{2,5}))?|(\d{1,6})([^\s\d]\S{2,5})) +(\d+(?:\.\d+)?):(?: +\(\+\d+\))? +/;
const CPUS_LINE = /^cpus=(\d+)$/;
const VERSION_LINE = /^version = (\d+)$/;
const DROPPED_NOTICE = /^CPU:(\d+) \[(?:(\d+) )?EVENTS DROPPED\]/;
/**
 * Lines that are no events and no errors: buffer notices, and what `trace-cmd report --verbose`
 * prints about its plugins before the events.
 */
const QUIET_NOTICE =
  /^(?:CPU:\d+ \[SUBBUFFER START\]|CPU \d+ is empty|registering plugin: |overriding event \(\d+\) |removing override handler for event |plugin_\w+ already loaded| {2}\S+ plugin options?)/;

/** Streaming parser for `trace-cmd report` text; see the file overview. */
class TraceCmdReportParser extends FtraceTextParser {
  private lostTotal = 0;

  constructor(sink: ParseSink) {
    super(sink, TRACE_CMD_CONTEXT);
  }

  protected override readContext(match: RegExpExecArray, out: FtraceContext): void {
    out.pid = match[1] ?? '';
    out.cpu = match[2] ?? match[4] ?? '';
    out.time = match[6] ?? '';
  }

  protected override nonEventLine(text: string, lineNumber: number): boolean {
    const cpus = CPUS_LINE.exec(text);
    if (cpus !== null) {
      this.sink.meta({ nrCpus: Number(cpus[1]) });
      return true;
    }
    const version = VERSION_LINE.exec(text);
    if (version !== null) {
      this.sink.meta({ traceDatVersion: Number(version[1]) });
      return true;
    }
    const dropped = DROPPED_NOTICE.exec(text);
    if (dropped !== null) {
      if (dropped[2] === undefined) {
        this.sink.warn(`line ${lineNumber}: CPU ${dropped[1]} dropped events (count not recorded)`);
      } else {
        const count = Number(dropped[2]);
        this.lostTotal += count;
        this.sink.meta({ lost: this.lostTotal });
        this.sink.warn(`line ${lineNumber}: CPU ${dropped[1]} dropped ${count} events`);
      }
      return true;
    }
    return QUIET_NOTICE.test(text) || text.charCodeAt(0) === 35; /* # */
  }
}

/**
 * An event line as trace-cmd prints it, of any event: `-pid [cpu] time: name:` followed by
 * trace-cmd's padding of the name to 20 columns, or the `-l` form `-pid cpuFLAGS time: name: `.
 */
const DETECT_TYPICAL_LINE =
  /-\d{1,10} +(?:\[\d{1,6}\] +\d+(?:\.\d+)?:(?: +\(\+\d+\))? +[\w:]{1,64}: {2}|\d{1,6}[^\s\d]\S{2,5} +\d+(?:\.\d+)?:(?: +\(\+\d+\))? +[\w:]{1,64}: )/;
/** Neither padded nor flagged: could be tracefs with irq-info off as well. */
const DETECT_PLAIN_LINE = /-\d{1,10} +\[\d{1,6}\] +\d+(?:\.\d+)?: +(?:skb:)?kfree_skb: skbaddr=/;
/** `CPU:0 [12 EVENTS DROPPED]`, `CPU 3 is empty`: neither for nor against. */
const DETECT_NOTICE = /^CPU[: ]\d+ /;

/**
 * Scores trace-cmd report text: the `cpus=N` first line, or event lines with trace-cmd's padded
 * event name or its `-l` latency column (tracefs has a flags column after `[cpu]` and a single
 * blank after the name; perf has no dash before the pid).
 */
function detectTraceCmdReport(head: readonly string[]): number {
  const first = head[0] ?? '';
  if (CPUS_LINE.test(first) || (VERSION_LINE.test(first) && CPUS_LINE.test(head[1] ?? ''))) {
    return 0.99;
  }
  let typical = 0;
  let plain = 0;
  let kfreeSkb = 0;
  let considered = 0;
  for (const text of head) {
    if (text.charCodeAt(0) === 35 /* # */) {
      if (text.startsWith('# tracer: ')) return 0;
      continue;
    }
    if (DETECT_NOTICE.test(text)) continue;
    considered++;
    if (DETECT_TYPICAL_LINE.test(text)) typical++;
    else if (DETECT_PLAIN_LINE.test(text)) plain++;
    if (text.includes('kfree_skb: ')) kfreeSkb++;
  }
  if (considered === 0 || kfreeSkb === 0) return 0;
  if (typical > 0) return 0.5 + 0.45 * ((typical + plain) / considered);
  if (plain > 0) return 0.3 + 0.2 * (plain / considered);
  return 0;
}

/** `trace-cmd report` text (default, `-l` latency, `-t` nanoseconds, `--ts-diff`). */
export const traceCmdReportFormat: TraceFormatDefinition = {
  name: 'trace-cmd-report',
  label: 'trace-cmd report text',
  detect: detectTraceCmdReport,
  createParser: (sink) => new TraceCmdReportParser(sink),
};
