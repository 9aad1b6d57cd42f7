/**
 * The names any known kernel can give a drop reason, for filter validation and for checking that
 * reason metadata covers every name.
 */
import { listReasonTables } from './listReasonTables';

let displayNames: readonly string[] | null = null;
let knownNames: ReadonlySet<string> | null = null;

function collect(): void {
  const display = new Set<string>();
  const known = new Set<string>();
  for (const table of listReasonTables()) {
    for (const name of table.names) if (name) display.add(name);
    for (const subsystem of table.subsystems) {
      for (const local of subsystem.reasons ?? []) {
        if (!local) continue;
        display.add(`${subsystem.name}:${local}`);
        known.add(local);
      }
    }
  }
  displayNames = Object.freeze([...display].sort());
  for (const name of display) known.add(name);
  knownNames = known;
}

/**
 * Every name a table decodes to, sorted: core names (`NO_SOCKET`, `MAX` …) and subsystem names
 * as `SUBSYS:NAME` (`OPENVSWITCH:OVS_DROP_LAST_ACTION`).
 *
 * Built once from the compiled-in tables and cached; `UNKNOWN(n)` is not included.
 */
export function allReasonNames(): readonly string[] {
  if (!displayNames) collect();
  return displayNames ?? [];
}

/**
 * Tells whether `name` is a reason name in any table: a core name, a `SUBSYS:NAME`, or a bare
 * subsystem reason name (`RX_DROP_U_MIC_FAIL`).
 *
 * Case-sensitive, no `SKB_DROP_REASON_` prefix. O(1) after the first call.
 */
export function isKnownReasonName(name: string): boolean {
  if (!knownNames) collect();
  return knownNames?.has(name) ?? false;
}
