/**
 * The normalized shape of one packet drop, as every parser produces it and every export writes it.
 *
 * Parsers fill an `EventInput` (they may reuse one object: the store copies the values at once),
 * the store keeps the values in columns, and queries hand back `DropRow`s.
 */

/** One drop as a parser reports it. Unknown values are `null`, `-1` or `NaN` as documented. */
export interface EventInput {
  /** Tracer clock in nanoseconds (monotonic boot time for perf/ftrace/bpftrace); NaN when the format has no time. */
  timestampNs: number;
  /** CPU number; -1 when unknown. */
  cpu: number;
  /** Thread id as the tool printed it (perf, ftrace and bpftrace print the tid); -1 when unknown. */
  pid: number;
  /** Task name, spaces and dashes kept; null when unknown. */
  comm: string | null;
  /** `skbaddr` as printed (raw `0xffff…` or hashed `00000000…`); null when unknown. */
  skbaddr: string | null;
  /** `rx_sk` as printed; null when absent or NULL. */
  rxSk: string | null;
  /** Ethertype number (`protocol=` of the tracepoint); -1 when unknown. */
  protocol: number;
  /** `symbol+0xoff` (size suffix dropped), a bare symbol, or a raw `0xffffffff…` address; null when unknown. */
  location: string | null;
  /**
   * Reason name as the tracer printed it, without the `SKB_DROP_REASON_` prefix; null when only
   * the number is known (bpftrace) or the kernel predates drop reasons.
   */
  reason: string | null;
  /** Numeric reason value as printed; -1 when only the name (or nothing) is known. */
  reasonValue: number;
  /** Callchain frames as printed, innermost first (perf record -g); null when not recorded. */
  callchain: readonly string[] | null;
  /** 1-based line number of the event's first line in its source file (record index for binary formats). */
  line: number;
  /** Other fields the format carries (dropwatch length, pwru netns …); null when none. */
  extra: Readonly<Record<string, string | number>> | null;
}

/** Creates an `EventInput` with every field unknown, for parsers to fill. */
export function emptyEventInput(): EventInput {
  return {
    timestampNs: Number.NaN,
    cpu: -1,
    pid: -1,
    comm: null,
    skbaddr: null,
    rxSk: null,
    protocol: -1,
    location: null,
    reason: null,
    reasonValue: -1,
    callchain: null,
    line: 0,
    extra: null,
  };
}

/** One stored drop as queries return it (strings resolved, reason decoded). */
export interface DropRow {
  /** Index of the event in its store (stable for the life of the loaded trace). */
  id: number;
  timestampNs: number | null;
  cpu: number | null;
  pid: number | null;
  comm: string | null;
  skbaddr: string | null;
  rxSk: string | null;
  protocol: number | null;
  /** Protocol name (IPv4, IPv6, ARP …) or null when the number has no name. */
  protocolName: string | null;
  location: string | null;
  /** Effective reason name: printed name, else decoded from the value with the chosen table. */
  reason: string | null;
  reasonValue: number | null;
  /** Whether the name came from the tracer's own text (`printed`) or from a table (`decoded`). */
  reasonSource: 'printed' | 'decoded' | 'none';
  callchain: readonly string[] | null;
  line: number;
  extra: Readonly<Record<string, string | number>> | null;
}

/** Columns that queries can sort, filter, group and split by. */
export const EVENT_FIELDS = [
  'time',
  'cpu',
  'pid',
  'comm',
  'skbaddr',
  'rx_sk',
  'protocol',
  'location',
  'reason',
  'reason.value',
] as const;

/** A column name of `EVENT_FIELDS`. */
export type EventField = (typeof EVENT_FIELDS)[number];

/** Fields whose values are strings kept in a dictionary. */
export const STRING_FIELDS = ['comm', 'skbaddr', 'rx_sk', 'location', 'reason'] as const;

/** A dictionary-encoded field. */
export type StringField = (typeof STRING_FIELDS)[number];

/** Fields whose values are numbers. */
export type NumberField = Exclude<EventField, StringField>;

/** Tells whether a field is dictionary-encoded. */
export function isStringField(field: EventField): field is StringField {
  return (STRING_FIELDS as readonly string[]).includes(field);
}
