/**
 * A reason vocabulary for the filter tests: core names of a 7.1 kernel's table (a subset), two
 * subsystem reasons, and three categories.
 */
import type { FilterVocabulary } from '../../../shared/filter';

export const REASON_NAMES: readonly string[] = [
  'NOT_SPECIFIED',
  'NO_SOCKET',
  'SOCKET_CLOSE',
  'SOCKET_FILTER',
  'SOCKET_RCVBUFF',
  'PKT_TOO_SMALL',
  'TCP_CSUM',
  'UDP_CSUM',
  'NETFILTER_DROP',
  'OTHERHOST',
  'IP_CSUM',
  'IP_INHDR',
  'IP_RPFILTER',
  'XFRM_POLICY',
  'IP_NOPROTO',
  'SOCKET_BACKLOG',
  'TCP_FLAGS',
  'TCP_ZEROWINDOW',
  'TCP_OLD_DATA',
  'TCP_OVERWINDOW',
  'TCP_RESET',
  'TCP_INVALID_SYN',
  'NEIGH_FAILED',
  'QDISC_DROP',
  'CPU_BACKLOG',
  'OPENVSWITCH:OVS_DROP_LAST_ACTION',
  'MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL',
];

const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  tcp: REASON_NAMES.filter((name) => name.startsWith('TCP_')),
  socket: ['NO_SOCKET', 'SOCKET_CLOSE', 'SOCKET_FILTER', 'SOCKET_RCVBUFF', 'SOCKET_BACKLOG'],
  // Written with the kernel prefix on purpose: the parser must normalize what the vocabulary gives.
  netfilter: ['SKB_DROP_REASON_NETFILTER_DROP'],
};

/** The test vocabulary; categories are looked up in lower case. */
export const vocabulary: FilterVocabulary = {
  reasonNames: REASON_NAMES,
  categoryReasons(category) {
    return CATEGORIES[category.toLowerCase()] ?? null;
  },
};

/** A vocabulary that knows no reason names and no categories. */
export const emptyVocabulary: FilterVocabulary = { reasonNames: [] };
