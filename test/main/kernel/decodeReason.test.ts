import { describe, expect, it } from 'vitest';
import { decodeReason, findReasonTable } from '../../../main/kernel';
import type { ReasonTable } from '../../../main/kernel';

function table(kernel: string): ReasonTable {
  const found = findReasonTable(kernel);
  if (!found) throw new Error(`no table ${kernel}`);
  return found;
}

describe('decodeReason', () => {
  it('decodes 3 as NO_SOCKET with the 6.18.44 table', () => {
    expect(decodeReason(table('6.18.44'), 3)).toEqual({
      name: 'NO_SOCKET',
      known: true,
      flag: null,
    });
  });

  it('decodes 45 as TCP_RESET on 6.18.44 but not on 6.14', () => {
    expect(decodeReason(table('6.18.44'), 45).name).toBe('TCP_RESET');
    expect(decodeReason(table('6.14'), 45).name).not.toBe('TCP_RESET');
  });

  it('decodes subsystem values to SUBSYS:NAME', () => {
    expect(decodeReason(table('6.6'), 0x10001).name).toBe('MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL');
    expect(decodeReason(table('6.6'), 0x30001).name).toBe('OPENVSWITCH:OVS_DROP_LAST_ACTION');
    expect(decodeReason(table('7.1'), 0x30001).name).toBe('QDISC:QDISC_DROP_GENERIC');
  });

  it("uses each kernel's own subsystem ids (OPENVSWITCH is 3 on 6.6 and 2 on 6.17)", () => {
    expect(decodeReason(table('6.17'), 0x20001).name).toBe('OPENVSWITCH:OVS_DROP_LAST_ACTION');
    expect(decodeReason(table('6.6'), 0x20001).name).toBe(
      'MAC80211_MONITOR:RX_DROP_M_UNEXPECTED_4ADDR_FRAME',
    );
  });

  it('decodes 6.18.44 subsystem values with names borrowed from 6.18', () => {
    expect(decodeReason(table('6.18.44'), 0x20001).name).toBe('OPENVSWITCH:OVS_DROP_LAST_ACTION');
  });

  it('names mac80211 local 0 RX_DROP_UNUSABLE and leaves OVS local 0 unknown', () => {
    expect(decodeReason(table('6.18'), 0x10000).name).toBe('MAC80211_UNUSABLE:RX_DROP_UNUSABLE');
    expect(decodeReason(table('6.18'), 0x20000).name).toBe('UNKNOWN(131072)');
  });

  it('keeps UNKNOWN(n) for out-of-range values', () => {
    expect(decodeReason(table('6.18.44'), 129)).toEqual({
      name: 'UNKNOWN(129)',
      known: false,
      flag: null,
    });
    expect(decodeReason(table('6.18.44'), 0x50001).name).toBe('UNKNOWN(327681)');
    expect(decodeReason(table('6.18.44'), -1).name).toBe('UNKNOWN(-1)');
    expect(decodeReason(table('6.18.44'), 2 ** 33).name).toBe(`UNKNOWN(${2 ** 33})`);
  });

  it('has no subsystem values before 6.4', () => {
    expect(decodeReason(table('6.3'), 0x10001).name).toBe('UNKNOWN(65537)');
  });

  it('flags MAX as a sentinel and NOT_DROPPED_YET, CONSUMED as never on the tracepoint', () => {
    expect(decodeReason(table('6.18.44'), 128)).toEqual({
      name: 'MAX',
      known: true,
      flag: 'sentinel',
    });
    expect(decodeReason(table('6.18.44'), 0).flag).toBe('not-in-tracepoint');
    expect(decodeReason(table('6.18.44'), 1)).toEqual({
      name: 'CONSUMED',
      known: true,
      flag: 'not-in-tracepoint',
    });
  });

  it('flags OVS_DROP_MAX as a sentinel', () => {
    expect(decodeReason(table('6.18'), 0x2000c)).toEqual({
      name: 'OPENVSWITCH:OVS_DROP_MAX',
      known: true,
      flag: 'sentinel',
    });
  });

  it('decodes with the 5.17 layout, where 0 is NOT_SPECIFIED', () => {
    expect(decodeReason(table('5.17'), 0).name).toBe('NOT_SPECIFIED');
    expect(decodeReason(table('5.17'), 0).flag).toBeNull();
  });
});
