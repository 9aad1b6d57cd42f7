/**
 * Whether this process may capture: root, or the capabilities that stand in for it, read from
 * the `CapEff:` line of /proc/self/status.
 */

/** Capability bits (include/uapi/linux/capability.h) that matter for capture. */
export const CAPABILITY_BITS = {
  CAP_DAC_OVERRIDE: 1,
  CAP_SYS_ADMIN: 21,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
} as const;

/** A capability name of `CAPABILITY_BITS`. */
export type CapabilityName = keyof typeof CAPABILITY_BITS;

/** What the process may do. */
export interface Privilege {
  uid: number;
  /** The effective capability mask as printed (hex), or null when /proc/self/status had none. */
  capEff: string | null;
  /** The capabilities of `CAPABILITY_BITS` that are set. */
  capabilities: ReadonlySet<CapabilityName>;
  /** Root, or CAP_PERFMON or CAP_SYS_ADMIN: enough to open the tracepoint. */
  privileged: boolean;
  /** In words: `root`, `uid 1000 with CAP_PERFMON`, or why not. */
  description: string;
}

/** The `CapEff:` mask of a /proc/<pid>/status text, as a bigint; null when absent or malformed. */
export function parseCapEff(statusText: string): bigint | null {
  const match = /^CapEff:\s*([0-9a-f]{1,16})\s*$/im.exec(statusText);
  return match?.[1] === undefined ? null : BigInt(`0x${match[1]}`);
}

/** Reads the privilege from a uid and the text of /proc/self/status. Pure. */
export function readPrivilege(uid: number, statusText: string): Privilege {
  const mask = parseCapEff(statusText);
  const capabilities = new Set<CapabilityName>();
  if (mask !== null) {
    for (const [name, bit] of Object.entries(CAPABILITY_BITS) as [CapabilityName, number][]) {
      if ((mask >> BigInt(bit)) & 1n) capabilities.add(name);
    }
  }
  const capEff = mask === null ? null : mask.toString(16).padStart(16, '0');
  const root = uid === 0;
  const strong = capabilities.has('CAP_PERFMON') || capabilities.has('CAP_SYS_ADMIN');
  let description: string;
  if (root) description = 'root';
  else if (strong) {
    const names = [...capabilities].filter((c) => c === 'CAP_PERFMON' || c === 'CAP_SYS_ADMIN');
    description = `uid ${uid} with ${names.join(' and ')}`;
  } else {
    description =
      `not root (uid ${uid}) and no CAP_PERFMON or CAP_SYS_ADMIN` +
      (capEff === null ? ' (no CapEff in /proc/self/status)' : ` (CapEff ${capEff})`);
  }
  return { uid, capEff, capabilities, privileged: root || strong, description };
}
