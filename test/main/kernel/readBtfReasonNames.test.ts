import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTracepointFormat, readBtfEnums, readBtfReasonNames } from '../../../main/kernel';
import { buildBtf, enumType } from './buildBtf';
import type { BtfTypeSpec } from './buildBtf';

/** The error message of a failed Result (fails the test when it succeeded). */
function errorOf(result: { ok: true } | { ok: false; error: string }): string {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

/** One record of every non-enum kind, with its kind-specific data, to test id alignment. */
const OTHER_KINDS: BtfTypeSpec[] = [
  { kind: 1, name: 'int', sizeOrType: 4, extra: [0x01000020] }, // INT
  { kind: 2, sizeOrType: 1 }, // PTR
  { kind: 3, extra: [1, 1, 16] }, // ARRAY
  {
    kind: 4,
    name: 'sk_buff',
    vlen: 2,
    sizeOrType: 16,
    extra: [{ name: 'a' }, 1, 0, { name: 'b' }, 1, 32],
  },
  { kind: 5, name: 'u', vlen: 1, sizeOrType: 4, extra: [{ name: 'x' }, 1, 0] }, // UNION
  { kind: 7, name: 'fwd' }, // FWD
  { kind: 8, name: 'u32', sizeOrType: 1 }, // TYPEDEF
  { kind: 9, sizeOrType: 1 }, // VOLATILE
  { kind: 10, sizeOrType: 1 }, // CONST
  { kind: 11, sizeOrType: 1 }, // RESTRICT
  { kind: 13, vlen: 2, sizeOrType: 1, extra: [{ name: 'p' }, 1, { name: 'q' }, 1] }, // FUNC_PROTO
  { kind: 12, name: 'kfree_skb', sizeOrType: 11 }, // FUNC
  { kind: 14, name: 'v', sizeOrType: 1, extra: [1] }, // VAR
  { kind: 15, name: '.data', vlen: 1, sizeOrType: 8, extra: [14, 0, 4] }, // DATASEC
  { kind: 16, name: 'double', sizeOrType: 8 }, // FLOAT
  { kind: 17, name: 'tag', sizeOrType: 4, extra: [0xffffffff] }, // DECL_TAG
  { kind: 18, name: 'user', sizeOrType: 1 }, // TYPE_TAG
  { kind: 19, name: 'big', vlen: 1, sizeOrType: 8, extra: [{ name: 'BIG_ONE' }, 1, 0] }, // ENUM64
];

const CORE = enumType('skb_drop_reason', [
  ['SKB_NOT_DROPPED_YET', 0],
  ['SKB_CONSUMED', 1],
  ['SKB_DROP_REASON_NOT_SPECIFIED', 2],
  ['SKB_DROP_REASON_NO_SOCKET', 3],
  ['SKB_DROP_REASON_MAX', 4],
  ['SKB_DROP_REASON_SUBSYS_MASK', 0xffff0000],
]);

const SUBSYSTEMS: BtfTypeSpec[] = [
  enumType('skb_drop_reason_subsys', [
    ['SKB_DROP_REASON_SUBSYS_CORE', 0],
    ['SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE', 1],
    ['SKB_DROP_REASON_SUBSYS_OPENVSWITCH', 2],
    ['SKB_DROP_REASON_SUBSYS_NUM', 3],
  ]),
  enumType('mac80211_drop_reason', [
    ['RX_CONTINUE', 0],
    ['RX_QUEUED', 1],
    ['___RX_DROP_UNUSABLE', 0x10000],
    ['___RX_DROP_U_MIC_FAIL', 0x10001],
  ]),
  enumType('ovs_drop_reason', [
    ['__OVS_DROP_REASON', 0x20000],
    ['OVS_DROP_LAST_ACTION', 0x20001],
    ['OVS_DROP_MAX', 0x20002],
  ]),
];

const btfPath = '/sys/kernel/btf/vmlinux';
const tracefsFormat = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing']
  .map((root) => `${root}/events/skb/kfree_skb/format`)
  .find((path) => existsSync(path));

describe('readBtfReasonNames', () => {
  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('reads core names from %s BTF after every other type kind', (_order, little) => {
    const result = readBtfReasonNames(buildBtf([...OTHER_KINDS, CORE], little));
    if (!result.ok) throw new Error(result.error);
    expect([...result.value.names]).toEqual([
      [0, 'NOT_DROPPED_YET'],
      [1, 'CONSUMED'],
      [2, 'NOT_SPECIFIED'],
      [3, 'NO_SOCKET'],
      [4, 'MAX'],
    ]);
    expect(result.value.max).toBe(4);
    expect(result.value.subsystemMask).toBe(0xffff0000);
  });

  it('keeps type ids aligned across every kind', () => {
    const result = readBtfEnums(buildBtf([...OTHER_KINDS, CORE]));
    if (!result.ok) throw new Error(result.error);
    expect(result.value.typeCount).toBe(OTHER_KINDS.length + 1);
    expect(result.value.enums.map((e) => [e.id, e.name])).toEqual([
      [OTHER_KINDS.length, 'big'],
      [OTHER_KINDS.length + 1, 'skb_drop_reason'],
    ]);
  });

  it('adds subsystem reasons as SUBSYS:NAME at id << 16 | local', () => {
    const result = readBtfReasonNames(buildBtf([CORE, ...SUBSYSTEMS], false));
    if (!result.ok) throw new Error(result.error);
    const { names } = result.value;
    expect(names.get(0x10000)).toBe('MAC80211_UNUSABLE:RX_DROP_UNUSABLE');
    expect(names.get(0x10001)).toBe('MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL');
    expect(names.get(0x20001)).toBe('OPENVSWITCH:OVS_DROP_LAST_ACTION');
    expect(names.get(0x20002)).toBe('OPENVSWITCH:OVS_DROP_MAX');
    expect(names.has(0x20000)).toBe(false);
    expect(names.get(1)).toBe('CONSUMED');
    expect(result.value.subsystemEnums).toEqual(['mac80211_drop_reason', 'ovs_drop_reason']);
  });

  it('fails with a message for data that is not BTF', () => {
    const result = readBtfReasonNames(new TextEncoder().encode('print fmt: "x" and more bytes'));
    expect(errorOf(result)).toMatch(/not BTF/);
  });

  it('fails on a type kind it cannot size instead of misreading the rest', () => {
    const result = readBtfReasonNames(buildBtf([{ kind: 25 }, CORE]));
    expect(errorOf(result)).toMatch(/unsupported BTF type kind 25/);
  });

  it('fails on truncated BTF', () => {
    const bytes = buildBtf([CORE]);
    expect(readBtfReasonNames(bytes.subarray(0, bytes.length - 10)).ok).toBe(false);
  });

  it('fails when the BTF has no enum skb_drop_reason', () => {
    const result = readBtfReasonNames(buildBtf(OTHER_KINDS));
    expect(errorOf(result)).toMatch(/no enum skb_drop_reason/);
  });

  describe.skipIf(!existsSync(btfPath))(
    `the running kernel's BTF (${btfPath}; skipped when absent)`,
    () => {
      it('yields the core reasons with NOT_SPECIFIED and MAX', () => {
        const result = readBtfReasonNames(readFileSync(btfPath));
        if (!result.ok) throw new Error(result.error);
        expect([...result.value.names.values()]).toContain('NOT_SPECIFIED');
        expect(result.value.max).not.toBeNull();
      });

      it.skipIf(!tracefsFormat)(
        'agrees with the live tracefs format on every core value (skipped without tracefs)',
        () => {
          const btf = readBtfReasonNames(readFileSync(btfPath));
          const format = parseTracepointFormat(readFileSync(tracefsFormat ?? '', 'utf8'));
          if (!btf.ok) throw new Error(btf.error);
          if (!format.ok) throw new Error(format.error);
          const listed = format.value.reasons?.names ?? new Map<number, string>();
          expect(listed.size).toBeGreaterThan(0);
          for (const [value, name] of listed) expect(btf.value.names.get(value)).toBe(name);
          // The tracepoint lists every core value except the two that never reach it.
          for (const [value, name] of btf.value.names) {
            if (value < 0x10000 && !listed.has(value))
              expect(['NOT_DROPPED_YET', 'CONSUMED']).toContain(name);
          }
        },
      );
    },
  );
});
