/**
 * A number → name mapping read from a kernel artefact rather than from the compiled-in tables.
 */

/**
 * Reason names by numeric value, with where they came from.
 *
 * Names have no `SKB_DROP_REASON_` prefix; subsystem reasons are `SUBSYS:NAME`. `source` is a
 * short human description (`tracefs format kfree_skb.format`, `BTF /sys/kernel/btf/vmlinux`).
 */
export interface ReasonMapping {
  names: ReadonlyMap<number, string>;
  source: string;
}

/** What `--kernel-format` supplied: a tracefs format file or raw BTF. */
export type KernelFormatKind = 'kernel-format-file' | 'btf';

/** A mapping from a user-supplied kernel file, with its kind. */
export type KernelFormatMapping = ReasonMapping & { kind: KernelFormatKind };
