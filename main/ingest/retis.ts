/**
 * Streaming parser for retis event files (`retis collect -o retis.data`: one JSON event per
 * line; `retis sort -o`: one JSON array of events per line) and, best effort, the first line of
 * each event in `retis print` text.
 *
 * Format facts (retis-org/retis retis-events/src/*.rs, docs/events/*.md, compat/compat.rs):
 * an event is an object of sections. `common` {timestamp (monotonic ns), smp_id, task {pid, tgid,
 * comm}}, `kernel` {symbol, probe_type, stack_trace?}, `skb-tracking` {orig_head, timestamp,
 * skb (address as a decimal u64)}, `skb-drop` {drop_reason ("NO_SOCKET"), subsys?}, `startup`
 * {retis_version, cmdline, clock_monotonic_offset, machine {kernel_release, kernel_version,
 * hardware_name}} (v1.5+; machine from v1.7). Packet data moved between versions: up to v1.5 it
 * sits under `skb` (`skb.packet`, `skb.dev`, `skb.ns`, and before that flat `skb.etype`,
 * `skb.saddr` …); from v1.6 `packet` {len, capture_len, data (base64 frame)}, `dev` {name,
 * ifindex, rx_ifindex} and `netns` {cookie, inum} are sections of their own. All are read.
 *
 * Only events with an `skb-drop` section are drops. Other events (probe hits on the packet's
 * path) are counted in `meta.retisNonDropEvents`; the startup event fills meta (osRelease,
 * kernelVersion, arch, cmdline, retisVersion); neither is skipped. Malformed JSON is skipped.
 *
 * Location: the first `kernel.stack_trace` frame that is not part of freeing the skb (the code
 * that dropped it); without a stack, `kernel.symbol` (for the common raw tracepoint that is
 * `skb:kfree_skb`, which at least names the probe). The protocol is the ethertype from
 * `skb.etype`, `skb.eth.etype`, or the base64 frame in `packet.data`.
 *
 * u64 values above 2^53 (skb addresses, orig_head) would lose digits in `JSON.parse`; they are
 * turned into strings first, so `skbaddr` is exact.
 */
import { emptyEventInput, type EventInput, type TraceMeta } from '../../shared/model';
import type { ParseSink, TraceFormatDefinition, TraceParser } from './TraceParser';

const REASON_PREFIX = 'SKB_DROP_REASON_';

/** Integer literals of 16 or more digits, which float64 cannot always hold exactly. */
const BIG_INTEGER = /:(\s*)(\d{16,})(?=\s*[,}\]])/g;

/** Stack frames that are the freeing machinery, not the place that decided to drop. */
const FREE_FRAME =
  /^(?:kfree_skb|__kfree_skb|sk_skb_reason_drop|skb_release|kfree_skbmem|trace_|bpf_|__bpf|0x)/;

/** One `retis print` stack line: `symbol+0xoff` (optionally `/0xsize` and ` [module]`). */
const STACK_FRAME = /^[\w.$]+(?:\+0x[0-9a-f]+(?:\/0x[0-9a-f]+)?)?(?: \[[\w-]+\])?$/;

type Json = Record<string, unknown>;

/** The object at `value`, or null. */
function objectOf(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : null;
}

/** A number from a JSON number or a string of digits (big integers are strings); NaN else. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return Number.NaN;
}

/** `0x…` for a decimal u64 given as number or digit string; null when not one. */
function hexAddress(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return `0x${value.toString(16)}`;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return `0x${BigInt(value).toString(16)}`;
  return null;
}

/** Reads ethertype (and IP addresses, ports) from the start of a base64 Ethernet frame. */
function readFrame(base64: string, extra: Record<string, string | number>): number {
  // 96 base64 characters are 72 bytes: Ethernet + VLAN tags + IPv6 header + ports.
  const bytes = Buffer.from(base64.slice(0, 96), 'base64');
  if (bytes.length < 14) return -1;
  let offset = 12;
  let etype = bytes.readUInt16BE(offset);
  while ((etype === 0x8100 || etype === 0x88a8) && bytes.length >= offset + 6) {
    offset += 4;
    etype = bytes.readUInt16BE(offset);
  }
  const ip = offset + 2;
  if (etype === 0x0800 && bytes.length >= ip + 20) {
    extra.saddr = Array.from(bytes.subarray(ip + 12, ip + 16)).join('.');
    extra.daddr = Array.from(bytes.subarray(ip + 16, ip + 20)).join('.');
    const l4 = bytes[ip + 9] ?? 0;
    const headerBytes = ((bytes[ip] ?? 0) & 0x0f) * 4;
    readPorts(bytes, ip + headerBytes, l4, extra);
  } else if (etype === 0x86dd && bytes.length >= ip + 40) {
    extra.saddr = ipv6Text(bytes.subarray(ip + 8, ip + 24));
    extra.daddr = ipv6Text(bytes.subarray(ip + 24, ip + 40));
    readPorts(bytes, ip + 40, bytes[ip + 6] ?? 0, extra);
  }
  return etype;
}

/** Adds the L4 protocol and, for TCP/UDP, the ports at `at`. */
function readPorts(bytes: Buffer, at: number, l4: number, extra: Record<string, string | number>) {
  extra.l4Protocol = l4;
  if ((l4 === 6 || l4 === 17) && bytes.length >= at + 4) {
    extra.sport = bytes.readUInt16BE(at);
    extra.dport = bytes.readUInt16BE(at + 2);
  }
}

/** RFC 5952 text of a 16-byte IPv6 address. */
function ipv6Text(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLength).join(':')}`;
}

/** The first stack frame that is not part of freeing the skb. */
function firstCaller(frames: readonly string[]): string | null {
  for (const frame of frames) if (!FREE_FRAME.test(frame)) return frame;
  return null;
}

/** Strips the `SKB_DROP_REASON_` prefix. */
function reasonName(text: string): string {
  return text.startsWith(REASON_PREFIX) ? text.slice(REASON_PREFIX.length) : text;
}

class RetisParser implements TraceParser {
  private readonly event: EventInput = emptyEventInput();
  private nonDropEvents = 0;
  private textDetailLines = 0;
  private afterTextEvent = false;
  /** A `retis print` drop held until its indented stack lines have been read. */
  private pendingText = false;
  private pendingFrames: string[] | null = null;

  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNumber: number): void {
    const first = text.charCodeAt(0);
    if (first === 32 || first === 9) {
      // `retis print` continues an event on indented lines: stack frames (4 spaces, one
      // symbol each), then device, packet and other sections (2 spaces).
      const frame = text.trim();
      if (frame.length === 0) return;
      if (this.pendingText && text.startsWith('    ') && STACK_FRAME.test(frame)) {
        (this.pendingFrames ??= []).push(frame);
        return;
      }
      if (frame.startsWith('collected with Retis ')) {
        this.sink.meta({ retisVersion: frame.slice(21).split(' ')[0] ?? '' });
        return;
      }
      if (frame.startsWith('on machine ')) {
        const release = frame.slice(11).split(' ')[0];
        if (release) this.sink.meta({ osRelease: release });
        return;
      }
      if (this.afterTextEvent) {
        this.textDetailLines++;
        return;
      }
      this.sink.skip(lineNumber, text, 'indented retis print line without a preceding event line');
      return;
    }
    this.flushText();
    if (first === 123 /* { */ || first === 91 /* [ */) {
      this.afterTextEvent = false;
      this.readJsonLine(text, lineNumber);
      return;
    }
    if (text.trim().length === 0) return;
    if (this.readTextLine(text, lineNumber)) return;
    // The startup event in `retis print`: its timestamp alone (multi-line display, details
    // indented below) or followed by `collected with Retis X on machine …`.
    const collected = text.indexOf('collected with Retis ');
    if (/^\d+$/.test(text) || collected > 0) {
      this.afterTextEvent = true;
      if (collected > 0) {
        const version = text.slice(collected + 21).split(' ')[0];
        if (version) this.sink.meta({ retisVersion: version });
      }
      return;
    }
    this.afterTextEvent = false;
    this.sink.skip(
      lineNumber,
      text,
      'not a retis event: expected a JSON object per line (retis collect -o) or a retis print event line',
    );
  }

  end(): void {
    this.flushText();
    this.sink.meta({ retisNonDropEvents: this.nonDropEvents });
    if (this.textDetailLines > 0) this.sink.meta({ retisDetailLines: this.textDetailLines });
  }

  private readJsonLine(text: string, lineNumber: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(BIG_INTEGER, ':$1"$2"'));
    } catch (error) {
      this.sink.skip(lineNumber, text, `malformed retis JSON: ${(error as Error).message}`);
      return;
    }
    // `retis sort` writes one series (array of events) per line; an old layout wraps events.
    const wrapped = objectOf(parsed);
    if (wrapped && Array.isArray(wrapped.events)) {
      this.readMeta(wrapped);
      parsed = wrapped.events;
    }
    const events = Array.isArray(parsed) ? parsed : [parsed];
    let read = 0;
    for (const item of events) {
      const object = objectOf(item);
      if (!object) continue;
      read++;
      this.readEvent(object, lineNumber);
    }
    if (read === 0) {
      this.sink.skip(lineNumber, text, 'retis JSON line holds no event object');
    }
  }

  private readMeta(object: Json): void {
    const patch: Partial<TraceMeta> = {};
    if (typeof object.hostname === 'string') patch.hostname = object.hostname;
    if (typeof object.kernel === 'string') patch.osRelease = object.kernel;
    if (typeof object.version === 'string') patch.retisVersion = object.version;
    if (Object.keys(patch).length > 0) this.sink.meta(patch);
  }

  private readEvent(object: Json, lineNumber: number): void {
    const startup = objectOf(object.startup);
    if (startup) this.readStartup(startup);
    const drop = objectOf(object['skb-drop']);
    if (!drop) {
      if (!startup) this.nonDropEvents++;
      return;
    }
    const event = this.event;
    const extra: Record<string, string | number> = {};
    resetEvent(event, lineNumber);

    const reason = drop.drop_reason;
    if (typeof reason === 'string') event.reason = reasonName(reason);
    else if (!Number.isNaN(numberOf(reason))) event.reasonValue = numberOf(reason);
    if (typeof drop.subsys === 'string') extra.subsys = drop.subsys;

    const common = objectOf(object.common);
    if (common) {
      event.timestampNs = numberOf(common.timestamp);
      const cpu = numberOf(common.smp_id);
      if (!Number.isNaN(cpu)) event.cpu = cpu;
      const task = objectOf(common.task);
      if (task) {
        const pid = numberOf(task.pid);
        if (!Number.isNaN(pid)) event.pid = pid;
        if (typeof task.comm === 'string') event.comm = task.comm;
        const tgid = numberOf(task.tgid);
        if (!Number.isNaN(tgid)) extra.tgid = tgid;
      }
    }

    const tracking = objectOf(object['skb-tracking']) ?? objectOf(objectOf(object.tracking)?.skb);
    if (tracking) {
      event.skbaddr = hexAddress(tracking.skb);
      const origHead = hexAddress(tracking.orig_head);
      if (origHead) extra.origHead = origHead;
    }

    const kernel = objectOf(object.kernel);
    if (kernel) {
      const symbol = typeof kernel.symbol === 'string' ? kernel.symbol : null;
      if (symbol)
        extra.probe = `${typeof kernel.probe_type === 'string' ? kernel.probe_type : 'probe'} ${symbol}`;
      const stack = Array.isArray(kernel.stack_trace)
        ? kernel.stack_trace.filter((frame): frame is string => typeof frame === 'string')
        : null;
      if (stack && stack.length > 0) event.callchain = stack;
      event.location = (stack ? firstCaller(stack) : null) ?? symbol;
    }
    if (typeof drop.location === 'string') event.location = drop.location;

    this.readPacket(object, event, extra);
    event.extra = extra;
    this.sink.event(event);
  }

  private readStartup(startup: Json): void {
    const patch: Partial<TraceMeta> = {};
    if (typeof startup.retis_version === 'string') patch.retisVersion = startup.retis_version;
    if (typeof startup.cmdline === 'string') patch.cmdline = startup.cmdline;
    const machine = objectOf(startup.machine);
    if (machine) {
      if (typeof machine.kernel_release === 'string' && machine.kernel_release !== 'unknown') {
        patch.osRelease = machine.kernel_release;
      }
      if (typeof machine.kernel_version === 'string') patch.kernelVersion = machine.kernel_version;
      if (typeof machine.hardware_name === 'string') patch.arch = machine.hardware_name;
    }
    const offset = objectOf(startup.clock_monotonic_offset);
    if (offset) {
      const sec = numberOf(offset.sec);
      const nsec = numberOf(offset.nsec);
      // Kept as text: sec * 1e9 + nsec does not fit a float64 exactly.
      if (!Number.isNaN(sec) && !Number.isNaN(nsec)) {
        patch.clockMonotonicOffset = `${sec}.${String(nsec).padStart(9, '0')}`;
      }
    }
    if (typeof startup.hostname === 'string') patch.hostname = startup.hostname;
    this.sink.meta(patch);
  }

  /** Protocol, device, netns and addresses from whichever packet sections this version wrote. */
  private readPacket(object: Json, event: EventInput, extra: Record<string, string | number>) {
    const skb = objectOf(object.skb);
    const dev = objectOf(object.dev) ?? objectOf(skb?.dev);
    const netns = objectOf(object.netns) ?? objectOf(skb?.ns);
    const packet = objectOf(object.packet) ?? objectOf(skb?.packet);
    if (dev) {
      const ifindex = numberOf(dev.ifindex);
      if (!Number.isNaN(ifindex)) extra.ifindex = ifindex;
      if (typeof dev.name === 'string' && dev.name.length > 0) extra.ifname = dev.name;
      const rx = numberOf(dev.rx_ifindex);
      if (!Number.isNaN(rx)) extra.rxIfindex = rx;
    }
    if (netns) {
      const inum = numberOf(netns.inum ?? netns.netns);
      if (!Number.isNaN(inum)) extra.netns = inum;
    }
    if (skb) {
      // Layout before v1.5: flat fields in `skb`.
      const etype = numberOf(skb.etype ?? objectOf(skb.eth)?.etype);
      if (!Number.isNaN(etype)) event.protocol = etype;
      if (typeof skb.dev_name === 'string') extra.ifname = skb.dev_name;
      const ifindex = numberOf(skb.ifindex);
      if (!Number.isNaN(ifindex)) extra.ifindex = ifindex;
      const flatNetns = numberOf(skb.netns);
      if (!Number.isNaN(flatNetns)) extra.netns = flatNetns;
      const ip = objectOf(skb.ip);
      const saddr = ip?.saddr ?? skb.saddr;
      const daddr = ip?.daddr ?? skb.daddr;
      if (typeof saddr === 'string') extra.saddr = saddr;
      if (typeof daddr === 'string') extra.daddr = daddr;
      if (event.protocol < 0) {
        const version = numberOf(skb.ip_version);
        if (version === 4 || (ip && 'v4' in ip)) event.protocol = 0x0800;
        else if (version === 6 || (ip && 'v6' in ip)) event.protocol = 0x86dd;
      }
      const l4 = objectOf(skb.tcp) ?? objectOf(skb.udp);
      const sport = numberOf(l4?.sport ?? skb.sport);
      const dport = numberOf(l4?.dport ?? skb.dport);
      if (!Number.isNaN(sport)) extra.sport = sport;
      if (!Number.isNaN(dport)) extra.dport = dport;
      const meta = objectOf(skb.meta);
      const len = numberOf(meta?.len);
      if (!Number.isNaN(len)) extra.len = len;
    }
    if (packet) {
      const len = numberOf(packet.len);
      if (!Number.isNaN(len)) extra.len = len;
      const data = packet.data ?? packet.raw ?? packet.packet;
      if (typeof data === 'string' && data.length > 0) {
        const etype = readFrame(data, extra);
        if (event.protocol < 0 && etype >= 0) event.protocol = etype;
      }
    }
  }

  /**
   * Reads the first line of a `retis print` event:
   * `{ts} ({cpu}) [{comm}] {pid}[/{tgid}] [{tp|k|kr}] {symbol} [#{id} (skb {addr})] … [drop (reason X)]`.
   * Returns false when the line is not one.
   */
  private readTextLine(text: string, lineNumber: number): boolean {
    const head = readTextHead(text);
    if (!head) return false;
    const { open, close, commEnd, rest, ids, probe } = head;
    const cpu = text.slice(open + 2, close);
    this.afterTextEvent = true;
    const dropAt = text.indexOf(' drop (reason ');
    if (dropAt < 0) {
      this.nonDropEvents++;
      return true;
    }
    const event = this.event;
    resetEvent(event, lineNumber);
    const extra: Record<string, string | number> = { format: 'retis print' };
    const timestamp = text.slice(0, open);
    if (/^\d+$/.test(timestamp)) event.timestampNs = Number(timestamp);
    else extra.time = timestamp;
    event.cpu = Number(cpu);
    event.comm = text.slice(close + 3, commEnd);
    // retis prints `pid/tgid` for threads and the single id when both are equal.
    event.pid = Number(ids[0]);
    extra.tgid = ids[1] !== undefined && /^\d+$/.test(ids[1]) ? Number(ids[1]) : Number(ids[0]);
    const symbol = rest[2] ?? '';
    extra.probe = `${probe} ${symbol}`;
    event.location = symbol.length > 0 ? symbol : null;
    const skbAt = text.indexOf('(skb ');
    if (skbAt >= 0) {
      const end = text.indexOf(')', skbAt);
      const address = text.slice(skbAt + 5, end < 0 ? undefined : end);
      if (/^[0-9a-f]+$/.test(address)) event.skbaddr = `0x${address}`;
    }
    const reasonEnd = text.indexOf(')', dropAt + 14);
    let reason = text.slice(dropAt + 14, reasonEnd < 0 ? undefined : reasonEnd);
    const slash = reason.indexOf('/');
    if (slash >= 0) {
      extra.subsys = reason.slice(0, slash);
      reason = reason.slice(slash + 1);
    }
    event.reason = reasonName(reason);
    event.extra = extra;
    this.pendingText = true;
    return true;
  }

  /** Emits the held `retis print` drop with its stack frames. */
  private flushText(): void {
    if (!this.pendingText) return;
    const event = this.event;
    if (this.pendingFrames) {
      event.callchain = this.pendingFrames;
      event.location = firstCaller(this.pendingFrames) ?? event.location;
    }
    this.sink.event(event);
    this.pendingText = false;
    this.pendingFrames = null;
  }
}

/** Positions in the first line of a `retis print` event, or null when the line is not one. */
function readTextHead(text: string): {
  open: number;
  close: number;
  commEnd: number;
  rest: string[];
  ids: string[];
  probe: string;
} | null {
  const open = text.indexOf(' (');
  const close = open < 0 ? -1 : text.indexOf(') [', open);
  if (open <= 0 || close < 0) return null;
  const cpu = text.slice(open + 2, close);
  const commEnd = text.indexOf('] ', close + 3);
  if (!/^\d+$/.test(cpu) || commEnd < 0) return null;
  const rest = text.slice(commEnd + 2).split(' ');
  const ids = (rest[0] ?? '').split('/');
  const probe = rest[1] ?? '';
  if (!/^\d+$/.test(ids[0] ?? '') || !/^\[(?:tp|k|kr|u)\]$/.test(probe)) return null;
  return { open, close, commEnd, rest, ids, probe };
}

/** Resets every field of a reused `EventInput` to unknown. */
function resetEvent(event: EventInput, lineNumber: number): void {
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
}

/**
 * Scores the head of a file as retis output: JSON objects with a `common` section and a
 * `kernel`, `skb-drop`, `skb-tracking` or `startup` one are specific to retis (0.95); `retis
 * print` lines with `[tp]`/`[k]` probe markers score 0.8.
 */
function detectRetis(head: readonly string[]): number {
  let json = 0;
  let text = 0;
  let other = 0;
  for (const line of head) {
    if (line.includes('skbaddr=')) return 0;
    const first = line.charCodeAt(0);
    if (first === 123 || first === 91) {
      if (
        line.includes('"common":{') &&
        (line.includes('"kernel":{') ||
          line.includes('"skb-drop":{') ||
          line.includes('"skb-tracking":{') ||
          line.includes('"startup":{'))
      ) {
        json++;
      } else other++;
    } else if (first === 32 || first === 9) {
      continue;
    } else if (readTextHead(line)) {
      text++;
    } else other++;
  }
  if (json > 0) return 0.95 * Math.max(0.5, json / (json + other));
  if (text > 0) return 0.8 * (text / (text + other));
  return 0;
}

/** retis events: JSON lines from `retis collect -o` / `retis sort -o`, or `retis print` text. */
export const retisFormat: TraceFormatDefinition = {
  name: 'retis',
  label: 'retis events',
  detect: detectRetis,
  createParser: (sink) => new RetisParser(sink),
};
