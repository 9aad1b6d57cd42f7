/**
 * Drop-reason names straight from a kernel's BTF: `enum skb_drop_reason` (core), and from 6.4 on
 * `enum skb_drop_reason_subsys` plus the subsystem reason enums present in that BTF
 * (`mac80211_drop_reason`, `ovs_drop_reason`, `qdisc_drop_reason` …).
 */
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { BtfEnum } from './readBtfEnums';
import { readBtfEnums } from './readBtfEnums';

/** The reason names found in one BTF blob. */
export interface BtfReasonNames {
  /** Core names by value (prefix stripped) and subsystem names `SUBSYS:NAME` at id << 16 | local. */
  readonly names: Map<number, string>;
  /** `SKB_DROP_REASON_MAX`; null when the enum has no MAX. */
  readonly max: number | null;
  /** `SKB_DROP_REASON_SUBSYS_MASK` (0xffff0000); null before 6.4. */
  readonly subsystemMask: number | null;
  /** Subsystem ids to names (`1 → MAC80211_UNUSABLE`), CORE included, NUM excluded. */
  readonly subsystems: ReadonlyMap<number, string>;
  /** Names of the enums that supplied subsystem reasons (empty when none is in this BTF). */
  readonly subsystemEnums: readonly string[];
}

const CORE_ENUM = 'skb_drop_reason';
const SUBSYS_ENUM = 'skb_drop_reason_subsys';
const SUBSYS_PREFIX = 'SKB_DROP_REASON_SUBSYS_';

function numberOf(value: number | bigint): number | null {
  return typeof value === 'number' ? value : null;
}

/** Core member name as the tracepoint prints it: without `SKB_DROP_REASON_` / `SKB_`. */
function coreName(member: string): string {
  if (member.startsWith('SKB_DROP_REASON_')) return member.slice('SKB_DROP_REASON_'.length);
  if (member.startsWith('SKB_')) return member.slice('SKB_'.length);
  return member;
}

function trailingZeros(mask: number): number {
  let shift = 0;
  while (shift < 32 && Math.floor(mask / 2 ** shift) % 2 === 0) shift++;
  return shift;
}

function addSubsystemReasons(
  source: BtfEnum,
  shift: number,
  subsystems: ReadonlyMap<number, string>,
  names: Map<number, string>,
): boolean {
  let added = false;
  for (const member of source.members) {
    const value = numberOf(member.value);
    if (value === null || value < 2 ** shift || value > 0xffffffff) continue;
    const id = Math.floor(value / 2 ** shift);
    const local = value % 2 ** shift;
    const subsystem = subsystems.get(id);
    if (!subsystem || subsystem === 'CORE') continue;
    // mac80211 spells its members `___RX_DROP_U_MIC_FAIL` (the bare name is a macro);
    // `__OVS_DROP_REASON` / `__QDISC_DROP_REASON` only mark the base value and name nothing.
    const name = member.name.replace(/^_+/, '');
    if (local === 0 && member.name.startsWith('__') && name.endsWith('_REASON')) continue;
    if (!names.has(value)) {
      names.set(value, `${subsystem}:${name}`);
      added = true;
    }
  }
  return added;
}

/**
 * Reads the drop-reason enums of a raw BTF blob (either byte order).
 *
 * Fails with a message when the data is not BTF or has no `enum skb_drop_reason` (a kernel before
 * 5.17, or a module's split BTF). Subsystem enums live in module BTF when the subsystem is a
 * module, so `names` holds subsystem reasons only for what this blob contains. O(size).
 */
export function readBtfReasonNames(bytes: Uint8Array): Result<BtfReasonNames> {
  const parsed = readBtfEnums(bytes);
  if (!parsed.ok) return parsed;
  const enums = parsed.value.enums;
  const core = enums.find((candidate) => candidate.name === CORE_ENUM);
  if (!core) {
    return err(
      `no enum ${CORE_ENUM} in this BTF (${parsed.value.typeCount} types): the kernel predates ` +
        'drop reasons (5.17), or this is a module’s split BTF rather than vmlinux',
    );
  }
  const names = new Map<number, string>();
  let max: number | null = null;
  let subsystemMask: number | null = null;
  for (const member of core.members) {
    const value = numberOf(member.value);
    if (value === null) continue;
    const name = coreName(member.name);
    if (name === 'SUBSYS_MASK') subsystemMask = value >>> 0;
    else if (!names.has(value)) names.set(value, name);
    if (name === 'MAX') max = value;
  }
  const subsystems = new Map<number, string>();
  const subsysEnum = enums.find((candidate) => candidate.name === SUBSYS_ENUM);
  for (const member of subsysEnum?.members ?? []) {
    const value = numberOf(member.value);
    if (value === null || !member.name.startsWith(SUBSYS_PREFIX)) continue;
    const name = member.name.slice(SUBSYS_PREFIX.length);
    if (name !== 'NUM') subsystems.set(value, name);
  }
  const subsystemEnums: string[] = [];
  if (subsystemMask !== null && subsystems.size > 0) {
    const shift = trailingZeros(subsystemMask);
    for (const candidate of enums) {
      if (candidate === core || !candidate.name.endsWith('_drop_reason')) continue;
      if (addSubsystemReasons(candidate, shift, subsystems, names)) {
        subsystemEnums.push(candidate.name);
      }
    }
  }
  return ok({ names, max, subsystemMask, subsystems, subsystemEnums });
}
