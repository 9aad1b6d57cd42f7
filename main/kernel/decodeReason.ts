/**
 * Turns a numeric drop reason into its name with one kernel's table: core values by index,
 * subsystem values (6.4+, `id << shift | local`) as `SUBSYS:NAME`.
 */
import type { ReasonTable } from './ReasonTable';

/**
 * Why a decoded value is not an ordinary drop: `sentinel` (`MAX`, `OVS_DROP_MAX`) or
 * `not-in-tracepoint` (`NOT_DROPPED_YET`, `CONSUMED`: never reach `skb:kfree_skb`).
 */
export type ReasonFlag = 'sentinel' | 'not-in-tracepoint';

/** The result of decoding one value. */
export interface DecodedReason {
  /** `NO_SOCKET`, `MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL`, or `UNKNOWN(n)`. */
  readonly name: string;
  /** False when the table has no name for the value (`UNKNOWN(n)`). */
  readonly known: boolean;
  /** Set when the value should never appear as a drop; the caller decides whether to warn. */
  readonly flag: ReasonFlag | null;
}

/**
 * The name used for a value no table explains: `UNKNOWN(n)`, n in decimal.
 *
 * Filters and reports recognise this form; keep it stable.
 */
export function unknownReasonName(value: number): string {
  return `UNKNOWN(${value})`;
}

/** Tells whether a value carries subsystem bits in this table's kernel. */
export function isSubsystemValue(table: ReasonTable, value: number): boolean {
  return table.subsystemShift !== null && value >= 2 ** table.subsystemShift;
}

function unknown(value: number): DecodedReason {
  return { name: unknownReasonName(value), known: false, flag: null };
}

/**
 * Decodes `value` with `table`.
 *
 * Core values 0 … max decode to their names (`MAX`, `NOT_DROPPED_YET` and `CONSUMED` included,
 * flagged). From 6.4 on, a value >= 1 << shift decodes to `SUBSYS:NAME` with this kernel's
 * subsystem ids; a subsystem whose names are unknown, an unknown id or local value, a negative,
 * fractional or over-32-bit value decode to `UNKNOWN(n)`. Pure; O(1).
 */
export function decodeReason(table: ReasonTable, value: number): DecodedReason {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) return unknown(value);
  if (isSubsystemValue(table, value)) {
    const shift = table.subsystemShift ?? 0;
    const id = Math.floor(value / 2 ** shift);
    const local = value % 2 ** shift;
    const subsystem = table.subsystems.find((candidate) => candidate.id === id);
    const localName = subsystem?.reasons?.[local];
    if (!subsystem || !localName) return unknown(value);
    const flag = subsystem.sentinels.includes(local) ? 'sentinel' : null;
    return { name: `${subsystem.name}:${localName}`, known: true, flag };
  }
  const name = table.names[value];
  if (!name) return unknown(value);
  const flag = table.sentinels.includes(value)
    ? 'sentinel'
    : table.notInTracepoint.includes(value)
      ? 'not-in-tracepoint'
      : null;
  return { name, known: true, flag };
}
