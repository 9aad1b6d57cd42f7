import { describe, expect, it } from 'vitest';
import { allReasonNames, isKnownReasonName } from '../../../main/kernel';

describe('allReasonNames', () => {
  it('lists core and SUBSYS:NAME names once each, sorted', () => {
    const names = allReasonNames();
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('NO_SOCKET');
    expect(names).toContain('PTYPE_ABSENT');
    expect(names).toContain('OPENVSWITCH:OVS_DROP_LAST_ACTION');
    expect(names).toContain('QDISC:QDISC_DROP_GENERIC');
    expect(names).not.toContain('RX_DROP_U_MIC_FAIL');
  });
});

describe('isKnownReasonName', () => {
  it('accepts core, SUBSYS:NAME and bare subsystem reason names', () => {
    expect(isKnownReasonName('TCP_RESET')).toBe(true);
    expect(isKnownReasonName('MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL')).toBe(true);
    expect(isKnownReasonName('RX_DROP_U_MIC_FAIL')).toBe(true);
  });

  it('rejects prefixed, lower-case and invented names', () => {
    expect(isKnownReasonName('SKB_DROP_REASON_TCP_RESET')).toBe(false);
    expect(isKnownReasonName('tcp_reset')).toBe(false);
    expect(isKnownReasonName('NOT_A_REASON')).toBe(false);
    expect(isKnownReasonName('UNKNOWN(5)')).toBe(false);
  });
});
