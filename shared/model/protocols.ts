/**
 * Ethertype numbers (the tracepoint's `protocol=` field, host order) and their common names.
 *
 * Names follow include/uapi/linux/if_ether.h; lookups are case-insensitive.
 */
const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0001, '802.3'],
  [0x0002, 'AX25'],
  [0x0003, 'ALL'],
  [0x0004, '802.2'],
  [0x0005, 'SNAP'],
  [0x0006, 'DDCMP'],
  [0x0007, 'WAN_PPP'],
  [0x0008, 'PPP_MP'],
  [0x0009, 'LOCALTALK'],
  [0x000c, 'CAN'],
  [0x000d, 'CANFD'],
  [0x000e, 'CANXL'],
  [0x0010, 'PPPTALK'],
  [0x0011, 'TR_802.2'],
  [0x0015, 'MOBITEX'],
  [0x0016, 'CONTROL'],
  [0x0017, 'IRDA'],
  [0x0018, 'ECONET'],
  [0x0019, 'HDLC'],
  [0x001a, 'ARCNET'],
  [0x001b, 'DSA'],
  [0x001c, 'TRAILER'],
  [0x00f5, 'PHONET'],
  [0x00f6, 'IEEE802154'],
  [0x00f7, 'CAIF'],
  [0x00f8, 'XDSA'],
  [0x00f9, 'MAP'],
  [0x00fa, 'MCTP'],
  [0x0800, 'IPv4'],
  [0x0805, 'X25'],
  [0x0806, 'ARP'],
  [0x22f0, 'TSN'],
  [0x22f3, 'TRILL'],
  [0x6558, 'TEB'],
  [0x8035, 'RARP'],
  [0x809b, 'ATALK'],
  [0x80f3, 'AARP'],
  [0x8100, '802.1Q'],
  [0x8137, 'IPX'],
  [0x86dd, 'IPv6'],
  [0x8808, 'PAUSE'],
  [0x8809, 'SLOW'],
  [0x883e, 'WCCP'],
  [0x8847, 'MPLS'],
  [0x8848, 'MPLS_MC'],
  [0x8863, 'PPP_DISC'],
  [0x8864, 'PPP_SES'],
  [0x886c, 'LINK_CTL'],
  [0x888e, 'PAE'],
  [0x88a8, '802.1AD'],
  [0x88b5, '802_EX1'],
  [0x88be, 'ERSPAN'],
  [0x88c7, 'PREAUTH'],
  [0x88ca, 'TIPC'],
  [0x88cc, 'LLDP'],
  [0x88e3, 'MRP'],
  [0x88e5, 'MACSEC'],
  [0x88e7, '802.1AH'],
  [0x88f5, 'MVRP'],
  [0x88f7, '1588'],
  [0x88f8, 'NCSI'],
  [0x88fb, 'PRP'],
  [0x8902, 'CFM'],
  [0x8906, 'FCOE'],
  [0x8915, 'IBOE'],
  [0x890d, 'TDLS'],
  [0x8914, 'FIP'],
  [0x8917, '80221'],
  [0x892f, 'HSR'],
  [0x894f, 'NSH'],
  [0x9000, 'LOOPBACK'],
  [0xdada, 'EDSA'],
  [0xed3e, 'IFE'],
  [0xfbfb, 'AF_IUCV'],
]);

const PROTOCOL_NUMBERS: ReadonlyMap<string, number> = new Map(
  [...PROTOCOL_NAMES].map(([value, name]) => [name.toLowerCase(), value] as const),
);

/** Name of an ethertype (`IPv4`, `IPv6`, `ARP`, `CAN` …), or null when it has none. */
export function protocolName(value: number): string | null {
  return PROTOCOL_NAMES.get(value) ?? null;
}

/** Ethertype number for a name, any case (`ipv6` → 0x86dd); null when unknown. */
export function protocolNumber(name: string): number | null {
  return PROTOCOL_NUMBERS.get(name.toLowerCase()) ?? null;
}

/** Label shown for a protocol: its name, else `0x` hex; empty for unknown (-1). */
export function formatProtocol(value: number): string {
  if (value < 0) return '';
  return protocolName(value) ?? `0x${value.toString(16).padStart(4, '0')}`;
}
