/**
 * The shape of one kernel's `enum skb_drop_reason` table, as generated from
 * ../shared/kernel-reasons (`ReasonTableData`) and as served to the rest of the engine
 * (`ReasonTable`, built by `listReasonTables`).
 */

/** `mainline` = a release X.Y; `stable` = a stable/distro build X.Y.Z; `running` = a live kernel. */
export type ReasonTableKind = 'mainline' | 'stable' | 'running';

/** How well the source material pins the table (see the data README). */
export type ReasonTableConfidence = 'high' | 'medium';

/** One field of the `skb:kfree_skb` tracepoint (TP_STRUCT__entry order). */
export interface TracepointField {
  readonly name: string;
  /** C type as the kernel spells it (`void *`, `enum skb_drop_reason`). */
  readonly type: string;
}

/** A subsystem of drop reasons (6.4+): values `id << shift | local`. */
export interface ReasonSubsystemData {
  readonly id: number;
  /** `MAC80211_UNUSABLE`, `OPENVSWITCH`, `QDISC` … (the `SKB_DROP_REASON_SUBSYS_` suffix). */
  readonly name: string;
  /** Local reason names indexed by local value (null gaps); null when the source lacked them. */
  readonly reasons: readonly (string | null)[] | null;
  /** Local values that are sentinels (`OVS_DROP_MAX`), never real drops. */
  readonly sentinels: readonly number[];
}

/** One table as written by the generator: plain data, no behaviour. */
export interface ReasonTableData {
  /** `6.12` for a release, `6.12.107` for a specific stable build. */
  readonly kernel: string;
  readonly kind: ReasonTableKind;
  readonly confidence: ReasonTableConfidence;
  /** VERSION.PATCHLEVEL.SUBLEVEL(+EXTRAVERSION) of the tree or kernel the table was read from. */
  readonly treeVersion: string;
  /** One line: `repo@commit path`, `debian <package> path` or `running kernel …`. */
  readonly source: string;
  /** `reason_table_sha1` of the data: equal hashes mean identical core tables. */
  readonly sha1: string;
  /** Value of `SKB_DROP_REASON_MAX`. */
  readonly max: number;
  /** Core names indexed by value (0 … max), without the `SKB_DROP_REASON_` / `SKB_` prefix. */
  readonly names: readonly (string | null)[];
  /** Values that never reach `skb:kfree_skb` (`NOT_DROPPED_YET`, `CONSUMED`). */
  readonly notInTracepoint: readonly number[];
  /** Values that are sentinels (`MAX`). */
  readonly sentinels: readonly number[];
  /** 16 from 6.4 on, null before (no subsystem values). */
  readonly subsystemShift: number | null;
  /** 0xffff0000 from 6.4 on, null before. */
  readonly subsystemMask: number | null;
  /** Subsystems other than CORE and the NUM sentinel; empty before 6.4. */
  readonly subsystems: readonly ReasonSubsystemData[];
  readonly tracepoint: {
    /** The TP_printk format string (`skbaddr=%p … reason: %s`). */
    readonly printFmt: string;
    readonly fields: readonly TracepointField[];
  };
}

/** A subsystem as served: its local names may come from the same release's mainline table. */
export interface ReasonSubsystem extends ReasonSubsystemData {
  /**
   * Kernel whose table supplied `reasons` when this kernel's source lacked them (same series,
   * same subsystem id and name); null when the list is this table's own (or still unknown).
   */
  readonly reasonsFrom: string | null;
}

/** A kernel version as numbers; `sublevel` is null when only X.Y is known. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly sublevel: number | null;
}

/**
 * One kernel's reason table, ready for decoding.
 *
 * Immutable and shared: every caller gets the same objects from `listReasonTables`.
 */
export interface ReasonTable extends Omit<ReasonTableData, 'subsystems'> {
  /** `kernel` as numbers; a mainline table has sublevel 0 (the release itself). */
  readonly version: KernelVersion & { readonly sublevel: number };
  readonly subsystems: readonly ReasonSubsystem[];
}
