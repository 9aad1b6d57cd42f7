/**
 * Where the fields of a skb:kfree_skb record sit, read from the event's own format file (the
 * copy embedded in perf.data or trace.dat), and how to read them from raw record bytes.
 *
 * The kernel lays a tracepoint record out as the `common_*` header (type, flags, preempt count,
 * pid) followed by the event's fields; offsets and sizes differ between kernels and
 * architectures (rx_sk appeared in 6.x, reason in 5.17, pointers are 4 bytes on 32-bit), so
 * nothing here is hard-coded: every slot comes from the `field:` lines.
 */
import type { Result } from '../../../shared/util';
import { err, ok } from '../../../shared/util';
import {
  parseTracepointFormat,
  reasonTableFor,
  type ReasonMapping,
  type TracepointFormatField,
} from '../../kernel';

/** One field's place in a record. */
export interface FieldSlot {
  readonly offset: number;
  readonly size: number;
}

/** The skb:kfree_skb record layout and the reason names of its `print fmt`. */
export interface KfreeSkbLayout {
  /** `ID:` of the format (the event type number in records); null when absent. */
  readonly id: number | null;
  readonly commonType: FieldSlot | null;
  readonly commonPid: FieldSlot | null;
  readonly skbaddr: FieldSlot;
  readonly location: FieldSlot;
  readonly rxSk: FieldSlot | null;
  readonly protocol: FieldSlot;
  readonly reason: FieldSlot | null;
  /** Bytes a record needs to hold every slot above. */
  readonly minBytes: number;
  /** Reason number → name from `__print_symbolic(REC->reason, …)`; null when there is none. */
  readonly reasons: ReasonMapping | null;
}

function slot(fields: readonly TracepointFormatField[], name: string): FieldSlot | null {
  const field = fields.find((f) => f.name === name);
  if (!field) return null;
  return { offset: field.offset, size: field.size };
}

function isReadable(s: FieldSlot | null): boolean {
  return s === null || s.size === 1 || s.size === 2 || s.size === 4 || s.size === 8;
}

/**
 * Reads the layout from the format text. `source` names the mapping (shown as the kernel
 * table); `release` numbers symbolic `{ SKB_DROP_REASON_X, "X" }` entries when the kernel left
 * them unrewritten. Fails when a required field (skbaddr, location, protocol) is missing or has
 * a size that cannot be read.
 */
export function kfreeSkbLayout(
  text: string,
  source: string,
  release: string | null,
): Result<KfreeSkbLayout> {
  let parsed = parseTracepointFormat(text, { source });
  if (!parsed.ok) return err(parsed.error);
  if (parsed.value.unresolvedReasonNames.length > 0 && release) {
    const match = reasonTableFor(release);
    if (match) parsed = parseTracepointFormat(text, { source, table: match.table });
    if (!parsed.ok) return err(parsed.error);
  }
  const format = parsed.value;
  const skbaddr = slot(format.fields, 'skbaddr');
  const location = slot(format.fields, 'location');
  const protocol = slot(format.fields, 'protocol');
  if (!skbaddr || !location || !protocol) {
    const missing = [
      !skbaddr && 'skbaddr',
      !location && 'location',
      !protocol && 'protocol',
    ].filter(Boolean);
    return err(`the skb:kfree_skb format has no ${missing.join(', ')} field`);
  }
  const layout: KfreeSkbLayout = {
    id: format.id,
    commonType: slot(format.fields, 'common_type'),
    commonPid: slot(format.fields, 'common_pid'),
    skbaddr,
    location,
    rxSk: slot(format.fields, 'rx_sk'),
    protocol,
    reason: slot(format.fields, 'reason'),
    minBytes: 0,
    reasons: format.reasons && format.reasons.names.size > 0 ? format.reasons : null,
  };
  const slots = [
    layout.commonType,
    layout.commonPid,
    skbaddr,
    location,
    layout.rxSk,
    protocol,
    layout.reason,
  ];
  if (!slots.every(isReadable))
    return err('the skb:kfree_skb format has a field of an unreadable size');
  const minBytes = Math.max(...slots.map((s) => (s ? s.offset + s.size : 0)));
  return ok({ ...layout, minBytes });
}

/** Reads an unsigned field of 1, 2 or 4 bytes (8-byte fields: the low 32 bits). */
export function readSmall(
  view: DataView,
  offset: number,
  size: number,
  littleEndian: boolean,
): number {
  switch (size) {
    case 1:
      return view.getUint8(offset);
    case 2:
      return view.getUint16(offset, littleEndian);
    case 4:
      return view.getUint32(offset, littleEndian);
    default:
      return view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  }
}

/** The high 32 bits of a pointer-sized field (0 for fields of 4 bytes or less). */
export function readHigh(
  view: DataView,
  offset: number,
  size: number,
  littleEndian: boolean,
): number {
  return size === 8 ? view.getUint32(littleEndian ? offset + 4 : offset, littleEndian) : 0;
}

/**
 * The layout of a 64-bit kernel's skb:kfree_skb record guessed from its size, for a trace whose
 * embedded format was lost (a perf.data cut before its feature sections): 40 bytes or more is
 * the 6.x layout with rx_sk, 32 the 5.17–6.x layout with reason, 26 the older one. Null when
 * the size fits none. Reasons get no names (the caller decodes numbers with a kernel table).
 */
export function guessKfreeSkbLayout(recordBytes: number): KfreeSkbLayout | null {
  const common = {
    id: null,
    commonType: { offset: 0, size: 2 },
    commonPid: { offset: 4, size: 4 },
  };
  const pointers = { skbaddr: { offset: 8, size: 8 }, location: { offset: 16, size: 8 } };
  if (recordBytes >= 40) {
    return {
      ...common,
      ...pointers,
      rxSk: { offset: 24, size: 8 },
      protocol: { offset: 32, size: 2 },
      reason: { offset: 36, size: 4 },
      minBytes: 40,
      reasons: null,
    };
  }
  if (recordBytes >= 32) {
    return {
      ...common,
      ...pointers,
      rxSk: null,
      protocol: { offset: 24, size: 2 },
      reason: { offset: 28, size: 4 },
      minBytes: 32,
      reasons: null,
    };
  }
  if (recordBytes >= 26) {
    return {
      ...common,
      ...pointers,
      rxSk: null,
      protocol: { offset: 24, size: 2 },
      reason: null,
      minBytes: 26,
      reasons: null,
    };
  }
  return null;
}
