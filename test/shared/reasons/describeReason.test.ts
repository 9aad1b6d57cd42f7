import { describe, expect, it } from 'vitest';
import { describeReason } from '../../../shared/reasons';

describe('describeReason', () => {
  it('describes a core reason given its bare name', () => {
    const info = describeReason('NO_SOCKET');
    expect(info).toMatchObject({
      name: 'NO_SOCKET',
      category: 'socket',
      subsystem: null,
      known: true,
    });
    expect(info.summary).toMatch(/socket/i);
  });

  it('strips the SKB_DROP_REASON_ prefix the kernel enum uses', () => {
    expect(describeReason('SKB_DROP_REASON_NO_SOCKET')).toBe(describeReason('NO_SOCKET'));
  });

  it('strips the short SKB_ prefix only from SKB_NOT_DROPPED_YET and SKB_CONSUMED', () => {
    expect(describeReason('SKB_CONSUMED').name).toBe('CONSUMED');
    expect(describeReason('SKB_NOT_DROPPED_YET').name).toBe('NOT_DROPPED_YET');
    expect(describeReason('SKB_CSUM')).toMatchObject({ name: 'SKB_CSUM', known: true });
    expect(describeReason('SKB_DROP_REASON_SKB_GSO_SEG').name).toBe('SKB_GSO_SEG');
  });

  it('ignores case and surrounding spaces', () => {
    expect(describeReason('  skb_drop_reason_tcp_csum \n')).toBe(describeReason('TCP_CSUM'));
  });

  it('resolves the SUBSYSTEM:NAME form to the subsystem reason', () => {
    const info = describeReason('MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL');
    expect(info).toMatchObject({
      name: 'RX_DROP_U_MIC_FAIL',
      subsystem: 'MAC80211_UNUSABLE',
      category: 'wireless',
      known: true,
    });
  });

  it('accepts the SKB_DROP_REASON_SUBSYS_ prefix and CORE: on the subsystem part', () => {
    expect(describeReason('SKB_DROP_REASON_SUBSYS_OPENVSWITCH:OVS_DROP_METER')).toMatchObject({
      subsystem: 'OPENVSWITCH',
      category: 'openvswitch',
      known: true,
    });
    expect(describeReason('CORE:NO_SOCKET')).toBe(describeReason('NO_SOCKET'));
  });

  it('finds a subsystem reason given only its bare name', () => {
    expect(describeReason('OVS_DROP_METER')).toBe(describeReason('OPENVSWITCH:OVS_DROP_METER'));
    expect(describeReason('QDISC_DROP_OVERLIMIT').subsystem).toBe('QDISC');
    expect(describeReason('RX_DROP_MONITOR').subsystem).toBe('MAC80211_MONITOR');
  });

  it('falls back to the catalogue entry when the subsystem label does not hold the name', () => {
    expect(describeReason('OPENVSWITCH:RX_DROP_U_MIC_FAIL')).toMatchObject({
      subsystem: 'MAC80211_UNUSABLE',
      known: true,
    });
  });

  it('keeps core QDISC_DROP apart from the QDISC subsystem reasons', () => {
    expect(describeReason('QDISC_DROP')).toMatchObject({ subsystem: null, category: 'qdisc' });
    expect(describeReason('QDISC:QDISC_DROP_GENERIC').subsystem).toBe('QDISC');
  });

  it('describes removed and renamed reasons too', () => {
    for (const name of [
      'PTYPE_ABSENT',
      'TC_ERROR',
      'VXLAN_NO_REMOTE',
      'RX_DROP_M_BAD_BCN_KEYIDX',
    ]) {
      expect(describeReason(name).known, name).toBe(true);
    }
  });

  it('gives practical next steps for the reasons seen most', () => {
    expect(describeReason('NETFILTER_DROP').nextSteps).toMatch(/nft list ruleset/);
    expect(describeReason('NETFILTER_DROP').nextSteps).toMatch(/iptables-save/);
    expect(describeReason('SOCKET_RCVBUFF').nextSteps).toMatch(/SO_RCVBUF/);
    expect(describeReason('SOCKET_RCVBUFF').nextSteps).toMatch(/rmem_max/);
    expect(describeReason('TCP_LISTEN_OVERFLOW').nextSteps).toMatch(/somaxconn/);
    expect(describeReason('TCP_LISTEN_OVERFLOW').nextSteps).toMatch(/accept\(\)/);
    expect(describeReason('NO_SOCKET').nextSteps).toMatch(/listen/);
    expect(describeReason('NOT_SPECIFIED').nextSteps).toMatch(/`location`/);
  });

  it('returns the same frozen object for repeated lookups of a known reason', () => {
    const info = describeReason('TCP_RESET');
    expect(Object.isFrozen(info)).toBe(true);
    expect(describeReason('SKB_DROP_REASON_TCP_RESET')).toBe(info);
  });

  it('flags a name missing from the catalogue as unknown with a generic explanation', () => {
    const info = describeReason('SKB_DROP_REASON_SOME_FUTURE_REASON');
    expect(info).toMatchObject({
      name: 'SOME_FUTURE_REASON',
      category: 'other',
      subsystem: null,
      known: false,
    });
    expect(info.summary).toMatch(/not in Dropscope's reason catalogue/);
    expect(info.summary).toMatch(/renamed|patch/);
    expect(Object.isFrozen(info)).toBe(true);
  });

  it('keeps the subsystem of an unknown subsystem-qualified name', () => {
    expect(describeReason('MAC80211_UNUSABLE:RX_DROP_U_FROM_THE_FUTURE')).toMatchObject({
      name: 'RX_DROP_U_FROM_THE_FUTURE',
      subsystem: 'MAC80211_UNUSABLE',
      category: 'other',
      known: false,
    });
  });

  it('does not mistake Object.prototype members for reasons', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(describeReason(name).known, name).toBe(false);
    }
  });

  it('explains an undecoded reason number and splits a subsystem value into its parts', () => {
    const small = describeReason('UNKNOWN(123)');
    expect(small).toMatchObject({ name: 'UNKNOWN(123)', known: false, category: 'other' });
    expect(small.summary).toMatch(/Reason number 123 has no name/);
    expect(small.summary).not.toMatch(/subsystem id/);

    expect(describeReason('UNKNOWN(0x10001)').summary).toMatch(/subsystem id 1, reason 1 /);
    expect(describeReason('0x30002').summary).toMatch(
      /Reason number 196610 .*subsystem id 3, reason 2 /,
    );
    expect(describeReason('65536').summary).toMatch(/subsystem id 1, reason 0 /);
  });

  it('answers an empty name without throwing', () => {
    const info = describeReason('');
    expect(info).toMatchObject({ name: '', known: false, category: 'other' });
    expect(info.summary).toMatch(/empty reason/i);
  });
});
