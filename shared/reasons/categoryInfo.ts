/**
 * Reason categories: the coarse grouping the grid, the timeline and reports colour and filter by.
 *
 * Every catalogue entry (see `reasonCatalog.ts`) names one category. Colours are mid-tone hex
 * values chosen so that each keeps a contrast ratio of at least 3:1 against both white and a
 * near-black (#121212) background, and so that any two are at least ΔE 20 apart (CIE76); the
 * tests check both, so a new colour that breaks either rule fails there.
 */

/** The layer or feature of the kernel a drop reason belongs to. */
export type ReasonCategory =
  | 'socket'
  | 'tcp'
  | 'udp'
  | 'ip'
  | 'ipv6'
  | 'icmp'
  | 'netfilter'
  | 'qdisc'
  | 'device'
  | 'tunnel'
  | 'neighbour'
  | 'memory'
  | 'bpf'
  | 'xfrm'
  | 'bridge'
  | 'unix'
  | 'wireless'
  | 'openvswitch'
  | 'can'
  | 'other';

/** What the UI shows for one category. */
export interface CategoryInfo {
  /** Short human label (legend, filter chips). */
  readonly label: string;
  /** `#rrggbb`, readable on white and on dark backgrounds. */
  readonly colour: string;
  /** One sentence on what falls into the category. */
  readonly description: string;
}

const CATEGORY_INFO: Readonly<Record<ReasonCategory, CategoryInfo>> = {
  socket: {
    label: 'Socket',
    colour: '#0099cc',
    description:
      'Delivery to a socket failed: no socket, receive buffer or backlog full, socket filter.',
  },
  tcp: {
    label: 'TCP',
    colour: '#0077ee',
    description:
      'TCP state machine and validation: checksums, sequence/ACK checks, PAWS, authentication, accept queue.',
  },
  udp: {
    label: 'UDP',
    colour: '#009999',
    description: 'UDP validation such as checksum errors.',
  },
  ip: {
    label: 'IP',
    colour: '#008855',
    description:
      'IPv4/generic IP input and routing: header checks, routes, reverse-path filter, fragments, martians.',
  },
  ipv6: {
    label: 'IPv6',
    colour: '#779900',
    description: 'IPv6-specific checks: disabled IPv6, extension headers, Neighbour Discovery.',
  },
  icmp: {
    label: 'ICMP',
    colour: '#666622',
    description: 'ICMP checksum and protocol-rule violations.',
  },
  netfilter: {
    label: 'Netfilter & LSM',
    colour: '#ff0000',
    description:
      'Policy drops by netfilter (nftables/iptables, conntrack) or by a security module hook.',
  },
  qdisc: {
    label: 'Traffic control',
    colour: '#cc5500',
    description:
      'Queueing disciplines and tc filters/actions: full queues, AQM drops, tc hook drops and errors.',
  },
  device: {
    label: 'Device & core',
    colour: '#bb8800',
    description:
      'Device and core receive/transmit path: CPU backlog, driver rings, tun/tap, GSO/checksum helpers, unhandled EtherTypes.',
  },
  tunnel: {
    label: 'Tunnel',
    colour: '#9933bb',
    description: 'Encapsulation: VXLAN and IP tunnels, tunnel metadata and ECN decapsulation.',
  },
  neighbour: {
    label: 'Neighbour (ARP/ND)',
    colour: '#aa77bb',
    description: 'Next-hop resolution: neighbour entries failing, dead or with a full queue.',
  },
  memory: {
    label: 'Memory',
    colour: '#ff0055',
    description: 'Allocation failures, protocol memory limits and emergency-reserve misuse.',
  },
  bpf: {
    label: 'BPF & XDP',
    colour: '#ee2299',
    description: 'eBPF programs that decided to drop: cgroup skb, generic XDP, tun/tap filters.',
  },
  xfrm: {
    label: 'IPsec & PSP',
    colour: '#8800ff',
    description: 'Packet encryption layers: xfrm (IPsec) policy checks and PSP.',
  },
  bridge: {
    label: 'Bridge',
    colour: '#bb8866',
    description: 'Linux bridge forwarding rules: STP port state, reserved MAC Control frames.',
  },
  unix: {
    label: 'Unix sockets',
    colour: '#3355ff',
    description: 'AF_UNIX socket queue handling.',
  },
  wireless: {
    label: 'Wi-Fi (mac80211)',
    colour: '#ff22ff',
    description:
      'mac80211 receive path: 802.11 crypto, protection, frame validity, mesh, 4-address.',
  },
  openvswitch: {
    label: 'Open vSwitch',
    colour: '#bb4444',
    description: 'Open vSwitch kernel datapath actions: explicit drops, meters, conntrack, limits.',
  },
  can: {
    label: 'CAN',
    colour: '#00aa00',
    description: 'Controller Area Network frames rejected on receive.',
  },
  other: {
    label: 'Other',
    colour: '#808080',
    description:
      'Unspecified or bookkeeping reasons, sentinels, and names Dropscope does not know.',
  },
};

/**
 * Every category, in legend order (closest to the application first, unknowns last).
 *
 * Frozen; the order is stable so colours and legends do not reshuffle between sessions.
 */
export const REASON_CATEGORIES: readonly ReasonCategory[] = Object.freeze([
  'socket',
  'unix',
  'tcp',
  'udp',
  'icmp',
  'ip',
  'ipv6',
  'netfilter',
  'xfrm',
  'bpf',
  'qdisc',
  'neighbour',
  'tunnel',
  'bridge',
  'device',
  'memory',
  'wireless',
  'openvswitch',
  'can',
  'other',
] as const satisfies readonly ReasonCategory[]);

/**
 * Label, colour and description of a category.
 *
 * Pure and O(1); the returned object is shared and frozen, so treat it as read-only.
 */
export function categoryInfo(category: ReasonCategory): CategoryInfo {
  return CATEGORY_INFO[category];
}

Object.freeze(CATEGORY_INFO);
for (const info of Object.values(CATEGORY_INFO)) Object.freeze(info);
