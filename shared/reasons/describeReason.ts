/**
 * Resolves a drop reason as traces and tables spell it to its catalogue entry.
 *
 * Accepted spellings: the bare name (`NO_SOCKET`), the kernel's full enum name
 * (`SKB_DROP_REASON_NO_SOCKET`, `SKB_CONSUMED`), a subsystem-qualified name
 * (`MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL`, also with the `SKB_DROP_REASON_SUBSYS_` prefix or
 * `CORE:`), and a bare subsystem reason name (`OVS_DROP_METER`). Case and surrounding spaces are
 * ignored. Anything else — a name the catalogue lacks, or an undecoded number (`UNKNOWN(123)`,
 * `0x10001`, `123`) — comes back with `known: false` and category `other`.
 */
import type { ReasonCategory } from './categoryInfo';
import { reasonCatalog, type ReasonEntry } from './reasonCatalog';

/** What the UI and reports show for one reason. */
export interface ReasonInfo {
  /** Canonical name without `SKB_DROP_REASON_` (or the input, cleaned, when unknown). */
  readonly name: string;
  /** One line: what the drop means. */
  readonly summary: string;
  readonly category: ReasonCategory;
  /** One or two sentences: what to check next. */
  readonly nextSteps: string;
  /** Subsystem (`MAC80211_UNUSABLE`, `OPENVSWITCH`, `QDISC` …), or null for core reasons. */
  readonly subsystem: string | null;
  /** Whether the name is in Dropscope's catalogue. */
  readonly known: boolean;
}

const CORE_PREFIX = 'SKB_DROP_REASON_';
const SUBSYSTEM_PREFIX = 'SKB_DROP_REASON_SUBSYS_';
/** `SKB_NOT_DROPPED_YET` and `SKB_CONSUMED` lack the `DROP_REASON_` part in the kernel enum. */
const SHORT_PREFIXED = new Set(['NOT_DROPPED_YET', 'CONSUMED']);
/** `SKB_DROP_REASON_SUBSYS_SHIFT`: the high 16 bits of a reason value name its subsystem. */
const SUBSYSTEM_BASE = 0x10000;

/** Resolved entries, built once: `subsystem\u0000NAME` (empty subsystem for core) → info. */
const bySubsystemAndName = new Map<string, ReasonInfo>();
/** Bare name → info; names are unique across core and subsystems. */
const byName = new Map<string, ReasonInfo>();

function addEntries(subsystem: string | null, table: Readonly<Record<string, ReasonEntry>>): void {
  for (const [name, entry] of Object.entries(table)) {
    const info: ReasonInfo = Object.freeze({
      name,
      summary: entry.summary,
      category: entry.category,
      nextSteps: entry.nextSteps,
      subsystem,
      known: true,
    });
    bySubsystemAndName.set(key(subsystem, name), info);
    // First one wins; the catalogue test guarantees there is only one.
    if (!byName.has(name)) byName.set(name, info);
  }
}

addEntries(null, reasonCatalog.core);
for (const [subsystem, table] of Object.entries(reasonCatalog.subsystems)) {
  addEntries(subsystem, table);
}

/**
 * Summary, category and next steps for a reason name.
 *
 * Never throws; O(length of the name). Known reasons return a shared frozen object (cheap to call
 * per grid row); unknown ones a new frozen object flagged `known: false`. When the input names a
 * subsystem that does not hold the reason but the name exists elsewhere in the catalogue, the
 * catalogue entry (with its own subsystem) is returned.
 */
export function describeReason(name: string): ReasonInfo {
  const trimmed = name.trim();
  const colon = trimmed.indexOf(':');
  const subsystem = colon >= 0 ? normaliseSubsystem(trimmed.slice(0, colon)) : null;
  const reason = stripPrefix(colon >= 0 ? trimmed.slice(colon + 1).trim() : trimmed);
  const upper = reason.toUpperCase();

  const found =
    (subsystem !== null ? bySubsystemAndName.get(key(subsystem, upper)) : undefined) ??
    byName.get(upper);
  if (found) return found;
  return unknownReason(reason, subsystem);
}

function key(subsystem: string | null, name: string): string {
  return `${subsystem ?? ''}\u0000${name}`;
}

function normaliseSubsystem(text: string): string | null {
  let subsystem = text.trim().toUpperCase();
  if (subsystem.startsWith(SUBSYSTEM_PREFIX)) subsystem = subsystem.slice(SUBSYSTEM_PREFIX.length);
  return subsystem === '' || subsystem === 'CORE' ? null : subsystem;
}

function stripPrefix(text: string): string {
  const upper = text.toUpperCase();
  if (upper.startsWith(CORE_PREFIX)) return text.slice(CORE_PREFIX.length);
  if (upper.startsWith('SKB_') && SHORT_PREFIXED.has(upper.slice(4))) return text.slice(4);
  return text;
}

/** Parses `UNKNOWN(123)`, `UNKNOWN(0x1f)`, `0x10001` or `123`; null when the text is a name. */
function parseReasonNumber(text: string): number | null {
  const inner = /^unknown\((.*)\)$/i.exec(text)?.[1]?.trim() ?? text;
  if (/^0x[0-9a-f]+$/i.test(inner) || /^\d+$/.test(inner)) {
    const value = Number(inner);
    return Number.isSafeInteger(value) ? value : null;
  }
  return null;
}

function unknownReason(name: string, subsystem: string | null): ReasonInfo {
  const value = parseReasonNumber(name);
  if (value !== null) {
    const split =
      value >= SUBSYSTEM_BASE
        ? ` Its high 16 bits say subsystem id ${Math.floor(value / SUBSYSTEM_BASE)}, reason ${value % SUBSYSTEM_BASE} within it (subsystem ids changed between kernels).`
        : '';
    return Object.freeze({
      name,
      summary: `Reason number ${value} has no name in the reason table used for this trace.${split}`,
      category: 'other',
      nextSteps:
        "Check which kernel's table decoded the trace: a newer kernel, a stable backport or a distribution patch may define this value. `location` shows the function that dropped the packet.",
      subsystem,
      known: false,
    });
  }
  const shown = name === '' ? 'An empty reason' : `"${name}"`;
  return Object.freeze({
    name,
    summary: `${shown} is not in Dropscope's reason catalogue: probably a reason renamed in a newer kernel, or one added by a distribution or out-of-tree patch.`,
    category: 'other',
    nextSteps:
      "Search the traced kernel's source for the name (include/net/dropreason-core.h or the subsystem's drop.h); `location` shows the function that dropped the packet.",
    subsystem,
    known: false,
  });
}
