/**
 * Dropscope's catalogue of kernel drop reasons: a summary, a category and what to check next for
 * every reason name the kernel has used in `skb:kfree_skb`.
 *
 * Layout: `core` holds `enum skb_drop_reason` names without the `SKB_DROP_REASON_` prefix (plus
 * `NOT_DROPPED_YET` and `CONSUMED`, which the kernel spells `SKB_…`); `subsystems` holds the
 * reasons of each drop-reason subsystem (`enum skb_drop_reason_subsys` name without the
 * `SKB_DROP_REASON_SUBSYS_` prefix) under their own enum names.
 *
 * Sources: the kernel-doc comments beside each enum member in include/net/dropreason-core.h
 * (5.17–7.3, including names that were later renamed or removed), include/net/dropreason-qdisc.h,
 * and for mac80211 and Open vSwitch — whose headers carry no comments — the code that returns each
 * reason (net/mac80211/rx.c, wpa.c, wep.c; net/openvswitch/actions.c). Summaries are paraphrased.
 * The coverage test reads every ../shared/kernel-reasons/v*.json table, so a name added there
 * without an entry here fails the build.
 */
import type { ReasonCategory } from './categoryInfo';

/** One catalogue entry. */
export interface ReasonEntry {
  readonly category: ReasonCategory;
  /** One line: what the drop means. */
  readonly summary: string;
  /** One or two sentences: what to check next. */
  readonly nextSteps: string;
}

/** Reason name → entry. */
export type ReasonTable = Readonly<Record<string, ReasonEntry>>;

/** The whole catalogue: core reasons and per-subsystem reasons. */
export interface ReasonCatalog {
  /** Core reasons by name without the `SKB_DROP_REASON_` prefix. */
  readonly core: ReasonTable;
  /** Subsystem name (e.g. `MAC80211_UNUSABLE`) → its reasons by their own enum names. */
  readonly subsystems: Readonly<Record<string, ReasonTable>>;
}

const TABLE_MISMATCH =
  'If it appears as a drop, the number was probably decoded with the wrong kernel table: check which kernel Dropscope chose for this trace.';

const core: ReasonTable = {
  NOT_DROPPED_YET: {
    category: 'other',
    summary: 'Placeholder meaning "not dropped"; the kernel never reports a drop with it.',
    nextSteps: TABLE_MISMATCH,
  },
  CONSUMED: {
    category: 'other',
    summary:
      'The packet was freed after normal processing (consumed), not dropped; the kernel routes these to skb:consume_skb.',
    nextSteps: TABLE_MISMATCH,
  },
  NOT_SPECIFIED: {
    category: 'other',
    summary:
      'The code that freed the packet gave no reason (plain kfree_skb() or a path not yet annotated).',
    nextSteps:
      'Look at `location` (and the callchain, if recorded): the freeing function is the only clue. Group by location to find the hot spot.',
  },
  NO_SOCKET: {
    category: 'socket',
    summary:
      'No socket wanted the packet: nothing listens on the destination port, or the connection (or its handshake request/child socket) no longer exists.',
    nextSteps:
      'Check what listens on the destination port (`ss -tulpn`): a closed port, a stopped service, or late packets for a connection already closed. Port scans and stray RST/FIN also land here.',
  },
  SOCKET_CLOSE: {
    category: 'socket',
    summary:
      'The socket was closed while this packet was still queued on it, so the data was thrown away.',
    nextSteps:
      'Look at the application that closes the socket with unread data (for TCP this also sends a RST); review its shutdown/close ordering.',
  },
  SOCKET_FILTER: {
    category: 'socket',
    summary:
      'A filter on the receiving socket (classic or eBPF via SO_ATTACH_FILTER/SO_ATTACH_BPF, or a security-module socket hook) rejected the packet.',
    nextSteps:
      'Find sockets with filters (`ss -b` as root, `bpftool prog show`) and review the program; also check LSM denials in the audit log.',
  },
  SOCKET_RCVBUFF: {
    category: 'socket',
    summary: "The socket's receive buffer was full, so the packet could not be queued.",
    nextSteps:
      'Check receive buffer sizing (SO_RCVBUF, net.core.rmem_max/rmem_default, tcp_rmem/udp_rmem_min) and whether the reading application keeps up (`ss -m` rb usage, `nstat` UdpRcvbufErrors).',
  },
  UNIX_DISCONNECT: {
    category: 'unix',
    summary:
      'Messages queued on a Unix datagram/seqpacket socket were discarded because it connected to another peer or found its peer closed.',
    nextSteps:
      'Look at the application that re-connect()s or whose peer exits: data queued before the reconnect is lost by design.',
  },
  UNIX_SKIP_OOB: {
    category: 'unix',
    summary:
      'An out-of-band byte on a Unix stream socket was skipped by a recv() without MSG_OOB and discarded.',
    nextSteps:
      'The sender uses MSG_OOB but the receiver never reads it with MSG_OOB (or SO_OOBINLINE); fix one side of the application.',
  },
  PKT_TOO_SMALL: {
    category: 'ip',
    summary: 'The packet is shorter than its headers require or than its own length field claims.',
    nextSteps:
      'Capture the traffic to find the truncated sender; suspect broken NIC offloads or encapsulation bugs. `nstat` IpExtInTruncatedPkts and IpInHdrErrors count these.',
  },
  TCP_CSUM: {
    category: 'tcp',
    summary: 'The TCP checksum did not verify.',
    nextSteps:
      'Look for corruption on the path or checksum-offload bugs: `ethtool -S <dev>` errors, try `ethtool -K <dev> rx off`; `nstat` TcpInCsumErrors.',
  },
  UDP_CSUM: {
    category: 'udp',
    summary: 'The UDP checksum did not verify.',
    nextSteps:
      'Look for corruption on the path or checksum-offload bugs: `ethtool -S <dev>` errors, try `ethtool -K <dev> rx off`; `nstat` UdpInCsumErrors.',
  },
  NETFILTER_DROP: {
    category: 'netfilter',
    summary:
      'A netfilter hook (nftables/iptables rule, conntrack, or another netfilter module) dropped the packet.',
    nextSteps:
      'Find the dropping rule: `nft list ruleset` with counters or `iptables-save -c`/`ip6tables-save -c`; trace a packet with `nft monitor trace` and check conntrack (`conntrack -S` invalid/drop counts).',
  },
  OTHERHOST: {
    category: 'ip',
    summary:
      'The frame was addressed to another host at layer 2 (seen only because the interface is promiscuous) and is not for this machine.',
    nextSteps:
      'Usually harmless: something put the interface in promiscuous mode (tcpdump, a bridge, a VM). Check `ip -d link show <dev>` promiscuity.',
  },
  IP_CSUM: {
    category: 'ip',
    summary: 'The IPv4 header checksum was wrong.',
    nextSteps:
      'Corruption on the path or a misbehaving sender/offload: check `ethtool -S <dev>` error counters and `nstat` IpInHdrErrors.',
  },
  IP_INHDR: {
    category: 'ip',
    summary:
      'Something is wrong with the IP header (bad version, length or options); also used when a forwarded packet runs out of TTL/hop limit.',
    nextSteps:
      'Capture the traffic to see which field is wrong; TTL expiry while forwarding points at a routing loop or traceroute. `nstat` IpInHdrErrors/Ip6InHdrErrors.',
  },
  IP_RPFILTER: {
    category: 'ip',
    summary:
      'Reverse-path filtering rejected the packet: the route back to its source does not use the interface it arrived on.',
    nextSteps:
      'Check net.ipv4.conf.{all,<dev>}.rp_filter and the route to the source (`ip route get <src> from <dst> iif <dev>`); asymmetric or multi-homed routing needs rp_filter=2 (loose) or 0.',
  },
  UNICAST_IN_L2_MULTICAST: {
    category: 'ip',
    summary: 'A unicast IP packet arrived inside a link-layer multicast or broadcast frame.',
    nextSteps:
      'Usually a misbehaving sender or spoofing: check the source MAC. The behaviour is controlled by drop_unicast_in_l2_multicast (net.ipv4.conf.* / net.ipv6.conf.*).',
  },
  XFRM_POLICY: {
    category: 'xfrm',
    summary:
      'The IPsec (xfrm) policy check failed: no policy allowed the packet, or one required IPsec it did not have.',
    nextSteps:
      'Inspect `ip xfrm policy` and `ip xfrm state`, and the counters in /proc/net/xfrm_stat (XfrmInNoPols, XfrmInPolBlock, XfrmInTmplMismatch…).',
  },
  IP_NOPROTO: {
    category: 'ip',
    summary:
      'Nothing handles the IP protocol number of this packet (e.g. its protocol module is not loaded).',
    nextSteps:
      'Find the protocol number in a capture; load the module (sctp, gre, …) if the traffic is wanted, otherwise it is unsolicited. `nstat` IpInUnknownProtos.',
  },
  PROTO_MEM: {
    category: 'memory',
    summary:
      'The protocol-wide memory limit was reached (e.g. udp_mem/tcp_mem pressure), so the packet could not be charged.',
    nextSteps:
      'Compare net.ipv4.tcp_mem/udp_mem with usage in /proc/net/sockstat, and find sockets holding lots of memory (`ss -m`), usually slow readers.',
  },
  TCP_AUTH_HDR: {
    category: 'tcp',
    summary: 'The TCP-MD5 or TCP-AO option is present twice or malformed.',
    nextSteps:
      "Check the peer's TCP-MD5/TCP-AO configuration (often a BGP session) and capture its segments to see the options.",
  },
  TCP_MD5NOTFOUND: {
    category: 'tcp',
    summary: 'A TCP-MD5 signature was expected on this connection but the segment carried none.',
    nextSteps:
      'The peer is not configured with the MD5 password (e.g. BGP neighbour password missing on one side); `nstat` TCPMD5NotFound.',
  },
  TCP_MD5UNEXPECTED: {
    category: 'tcp',
    summary: 'The segment carried a TCP-MD5 signature although no key is configured locally.',
    nextSteps: 'Configure the key locally or remove it on the peer; `nstat` TCPMD5Unexpected.',
  },
  TCP_MD5FAILURE: {
    category: 'tcp',
    summary: 'The TCP-MD5 signature did not verify.',
    nextSteps:
      'The passwords differ between the peers, or a middlebox rewrote the segment; `nstat` TCPMD5Failure.',
  },
  TCP_AONOTFOUND: {
    category: 'tcp',
    summary: 'A TCP-AO signature was required but the segment had none.',
    nextSteps: 'The peer lacks TCP-AO configuration for this connection; `nstat` TCPAORequired.',
  },
  TCP_AOUNEXPECTED: {
    category: 'tcp',
    summary: 'The segment carried a TCP-AO signature that this connection does not expect.',
    nextSteps: 'Configure TCP-AO keys locally or remove them on the peer.',
  },
  TCP_AOKEYNOTFOUND: {
    category: 'tcp',
    summary: 'The TCP-AO signature names a key that is not configured locally.',
    nextSteps:
      'Compare the key ids (SendID/RecvID) configured on both ends; `nstat` TCPAOKeyNotFound.',
  },
  TCP_AOFAILURE: {
    category: 'tcp',
    summary: 'The TCP-AO signature did not verify.',
    nextSteps: 'Key mismatch between the peers or a rewritten segment; `nstat` TCPAOBad.',
  },
  SOCKET_BACKLOG: {
    category: 'socket',
    summary:
      'The packet could not be added to the socket backlog (socket busy in a user thread and the backlog limit reached).',
    nextSteps:
      'The application holds the socket too long or reads too slowly; the limit follows the socket buffers (SO_RCVBUF/SO_SNDBUF). `nstat` TCPBacklogDrop.',
  },
  TCP_FLAGS: {
    category: 'tcp',
    summary: "The TCP flags are invalid for the connection's state.",
    nextSteps:
      'Usually scans or stray packets for stale connections; capture to see the flags, and check middleboxes that rewrite TCP.',
  },
  TCP_ABORT_ON_DATA: {
    category: 'tcp',
    summary:
      'Data arrived for a socket the application had already closed, so the connection was aborted with a RST.',
    nextSteps:
      'The application closes while the peer is still sending; review its close/shutdown handling. `nstat` TCPAbortOnData.',
  },
  TCP_ZEROWINDOW: {
    category: 'tcp',
    summary:
      'Data arrived while the advertised receive window was zero (the receiver had no room).',
    nextSteps:
      'The receiving application is not reading: check its CPU and read loop and its receive buffer (`ss -tmi`). `nstat` TCPZeroWindowDrop.',
  },
  TCP_OLD_DATA: {
    category: 'tcp',
    summary: 'The segment holds only data already received (a retransmission, possibly spurious).',
    nextSteps:
      'Spurious retransmissions or lost ACKs: check loss on the ACK path and the sender RTO. `nstat` DelayedACKLost.',
  },
  TCP_OVERWINDOW: {
    category: 'tcp',
    summary: 'The segment starts beyond the right edge of the receive window.',
    nextSteps:
      'The peer ignores the advertised window, or a middlebox broke window scaling: capture the handshake and compare wscale options.',
  },
  TCP_OFOMERGE: {
    category: 'tcp',
    summary: 'An out-of-order segment whose data was already waiting in the out-of-order queue.',
    nextSteps: 'Retransmissions during loss or reordering: check path loss. `nstat` TCPOFOMerge.',
  },
  TCP_RFC7323_PAWS: {
    category: 'tcp',
    summary:
      'PAWS rejected the segment: its TCP timestamp is older than the last one seen on the connection.',
    nextSteps:
      'Typical with NAT mixing several hosts or a peer reusing the port after a reboot; check tcp_timestamps on both ends. `nstat` PAWSEstab/PAWSActive.',
  },
  TCP_RFC7323_PAWS_ACK: {
    category: 'tcp',
    summary: 'PAWS rejected a pure ACK carrying an old timestamp.',
    nextSteps: 'Usually reordered ACKs and harmless; check reordering on the path if frequent.',
  },
  TCP_RFC7323_TW_PAWS: {
    category: 'tcp',
    summary: 'PAWS rejected a segment that reached a socket in TIME_WAIT.',
    nextSteps:
      'New connections reuse a 4-tuple still in TIME_WAIT with older timestamps (NAT, client port reuse); check net.ipv4.tcp_tw_reuse and the client port range. `nstat -az | grep -i paws`.',
  },
  TCP_RFC7323_TSECR: {
    category: 'tcp',
    summary: 'The echoed timestamp (TSecr) in the segment is not one this host sent.',
    nextSteps:
      'A middlebox rewriting TCP timestamps or a broken peer; capture both directions. `nstat -az | grep -i tsecr`.',
  },
  TCP_LISTEN_OVERFLOW: {
    category: 'tcp',
    summary:
      "The listening socket's accept queue was full, so the incoming connection was dropped.",
    nextSteps:
      'Check the accept backlog (listen() backlog, capped by net.core.somaxconn; `ss -ltn` Recv-Q vs Send-Q) and whether the accepting application calls accept() fast enough. `nstat` ListenOverflows/ListenDrops.',
  },
  TCP_OLD_SEQUENCE: {
    category: 'tcp',
    summary: 'The segment has an old sequence number (a duplicate).',
    nextSteps: 'Duplicates from retransmission or reordering: check path loss.',
  },
  TCP_INVALID_SEQUENCE: {
    category: 'tcp',
    summary: 'The sequence number is outside the acceptable window.',
    nextSteps:
      'Stale or injected segments, or a desynchronised connection: look at NAT/conntrack and middleboxes rewriting sequence numbers.',
  },
  TCP_INVALID_END_SEQUENCE: {
    category: 'tcp',
    summary: 'The end of the segment lies beyond the receive window.',
    nextSteps:
      'The peer sends more than the window allows, or window scaling was broken by a middlebox; `nstat -az | grep -i window`.',
  },
  TCP_INVALID_ACK_SEQUENCE: {
    category: 'tcp',
    summary:
      'The ACK number is not between the oldest unacknowledged byte and the next byte to send.',
    nextSteps:
      'Stale or forged ACKs, or a middlebox rewriting sequence numbers: capture both directions.',
  },
  TCP_RESET: {
    category: 'tcp',
    summary:
      'A RST segment was not acceptable (its sequence number failed the check) and was ignored.',
    nextSteps:
      'Stale RSTs after port reuse, or RST injection: compare the RST sequence number with the connection window in a capture.',
  },
  TCP_INVALID_SYN: {
    category: 'tcp',
    summary: 'A SYN arrived on a connection that did not expect one.',
    nextSteps:
      'The peer restarted and reuses the 4-tuple, or a NAT port collision; look at challenge ACKs (`nstat` TCPChallengeACK, TCPSYNChallenge).',
  },
  TCP_CLOSE: {
    category: 'tcp',
    summary: 'A segment arrived for a socket in CLOSE state.',
    nextSteps:
      'Late packets after the connection closed; worth a look only if frequent (applications closing early).',
  },
  TCP_FASTOPEN: {
    category: 'tcp',
    summary: 'The TCP Fast Open request socket dropped the segment.',
    nextSteps: 'Check net.ipv4.tcp_fastopen on the server and the client behaviour with TFO.',
  },
  TCP_OLD_ACK: {
    category: 'tcp',
    summary: 'An old ACK (already superseded but still within the window) was ignored.',
    nextSteps: 'Normally harmless reordered ACKs.',
  },
  TCP_TOO_OLD_ACK: {
    category: 'tcp',
    summary: 'An ACK far older than the current send window was ignored.',
    nextSteps: 'Stale packets or sequence rewriting; check conntrack/NAT and middleboxes.',
  },
  TCP_ACK_UNSENT_DATA: {
    category: 'tcp',
    summary: 'The ACK acknowledges data that was never sent.',
    nextSteps:
      'Forged/injected ACKs or a middlebox rewriting sequence numbers (broken SYN proxy or NAT); capture both directions.',
  },
  TCP_OFO_QUEUE_PRUNE: {
    category: 'tcp',
    summary: 'Segments were pruned from the out-of-order queue to free memory.',
    nextSteps:
      'The receive buffer is too small for the loss/reordering on this path: check tcp_rmem and `ss -tm`; `nstat` OfoPruned/PruneCalled.',
  },
  TCP_OFO_DROP: {
    category: 'tcp',
    summary: 'An out-of-order segment whose data is already in the receive queue.',
    nextSteps: 'Overlapping retransmissions during loss recovery: check path loss.',
  },
  IP_OUTNOROUTES: {
    category: 'ip',
    summary: 'The route lookup for sending or forwarding failed: no route to the destination.',
    nextSteps:
      'Check `ip route get <dst>` plus `ip rule` and VRFs: a missing default route, or an unreachable/prohibit route.',
  },
  BPF_CGROUP_EGRESS: {
    category: 'bpf',
    summary:
      "A cgroup eBPF program (BPF_PROG_TYPE_CGROUP_SKB) rejected the packet on the sender's egress.",
    nextSteps:
      "List cgroup programs with `bpftool cgroup tree` and find the one on the sending process's cgroup (systemd IPAddressDeny=, container network policies).",
  },
  IPV6DISABLED: {
    category: 'ipv6',
    summary: 'IPv6 is disabled on the device, so IPv6 packets are discarded.',
    nextSteps:
      'Check net.ipv6.conf.<dev>.disable_ipv6 and the ipv6.disable boot option; enable IPv6 here or stop the peer sending it.',
  },
  NEIGH_CREATEFAIL: {
    category: 'neighbour',
    summary: 'A neighbour (ARP/ND) entry for the next hop could not be created.',
    nextSteps:
      'The neighbour table is probably full: compare `ip -s neigh` with net.ipv4.neigh.default.gc_thresh3 (and ipv6), and look for "neighbour table overflow" in dmesg.',
  },
  NEIGH_FAILED: {
    category: 'neighbour',
    summary: "The next hop's neighbour entry is FAILED: ARP/ND resolution got no answer.",
    nextSteps:
      'Check `ip neigh show` for FAILED entries: the gateway/peer is down or unreachable at layer 2 (VLAN, cabling, a firewall dropping ARP/ND).',
  },
  NEIGH_QUEUEFULL: {
    category: 'neighbour',
    summary: 'Too many packets were waiting for the next hop to resolve, and its queue overflowed.',
    nextSteps:
      'Resolution is slow or failing (see NEIGH_FAILED); the queue size is net.ipv4.neigh.<dev>.unres_qlen_bytes (and the ipv6 equivalent).',
  },
  NEIGH_DEAD: {
    category: 'neighbour',
    summary: 'The neighbour entry was being removed when the packet tried to use it.',
    nextSteps:
      'Usually transient during interface or route changes and neighbour flushes; check for flapping links.',
  },
  NEIGH_HH_FILLFAIL: {
    category: 'neighbour',
    summary: 'Building the cached link-layer header for the neighbour failed.',
    nextSteps:
      "Rare; points at the output device's header handling (tunnels, virtual devices): check `location` and the output device.",
  },
  TC_EGRESS: {
    category: 'qdisc',
    summary: 'A tc filter or action on the egress hook (clsact/tc BPF) dropped the packet.',
    nextSteps:
      'Inspect `tc -s filter show dev <dev> egress` and attached BPF programs (`bpftool net show`).',
  },
  SECURITY_HOOK: {
    category: 'netfilter',
    summary: 'A Linux security module (LSM) hook refused the packet.',
    nextSteps:
      "Check the active LSM's denials for network permissions (SELinux: `ausearch -m avc`; AppArmor/others: audit log, dmesg).",
  },
  QDISC_DROP: {
    category: 'qdisc',
    summary:
      'The queueing discipline refused or discarded the packet (queue full, or its algorithm chose to drop).',
    nextSteps:
      'Check `tc -s qdisc show dev <dev>` for drops, overlimits and backlog; raise the limit or txqueuelen, or remove the congestion. Newer kernels give details in the qdisc:qdisc_drop tracepoint.',
  },
  QDISC_OVERLIMIT: {
    category: 'qdisc',
    summary: 'The qdisc reached its total buffer/packet limit.',
    nextSteps:
      "Check `tc -s qdisc show dev <dev>`; raise the qdisc's `limit` or reduce the offered load.",
  },
  QDISC_CONGESTED: {
    category: 'qdisc',
    summary:
      'An active queue management algorithm (CoDel, PIE, RED…) dropped the packet to signal congestion.',
    nextSteps:
      'Expected under load: check `tc -s qdisc show dev <dev>`; enable ECN (net.ipv4.tcp_ecn) so the AQM marks instead of dropping, or add capacity.',
  },
  QDISC_BURST_DROP: {
    category: 'qdisc',
    summary:
      'Too many packets were queued toward a busy qdisc in one burst (net.core.qdisc_max_burst).',
    nextSteps:
      'Check net.core.qdisc_max_burst and what makes many CPUs transmit to this device at once.',
  },
  CAKE_FLOOD: {
    category: 'qdisc',
    summary: "CAKE's flood protection (BLUE) dropped a packet from an unresponsive flow.",
    nextSteps:
      'Find the flow that ignores congestion signals (often a UDP flood) with `tc -s qdisc show dev <dev>` and limit it at its source.',
  },
  FQ_BAND_LIMIT: {
    category: 'qdisc',
    summary:
      "The fq qdisc dropped the packet because its priority band's packet limit was reached.",
    nextSteps: 'Check the fq limits and per-band drop counters in `tc -s qdisc show dev <dev>`.',
  },
  FQ_HORIZON_LIMIT: {
    category: 'qdisc',
    summary:
      'The fq qdisc dropped a packet whose departure time is too far in the future (beyond its horizon).',
    nextSteps:
      'Check the fq `horizon`/`horizon_drop` settings and the application or BPF program setting transmit times (SO_TXTIME, EDT pacing).',
  },
  FQ_FLOW_LIMIT: {
    category: 'qdisc',
    summary: 'The fq qdisc dropped the packet because one flow exceeded its per-flow packet limit.',
    nextSteps:
      'Raise the fq `flow_limit` or find the flow that floods (flows_plimit in `tc -s qdisc show dev <dev>`).',
  },
  DUALPI2_STEP_DROP: {
    category: 'qdisc',
    summary:
      'The DualPI2 (L4S) qdisc dropped a packet at its step threshold: the L4S queue delay was too high.',
    nextSteps:
      "Check the dualpi2 qdisc's step threshold and whether non-ECN-capable traffic lands in the L4S queue (`tc -s qdisc show dev <dev>`).",
  },
  CPU_BACKLOG: {
    category: 'device',
    summary:
      'The per-CPU input backlog queue was full (or the RPS flow limit was hit), so the received packet was dropped.',
    nextSteps:
      'Check /proc/net/softnet_stat (second column counts drops), raise net.core.netdev_max_backlog, and spread the load with RSS/RPS; see net.core.flow_limit_table_len.',
  },
  MACVLAN_BROADCAST_BACKLOG: {
    category: 'device',
    summary: 'The macvlan broadcast/multicast queue was full.',
    nextSteps:
      'Heavy broadcast/multicast on the macvlan lower device: find the source, or raise the queue with `ip link set <dev> type macvlan bcqueuelen <n>`.',
  },
  IPVLAN_MULTICAST_BACKLOG: {
    category: 'device',
    summary: 'The ipvlan multicast processing queue was full.',
    nextSteps:
      'Look for broadcast/multicast storms on the ipvlan lower device; the queue length is a fixed kernel limit.',
  },
  XDP: {
    category: 'bpf',
    summary:
      'A generic (skb-mode) XDP program dropped the packet; native XDP drops happen before an skb exists and do not appear here.',
    nextSteps:
      'List XDP programs with `ip link show <dev>` or `bpftool net show`, review the program, and use the xdp:* tracepoints.',
  },
  TC_INGRESS: {
    category: 'qdisc',
    summary: 'A tc filter or action on the ingress hook (clsact/tc BPF) dropped the packet.',
    nextSteps:
      'Inspect `tc -s filter show dev <dev> ingress` and attached BPF programs (`bpftool net show`).',
  },
  UNHANDLED_PROTO: {
    category: 'device',
    summary:
      "The stack has no handler for the packet's protocol (EtherType), or the protocol feature is not supported.",
    nextSteps:
      'Check the `protocol` column: L2 protocols nobody listens to (LLDP, STP, …) are normal noise; otherwise load the module that handles it.',
  },
  PTYPE_ABSENT: {
    category: 'device',
    summary:
      'Old 5.18 name for UNHANDLED_PROTO: no packet handler is registered for the EtherType.',
    nextSteps:
      'Check the `protocol` column: L2 protocols nobody listens to (LLDP, STP, …) are normal noise; otherwise load the module that handles it.',
  },
  SKB_CSUM: {
    category: 'device',
    summary: 'Computing or checking the packet checksum in a core helper failed.',
    nextSteps:
      "Check the device's checksum offloads (`ethtool -k <dev>`) and the function in `location`.",
  },
  SKB_GSO_SEG: {
    category: 'device',
    summary: 'Software segmentation (GSO) of a large packet failed.',
    nextSteps:
      "Check `location` and the device's offloads (`ethtool -k <dev>`); malformed GSO packets from VMs, tap or tunnels are the usual source.",
  },
  SKB_BAD_GSO: {
    category: 'device',
    summary: 'The packet carried inconsistent (possibly malicious) GSO metadata and was rejected.',
    nextSteps:
      'Usually from a virtio/tap guest or a packet socket supplying bad offload metadata: find the sending VM or application via the input interface.',
  },
  SKB_UCOPY_FAULT: {
    category: 'device',
    summary:
      'Copying data from user space into the packet failed (bad user buffer or zerocopy failure).',
    nextSteps:
      'An application passed an invalid buffer to a tun/tap or packet-socket write; the `comm` column shows which process.',
  },
  DEV_HDR: {
    category: 'device',
    summary:
      'A driver-specific header or metadata (e.g. the virtio-net header on tun/tap) is invalid.',
    nextSteps:
      'Check the driver in `location` and the user-space side writing to the device (QEMU, vhost, a tap application).',
  },
  DEV_READY: {
    category: 'device',
    summary:
      'The device was not ready: administratively down, or its queues not set up (e.g. a tun/tap queue with no reader).',
    nextSteps:
      'Check `ip link show <dev>` state; for tun/tap, make sure the user-space side has the queue open.',
  },
  FULL_RING: {
    category: 'device',
    summary: 'A device ring or queue was full (e.g. a tun/tap or veth queue).',
    nextSteps:
      'The consumer (VM, tap reader, peer namespace) does not keep up: check its CPU and the device txqueuelen.',
  },
  NOMEM: {
    category: 'memory',
    summary: 'A memory allocation failed while handling the packet.',
    nextSteps:
      'Check memory pressure (/proc/meminfo, dmesg for allocation failures, vm.min_free_kbytes); `location` shows which allocation failed.',
  },
  HDR_TRUNC: {
    category: 'device',
    summary:
      'A protocol header could not be pulled from the packet data: the packet is shorter than the header.',
    nextSteps:
      'Truncated or malformed frames: `location` shows which parser hit it; capture to find the sender.',
  },
  TAP_FILTER: {
    category: 'bpf',
    summary: 'An eBPF filter attached to the tun/tap device (TUNSETFILTEREBPF) dropped the packet.',
    nextSteps:
      'Inspect the program attached by the tap owner (QEMU, libvirt, …) with `bpftool prog show`.',
  },
  TAP_TXFILTER: {
    category: 'device',
    summary:
      "The tun/tap device's own address filter (set with TUNSETTXFILTER) dropped the packet.",
    nextSteps:
      'Check the MAC/multicast filter configured by the tap owner: a guest MAC that does not match is typical.',
  },
  ICMP_CSUM: {
    category: 'icmp',
    summary: 'The ICMP checksum did not verify.',
    nextSteps:
      'Corrupted traffic or offload bugs: check `ethtool -S <dev>` errors; `nstat` IcmpInCsumErrors/Icmp6InCsumErrors.',
  },
  INVALID_PROTO: {
    category: 'icmp',
    summary:
      'The packet breaks protocol rules, e.g. an ICMP timestamp request sent to a broadcast address.',
    nextSteps: 'Usually scanning or misbehaving hosts: identify the source.',
  },
  IP_INADDRERRORS: {
    category: 'ip',
    summary:
      'The destination address is not one this host may accept or forward (host unreachable).',
    nextSteps:
      'Check the destination against local addresses and routes, and whether forwarding is enabled (net.ipv4.ip_forward); `nstat` IpInAddrErrors.',
  },
  IP_INNOROUTES: {
    category: 'ip',
    summary: 'There is no route for a received packet (network unreachable).',
    nextSteps:
      'Check `ip route get <dst> from <src> iif <dev>` and forwarding settings; `nstat` IpExtInNoRoutes.',
  },
  IP_LOCAL_SOURCE: {
    category: 'ip',
    summary: "The received packet claims one of this host's own addresses as its source.",
    nextSteps:
      'Spoofing or a layer-2 loop reflecting our own packets; see net.ipv4.conf.<dev>.accept_local if this is intended.',
  },
  IP_INVALID_SOURCE: {
    category: 'ip',
    summary:
      'The source address is invalid: multicast or limited broadcast, or zero on a non-IGMP packet.',
    nextSteps:
      'A martian source: enable net.ipv4.conf.all.log_martians to log details, then fix the sender.',
  },
  IP_LOCALNET: {
    category: 'ip',
    summary: 'The source or destination is a loopback (127/8) address on a non-loopback interface.',
    nextSteps:
      'If DNAT to 127.0.0.1 is intended, enable net.ipv4.conf.<dev>.route_localnet; otherwise a misconfigured or spoofing sender.',
  },
  IP_INVALID_DEST: {
    category: 'ip',
    summary: 'The destination address is invalid (e.g. 0.0.0.0).',
    nextSteps: 'A broken sender: identify it from a capture.',
  },
  PKT_TOO_BIG: {
    category: 'ip',
    summary:
      'The packet is larger than the MTU (and may not be fragmented) or than a protocol limit.',
    nextSteps:
      'Check MTUs along the path (tunnels!) with `ip link`, and that ICMP "fragmentation needed"/"packet too big" is not filtered, so PMTU discovery works.',
  },
  DUP_FRAG: {
    category: 'ip',
    summary: 'A duplicate IP fragment arrived during reassembly.',
    nextSteps:
      'Duplicated or retransmitted fragments on the path; better to avoid fragmentation (fix PMTU).',
  },
  FRAG_REASM_TIMEOUT: {
    category: 'ip',
    summary: 'Reassembly timed out before all fragments of the packet arrived.',
    nextSteps:
      'Fragments are lost on the path: check `nstat` ReasmTimeout/ReasmFails and net.ipv4.ipfrag_time, and avoid fragmentation with a smaller MTU.',
  },
  FRAG_TOO_FAR: {
    category: 'ip',
    summary:
      'An IPv4 fragment was discarded because too many other fragments from the same source arrived in between.',
    nextSteps:
      'Check net.ipv4.ipfrag_max_dist; heavy reordering or fragment floods from that source.',
  },
  TCP_MINTTL: {
    category: 'tcp',
    summary:
      "The packet's TTL/hop limit is below the socket's minimum (IP_MINTTL/IPV6_MINHOPCOUNT, as GTSM uses).",
    nextSteps:
      'The peer is more hops away than allowed: check BGP TTL security (GTSM) settings on both sides.',
  },
  IPV6_BAD_EXTHDR: {
    category: 'ipv6',
    summary: 'An IPv6 extension header is malformed.',
    nextSteps: 'Capture the traffic and check the sender and middleboxes; `nstat` Ip6InHdrErrors.',
  },
  IPV6_TOO_MANY_EXTHDRS: {
    category: 'ipv6',
    summary: 'The packet carries more IPv6 extension headers than the kernel accepts.',
    nextSteps: 'Likely malicious or broken traffic: identify the source from a capture.',
  },
  IPV6_NDISC_FRAG: {
    category: 'ipv6',
    summary: 'A fragmented Neighbour Discovery message was rejected.',
    nextSteps:
      'Fragmented ND is an attack vector; see net.ipv6.conf.<dev>.suppress_frag_ndisc and identify the sender.',
  },
  IPV6_NDISC_HOP_LIMIT: {
    category: 'ipv6',
    summary:
      'A Neighbour Discovery message did not have hop limit 255, so it did not originate on the link.',
    nextSteps: 'ND from off-link (spoofed or forwarded): identify the source.',
  },
  IPV6_NDISC_BAD_CODE: {
    category: 'ipv6',
    summary: 'A Neighbour Discovery message had a non-zero ICMPv6 code.',
    nextSteps: 'A broken or malicious sender: identify it from a capture.',
  },
  IPV6_NDISC_BAD_OPTIONS: {
    category: 'ipv6',
    summary: 'A Neighbour Discovery message carried malformed options.',
    nextSteps: 'A broken or malicious sender: identify it from a capture.',
  },
  IPV6_NDISC_NS_OTHERHOST: {
    category: 'ipv6',
    summary: 'A Neighbour Solicitation asked for an address this host does not own.',
    nextSteps:
      'Usually harmless on shared segments (solicitations for other hosts are seen by everyone); investigate only if unexpected.',
  },
  QUEUE_PURGE: {
    category: 'other',
    summary:
      'The packet was freed when a whole queue was flushed (socket closed, device reset, queue purge).',
    nextSteps:
      'Use `location`/callchain to see which queue was flushed; usually a consequence of a close or device teardown.',
  },
  TC_COOKIE_ERROR: {
    category: 'qdisc',
    summary:
      'tc failed while handling the skb extension ("cookie") that carries its classification state.',
    nextSteps:
      'Check tc filters that use chains or hardware offload (`tc -s filter show dev <dev> ingress`) and the driver in `location`.',
  },
  TC_ERROR: {
    category: 'qdisc',
    summary: '6.7-only reason: tc classification or an action returned an error.',
    nextSteps: 'Inspect tc filters and actions with `tc -s filter show dev <dev> ingress|egress`.',
  },
  PACKET_SOCK_ERROR: {
    category: 'socket',
    summary:
      'An AF_PACKET socket whose filter accepted the packet failed to deliver it (e.g. copy or ring error).',
    nextSteps:
      'Look at the capture application (tcpdump/libpcap and the like) and its ring/buffer size; `comm` and `location` show which socket path.',
  },
  TC_CHAIN_NOTFOUND: {
    category: 'qdisc',
    summary: 'A tc filter jumped to a chain that does not exist.',
    nextSteps:
      'List chains with `tc chain show dev <dev> ingress|egress` and fix the `goto chain` target.',
  },
  TC_RECLASSIFY_LOOP: {
    category: 'qdisc',
    summary:
      'tc gave up after too many reclassify iterations (a loop in the filter configuration).',
    nextSteps:
      'Look for filters/actions that reclassify endlessly (`tc -s filter show dev <dev> …`).',
  },
  VXLAN_INVALID_HDR: {
    category: 'tunnel',
    summary: 'The VXLAN header is invalid (reserved bits set, or the VNI-valid "I" flag missing).',
    nextSteps:
      "Compare the sender's VXLAN extensions (GBP, GPE) with the local device options (`ip -d link show type vxlan`).",
  },
  VXLAN_VNI_NOT_FOUND: {
    category: 'tunnel',
    summary: "No local VXLAN device serves the packet's VNI.",
    nextSteps:
      'Compare VNIs with `ip -d link show type vxlan`: the remote VTEP sends a VNI not configured here.',
  },
  MAC_INVALID_SOURCE: {
    category: 'tunnel',
    summary:
      'The source MAC address is invalid (e.g. multicast or all-zero), so it cannot be learned.',
    nextSteps: 'Find the inner-frame sender with that source MAC; it is broken or spoofing.',
  },
  VXLAN_ENTRY_EXISTS: {
    category: 'tunnel',
    summary: 'VXLAN tried to re-learn a MAC whose FDB entry is static or points to a nexthop.',
    nextSteps:
      'Check `bridge fdb show dev <vxlan>` for static entries that conflict with where the MAC now appears (a MAC move).',
  },
  VXLAN_NO_REMOTE: {
    category: 'tunnel',
    summary: '6.13 name for NO_TX_TARGET: VXLAN found no remote to send the packet to.',
    nextSteps:
      'Check `bridge fdb show dev <vxlan>` (including the all-zeros default entry) and the device `remote`/`group` options.',
  },
  NO_TX_TARGET: {
    category: 'tunnel',
    summary:
      'No destination was found to transmit to (e.g. a VXLAN device with no remote or FDB entry).',
    nextSteps:
      'Check `bridge fdb show dev <vxlan>` (including the all-zeros default entry) and the device `remote`/`group` options.',
  },
  IP_TUNNEL_ECN: {
    category: 'tunnel',
    summary:
      'Decapsulation dropped the packet per RFC 6040: the outer header signals congestion (CE) but the inner packet is not ECN-capable.',
    nextSteps:
      'Find the hop that marks the outer header, and make the tunnel endpoints agree on ECN (encapsulate with ECN-capable inner traffic or stop marking).',
  },
  TUNNEL_TXINFO: {
    category: 'tunnel',
    summary:
      'A packet without tunnel metadata reached a tunnel device in external (collect_md) mode.',
    nextSteps:
      'Whatever steers traffic into the device must set the metadata (tc `tunnel_key set`, bpf_skb_set_tunnel_key, OVS); check routes pointing at it.',
  },
  LOCAL_MAC: {
    category: 'tunnel',
    summary: "The source MAC address equals the local device's own MAC address.",
    nextSteps: 'Look for a forwarding loop or a duplicate MAC address on the overlay.',
  },
  ARP_PVLAN_DISABLE: {
    category: 'neighbour',
    summary:
      'An ARP packet would have been proxied back out of the interface it came in on, but proxy_arp_pvlan is disabled.',
    nextSteps:
      'If private-VLAN proxy ARP is intended, enable net.ipv4.conf.<dev>.proxy_arp_pvlan; otherwise review the proxy_arp settings.',
  },
  MAC_IEEE_MAC_CONTROL: {
    category: 'bridge',
    summary:
      'The frame is addressed to the IEEE MAC Control address (01:80:c2:00:00:01, e.g. pause frames), which must not be forwarded.',
    nextSteps:
      "Flow-control pause frames reached the bridge: check the peer's flow control (`ethtool -a <dev>`).",
  },
  BRIDGE_INGRESS_STP_STATE: {
    category: 'bridge',
    summary:
      "The ingress bridge port's STP state (blocking, listening, disabled) does not allow forwarding.",
    nextSteps:
      'Check port states with `bridge link show` and the STP topology; blocked ports breaking loops are normal.',
  },
  CAN_RX_INVALID_FRAME: {
    category: 'can',
    summary:
      'A malformed Classical CAN frame was received (or the device cannot receive CAN frames).',
    nextSteps:
      "Check the interface type and MTU (`ip -d link show <can>`) and the sender's frame format.",
  },
  CANFD_RX_INVALID_FRAME: {
    category: 'can',
    summary: 'A malformed CAN FD frame was received (or the device cannot receive CAN FD frames).',
    nextSteps:
      'Make sure the interface is in FD mode (`ip link set <can> type can … fd on`) and check the sender.',
  },
  CANXL_RX_INVALID_FRAME: {
    category: 'can',
    summary: 'A malformed CAN XL frame was received (or the device cannot receive CAN XL frames).',
    nextSteps: 'Check that the interface supports CAN XL (`ip -d link show <can>`) and the sender.',
  },
  PFMEMALLOC: {
    category: 'memory',
    summary:
      'A packet allocated from emergency memory reserves reached a socket or path not allowed to use them.',
    nextSteps:
      'The system is under severe memory pressure: check /proc/meminfo and vm.min_free_kbytes; only memory-reclaim sockets (e.g. swap over network) may keep such packets.',
  },
  PSP_INPUT: {
    category: 'xfrm',
    summary: 'PSP (the PSP Security Protocol encryption) receive checks failed.',
    nextSteps:
      'Check the PSP association and keys for the socket and device (key rotation, device PSP state), and whether the socket requires PSP.',
  },
  PSP_OUTPUT: {
    category: 'xfrm',
    summary: 'PSP (the PSP Security Protocol encryption) transmit checks failed.',
    nextSteps:
      'Check the PSP association and keys for the socket and device, and that the output device supports PSP offload.',
  },
  RECURSION_LIMIT: {
    category: 'device',
    summary:
      'Transmit recursion through virtual devices hit its limit (a loop between stacked or tunnel devices).',
    nextSteps:
      'Look for a tunnel routed over itself or a loop of stacked devices; dmesg may report a dead loop on a virtual device.',
  },
  MAX: {
    category: 'other',
    summary: 'Sentinel marking the end of the core reason list; not a real reason.',
    nextSteps: TABLE_MISMATCH,
  },
};

const WIFI_KEYS =
  'Check key handling on this link (rekeying, mismatched keys between AP and station, driver/firmware crypto offload): wpa_supplicant/hostapd logs and `iw dev <dev> station dump`.';
const WIFI_PMF =
  'A peer sent an unprotected frame where management frame protection (802.11w/PMF) requires protection: compare PMF settings (ieee80211w) on both sides; bursts can be spoofing or deauth attacks.';
const WIFI_RUNT =
  'Truncated or malformed frames: check radio conditions, driver/firmware, and the sending peer (`iw dev <dev> station dump`).';
const WIFI_SHORT_CIPHER =
  'Frames shorter than the cipher header/MIC: truncation by driver or firmware, or a broken peer; check `iw dev <dev> station dump` and the driver.';
const WIFI_4ADDR =
  'Check 4-address (WDS) mode on both ends: `iw dev <dev> set 4addr on|off`, hostapd wds_sta, and AP_VLAN setup.';
const WIFI_MESH =
  'Check the mesh configuration on both peers (`iw dev <dev> get mesh_param`: forwarding, TTL) and their addressing.';
const WIFI_MGMT =
  'Normally harmless: this interface type does not process the frame; investigate only if association or connection setup fails.';
const WIFI_DEFRAG =
  "Fragments could not be reassembled safely: check the peer's fragmentation threshold, and consider fragmentation-cache attacks (FragAttacks).";
const WIFI_ACTION =
  'Action frames the stack will not handle: usually harmless; check the peer if connection features (BA, SA Query, …) fail.';

const mac80211Unusable: ReasonTable = {
  RX_DROP_UNUSABLE: {
    category: 'wireless',
    summary: 'mac80211 found the frame unusable and dropped it without a more specific reason.',
    nextSteps:
      'Use `location` to see which receive handler dropped it; enable mac80211 debugfs/tracing for details.',
  },
  RX_DROP_U_MIC_FAIL: {
    category: 'wireless',
    summary: 'The frame failed its MIC (integrity) check.',
    nextSteps: WIFI_KEYS,
  },
  RX_DROP_U_REPLAY: {
    category: 'wireless',
    summary: "Replay detected: the frame's packet number did not advance.",
    nextSteps:
      'Frequent replays point at reordering in the driver/firmware or a replay attack; check the driver and `iw dev <dev> station dump`.',
  },
  RX_DROP_U_BAD_MMIE: {
    category: 'wireless',
    summary:
      'A protected group management frame had a missing or invalid MMIE (management MIC element).',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_DUP: {
    category: 'wireless',
    summary: 'Duplicate frame: a retransmission of a frame already received.',
    nextSteps:
      'Normal in small numbers; many mean lost ACKs and poor link quality (signal, interference).',
  },
  RX_DROP_U_SPURIOUS: {
    category: 'wireless',
    summary: 'A data frame came from a station that is not associated (spurious class 3 frame).',
    nextSteps:
      'A client that thinks it is still associated (e.g. after an AP restart); it should reconnect. Check hostapd logs.',
  },
  RX_DROP_U_DECRYPT_FAIL: {
    category: 'wireless',
    summary: 'Decryption of the frame failed.',
    nextSteps: WIFI_KEYS,
  },
  RX_DROP_U_NO_KEY_ID: {
    category: 'wireless',
    summary: 'A protected frame had no usable key index.',
    nextSteps: WIFI_KEYS,
  },
  RX_DROP_U_BAD_CIPHER: {
    category: 'wireless',
    summary: 'The frame was protected with a cipher that does not match the key in use.',
    nextSteps: WIFI_KEYS,
  },
  RX_DROP_U_OOM: {
    category: 'wireless',
    summary: 'mac80211 ran out of memory while processing the frame.',
    nextSteps: 'Check memory pressure (/proc/meminfo, dmesg allocation failures).',
  },
  RX_DROP_U_NONSEQ_PN: {
    category: 'wireless',
    summary: 'Fragments of one frame did not carry consecutive packet numbers.',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_BAD_KEY_COLOR: {
    category: 'wireless',
    summary:
      'Fragments of one frame were protected with different keys (mixed-key fragment attack defence).',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_BAD_4ADDR: {
    category: 'wireless',
    summary: 'A 4-address A-MSDU arrived on an interface not set up for 4-address mode.',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_BAD_AMSDU: {
    category: 'wireless',
    summary:
      'An A-MSDU aggregate was invalid (group-addressed, from an unknown station, or malformed).',
    nextSteps:
      'Check the sending peer and driver; malformed A-MSDUs can also be an aggregation attack.',
  },
  RX_DROP_U_BAD_AMSDU_CIPHER: {
    category: 'wireless',
    summary: 'An A-MSDU arrived on a link using WEP or TKIP, where A-MSDUs are not allowed.',
    nextSteps:
      'Move the network off WEP/TKIP to CCMP/GCMP; the peer should not aggregate on such links.',
  },
  RX_DROP_U_INVALID_8023: {
    category: 'wireless',
    summary: 'Converting the 802.11 data frame to an Ethernet (802.3) frame failed.',
    nextSteps: 'Malformed data frame from the peer or driver; check the driver in `location`.',
  },
  RX_DROP_U_RUNT_ACTION: {
    category: 'wireless',
    summary: 'An action frame too short to hold its category field.',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_UNPROT_ACTION: {
    category: 'wireless',
    summary: 'A robust action frame arrived unprotected before keys were set while PMF is in use.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_DUAL: {
    category: 'wireless',
    summary: 'A "protected dual of public action" frame arrived without protection.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_UCAST_MGMT: {
    category: 'wireless',
    summary: 'An unprotected unicast robust management frame from a PMF station.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_MCAST_MGMT: {
    category: 'wireless',
    summary: 'A group-addressed robust management frame without its BIP protection (MMIE).',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_BEACON: {
    category: 'wireless',
    summary: 'A beacon without protection while beacon protection is in use.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_UNICAST_PUB_ACTION: {
    category: 'wireless',
    summary: 'An unprotected unicast public action frame from a PMF station.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_UNPROT_ROBUST_ACTION: {
    category: 'wireless',
    summary: 'A robust action frame that should have been protected arrived unprotected.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_ACTION_UNKNOWN_SRC: {
    category: 'wireless',
    summary: 'An action frame came from a station this interface does not know.',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_REJECTED_ACTION_RESPONSE: {
    category: 'wireless',
    summary:
      'An action frame that is itself a rejection was dropped rather than bounced back again.',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_EXPECT_DEFRAG_PROT: {
    category: 'wireless',
    summary:
      'A fragment of a protected frame arrived unprotected or under a different key (mixed-key/fragment-cache attack defence).',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_WEP_DEC_FAIL: {
    category: 'wireless',
    summary: 'WEP decryption failed.',
    nextSteps: 'WEP key mismatch; better still, move the network off WEP.',
  },
  RX_DROP_U_NO_IV: {
    category: 'wireless',
    summary: 'A WEP frame too short to contain its IV.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_NO_ICV: {
    category: 'wireless',
    summary: 'A WEP frame too short to contain its ICV.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_AP_RX_GROUPCAST: {
    category: 'wireless',
    summary:
      'An AP received a TKIP frame protected with a group key index, which only the AP may use.',
    nextSteps: 'A misbehaving or spoofing station; check the station and the AP security settings.',
  },
  RX_DROP_U_SHORT_MMIC: {
    category: 'wireless',
    summary: 'A TKIP frame too short to contain its Michael MIC.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_MMIC_FAIL: {
    category: 'wireless',
    summary: 'The TKIP Michael MIC check failed.',
    nextSteps: `${WIFI_KEYS} Repeated Michael MIC failures trigger TKIP countermeasures.`,
  },
  RX_DROP_U_SHORT_TKIP: {
    category: 'wireless',
    summary: 'A frame too short for a TKIP header.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_TKIP_FAIL: {
    category: 'wireless',
    summary: 'TKIP decryption failed.',
    nextSteps: WIFI_KEYS,
  },
  RX_DROP_U_SHORT_CCMP: {
    category: 'wireless',
    summary: 'A frame too short for a CCMP header.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_CCMP_MIC: {
    category: 'wireless',
    summary: 'A CCMP frame too short to contain its MIC.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_GCMP: {
    category: 'wireless',
    summary: 'A frame too short for a GCMP header.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_GCMP_MIC: {
    category: 'wireless',
    summary: 'A GCMP frame too short to contain its MIC.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_CMAC: {
    category: 'wireless',
    summary: 'A management frame too short for its BIP-CMAC-128 MMIE.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_CMAC256: {
    category: 'wireless',
    summary: 'A management frame too short for its BIP-CMAC-256 MMIE.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_SHORT_GMAC: {
    category: 'wireless',
    summary: 'A management frame too short for its BIP-GMAC MMIE.',
    nextSteps: WIFI_SHORT_CIPHER,
  },
  RX_DROP_U_UNEXPECTED_VLAN_4ADDR: {
    category: 'wireless',
    summary: 'A 4-address frame arrived on an AP VLAN interface that has no 4-address station.',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_UNEXPECTED_STA_4ADDR: {
    category: 'wireless',
    summary: 'A station interface not in 4-address mode received a 4-address frame.',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_UNEXPECTED_VLAN_MCAST: {
    category: 'wireless',
    summary:
      'A group-addressed frame arrived on a 4-address AP VLAN interface, which does not accept them.',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_NOT_PORT_CONTROL: {
    category: 'wireless',
    summary:
      'A 4-address station received a frame for another address that is not a port-control (EAPOL) frame.',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_UNKNOWN_ACTION_REJECTED: {
    category: 'wireless',
    summary:
      'An unhandled action frame was answered with a rejection, and the original frame was dropped.',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_UNEXPECTED_4ADDR_FRAME: {
    category: 'wireless',
    summary:
      'A 4-address (WDS) frame arrived on an interface not set up for it (formerly the monitor-visible RX_DROP_M_UNEXPECTED_4ADDR_FRAME).',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_BAD_BCN_KEYIDX: {
    category: 'wireless',
    summary:
      'A protected beacon used a key index outside the range reserved for beacon protection.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_BAD_MGMT_KEYIDX: {
    category: 'wireless',
    summary:
      'A protected management frame used a key index outside the range reserved for management protection.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_MESH_DS_BITS: {
    category: 'wireless',
    summary: 'A group-addressed mesh frame had the wrong To-DS/From-DS bits.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_A3_MISMATCH: {
    category: 'wireless',
    summary:
      "A group-addressed mesh frame carried this interface's own address as address 3 (it looped back).",
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_NO_A4: {
    category: 'wireless',
    summary: 'A unicast mesh data frame lacked the fourth address.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_A4_MISMATCH: {
    category: 'wireless',
    summary:
      "A unicast mesh frame carried this interface's own address as address 4 (it looped back).",
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_UNEXP_DATA: {
    category: 'wireless',
    summary: 'A data frame arrived from a mesh peer that is not (yet) established.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_WRONG_ACTION: {
    category: 'wireless',
    summary:
      'An action frame from an unestablished mesh peer was neither mesh nor self-protected action.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_UNEXP_MGMT: {
    category: 'wireless',
    summary: 'A management frame type not accepted from an unestablished mesh peer.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_SPURIOUS_NOTIF: {
    category: 'wireless',
    summary:
      'A frame from an unassociated station was dropped after reporting it to hostapd (spurious-frame notification).',
    nextSteps:
      'hostapd is told so it can deauthenticate the stale client; check hostapd logs if clients keep appearing.',
  },
  RX_DROP_U_RUNT_DATA: {
    category: 'wireless',
    summary: 'A data frame too short to check its EtherType (e.g. for an EAPOL exemption).',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_KEY_TAINTED: {
    category: 'wireless',
    summary:
      'The key for the frame is being replaced (tainted during rekeying), so frames using it are dropped.',
    nextSteps:
      'Normal for a moment around rekeying; persistent drops point at rekey problems (wpa_supplicant/hostapd logs).',
  },
  RX_DROP_U_UNPROTECTED: {
    category: 'wireless',
    summary: 'A frame that must be protected arrived without a usable key or protection.',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_U_MCAST_FRAGMENT: {
    category: 'wireless',
    summary: 'A group-addressed frame was fragmented, which is not allowed.',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_DEFRAG_MISMATCH: {
    category: 'wireless',
    summary: 'A fragment matched no frame being reassembled (missing earlier fragments).',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_DEFRAG_OVERFLOW: {
    category: 'wireless',
    summary: 'Reassembling the fragments would overflow the limit on a reassembled frame.',
    nextSteps: WIFI_DEFRAG,
  },
  RX_DROP_U_RUNT_MESH_DATA: {
    category: 'wireless',
    summary: 'A mesh data frame too short for its mesh header.',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_MESH_NO_TTL: {
    category: 'wireless',
    summary: 'A mesh data frame arrived with TTL zero.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_RMC: {
    category: 'wireless',
    summary:
      'A group-addressed mesh frame already seen (in the recent multicast cache), so not processed again.',
    nextSteps: 'Normal mesh flooding de-duplication; worth a look only if the volume is very high.',
  },
  RX_DROP_U_MESH_BAD_AE: {
    category: 'wireless',
    summary: 'A mesh frame had an invalid address-extension mode.',
    nextSteps: WIFI_MESH,
  },
  RX_DROP_U_MESH_TTL_EXPIRED: {
    category: 'wireless',
    summary: 'A mesh frame to forward ran out of TTL.',
    nextSteps: `${WIFI_MESH} Expiring TTLs can also mean a forwarding loop.`,
  },
  RX_DROP_U_MESH_NOT_FORWARDING: {
    category: 'wireless',
    summary: 'A unicast mesh frame for another node arrived while mesh forwarding is disabled.',
    nextSteps:
      "Enable mesh forwarding (mesh_fwding) if this node should relay, or fix the peers' paths.",
  },
  RX_DROP_U_AMSDU_WITHOUT_DATA: {
    category: 'wireless',
    summary: 'A frame flagged as an A-MSDU carried no data.',
    nextSteps: 'A broken peer or driver: check the sending station.',
  },
  RX_DROP_U_NULL_DATA: {
    category: 'wireless',
    summary: 'A null-data frame (no payload, used for power-save signalling) was consumed.',
    nextSteps: 'Normal 802.11 housekeeping; nothing to fix.',
  },
  RX_DROP_U_UNEXPECTED_4ADDR: {
    category: 'wireless',
    summary:
      'An AP received a 4-address frame from a station not using 4-address mode (hostapd is notified).',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_U_PORT_CONTROL: {
    category: 'wireless',
    summary: 'The 802.1X port is not authorized yet, so only EAPOL frames may pass.',
    nextSteps:
      'Normal briefly during authentication; if persistent, the 802.1X/WPA handshake is failing (wpa_supplicant/hostapd logs).',
  },
  RX_DROP_U_UNKNOWN_STA: {
    category: 'wireless',
    summary: 'A Block Ack Request came from an unknown station.',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_RUNT_BAR: {
    category: 'wireless',
    summary: 'A Block Ack Request frame too short to parse.',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_BAR_OUTSIDE_SESSION: {
    category: 'wireless',
    summary: 'A Block Ack Request for a traffic ID without an active Block Ack session.',
    nextSteps:
      'Usually a peer out of sync after a session teardown; harmless unless aggregation keeps failing.',
  },
  RX_DROP_U_CTRL_FRAME: {
    category: 'wireless',
    summary: 'A control frame that mac80211 does not process further.',
    nextSteps: 'Normal housekeeping; nothing to fix.',
  },
  RX_DROP_U_RUNT_MGMT: {
    category: 'wireless',
    summary: 'A management frame shorter than the minimum header.',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_EXPECTED_MGMT: {
    category: 'wireless',
    summary: 'A management frame was expected here but the frame is of another type.',
    nextSteps: WIFI_RUNT,
  },
  RX_DROP_U_NONBCAST_BEACON: {
    category: 'wireless',
    summary: 'A beacon not sent to the broadcast address.',
    nextSteps: 'A broken or spoofing transmitter: identify it by its address.',
  },
  RX_DROP_U_MALFORMED_ACTION: {
    category: 'wireless',
    summary: 'A malformed action frame, not bounced back as a rejection.',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_UNKNOWN_MCAST_ACTION: {
    category: 'wireless',
    summary: 'An unhandled group-addressed action frame (never answered with a rejection).',
    nextSteps: WIFI_ACTION,
  },
  RX_DROP_U_UNEXPECTED_EXT_FRAME: {
    category: 'wireless',
    summary:
      'An extension frame (e.g. an S1G beacon) on an interface type that does not accept it.',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_UNHANDLED_MGMT: {
    category: 'wireless',
    summary: 'A management frame on an interface type that does not handle management frames here.',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_MCAST_DEAUTH: {
    category: 'wireless',
    summary: 'A deauthentication frame sent to a multicast (not broadcast) address.',
    nextSteps:
      'Invalid addressing from a broken or spoofing transmitter; identify it by its address.',
  },
  RX_DROP_U_UNHANDLED_DEAUTH: {
    category: 'wireless',
    summary:
      'A deauthentication frame on an interface that only handles them in station/IBSS mode.',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_MCAST_DISASSOC: {
    category: 'wireless',
    summary:
      'A disassociation or (re)association response sent to a multicast (not broadcast) address.',
    nextSteps:
      'Invalid addressing from a broken or spoofing transmitter; identify it by its address.',
  },
  RX_DROP_U_UNHANDLED_DISASSOC: {
    category: 'wireless',
    summary: 'A disassociation or association response on an interface that is not a station.',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_UNHANDLED_PREQ: {
    category: 'wireless',
    summary:
      'A probe request on an interface that handles them only in IBSS or mesh mode (AP probes go to hostapd).',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_UNHANDLED_MGMT_STYPE: {
    category: 'wireless',
    summary: 'A management frame subtype mac80211 does not process.',
    nextSteps: WIFI_MGMT,
  },
  RX_DROP_U_NO_LINK: {
    category: 'wireless',
    summary: 'The frame could not be tied to a link of the (multi-link) interface.',
    nextSteps:
      'A driver or multi-link (MLO) setup problem, with a kernel warning logged: check dmesg and the driver.',
  },
};

const mac80211Monitor: ReasonTable = {
  RX_DROP_MONITOR: {
    category: 'wireless',
    summary:
      'mac80211 dropped the frame but still passed it to monitor interfaces (generic reason; this subsystem is gone by 6.17).',
    nextSteps:
      'Use `location` to see which receive handler dropped it; a monitor interface shows the frame itself.',
  },
  RX_DROP_M_UNEXPECTED_4ADDR_FRAME: {
    category: 'wireless',
    summary:
      'A 4-address (WDS) frame arrived on an interface not set up for it (monitor-visible drop).',
    nextSteps: WIFI_4ADDR,
  },
  RX_DROP_M_BAD_BCN_KEYIDX: {
    category: 'wireless',
    summary:
      'A protected beacon used a key index outside the beacon-protection range (monitor-visible drop).',
    nextSteps: WIFI_PMF,
  },
  RX_DROP_M_BAD_MGMT_KEYIDX: {
    category: 'wireless',
    summary:
      'A protected management frame used a key index outside the management-protection range (monitor-visible drop).',
    nextSteps: WIFI_PMF,
  },
};

const OVS_FLOWS =
  'Trace the packet through the bridge with `ovs-appctl ofproto/trace <bridge> <flow>` and inspect datapath flows (`ovs-appctl dpctl/dump-flows`).';

const openvswitch: ReasonTable = {
  OVS_DROP_LAST_ACTION: {
    category: 'openvswitch',
    summary: "The flow's action list ended without outputting the packet (an implicit drop).",
    nextSteps: OVS_FLOWS,
  },
  OVS_DROP_ACTION_ERROR: {
    category: 'openvswitch',
    summary: 'An action in the datapath flow failed while executing.',
    nextSteps: `${OVS_FLOWS} Check the ovs-vswitchd log and \`ovs-appctl coverage/show\`.`,
  },
  OVS_DROP_EXPLICIT: {
    category: 'openvswitch',
    summary:
      'The datapath flow ends in an explicit drop action (the configured rules drop this traffic).',
    nextSteps: `${OVS_FLOWS} The OpenFlow rule responsible shows in the trace (\`ovs-ofctl dump-flows <bridge>\`).`,
  },
  OVS_DROP_EXPLICIT_WITH_ERROR: {
    category: 'openvswitch',
    summary:
      'ovs-vswitchd installed a drop action because translating the flow failed (e.g. too many resubmits).',
    nextSteps: `${OVS_FLOWS} The ovs-vswitchd log names the translation error.`,
  },
  OVS_DROP_METER: {
    category: 'openvswitch',
    summary: 'An OpenFlow meter band dropped the packet (rate limit exceeded).',
    nextSteps:
      'Check meter configuration and counters: `ovs-ofctl -O OpenFlow13 dump-meters <bridge>` and `meter-stats`.',
  },
  OVS_DROP_RECURSION_LIMIT: {
    category: 'openvswitch',
    summary: 'Nested action execution (recirculation, clone, sample) exceeded the recursion limit.',
    nextSteps: `Look for flows that recirculate in a loop. ${OVS_FLOWS}`,
  },
  OVS_DROP_DEFERRED_LIMIT: {
    category: 'openvswitch',
    summary: 'The queue of deferred actions (recirculations) was full.',
    nextSteps: `Look for flows that recirculate too often or in a loop. ${OVS_FLOWS}`,
  },
  OVS_DROP_FRAG_L2_TOO_LONG: {
    category: 'openvswitch',
    summary: 'Fragmenting the packet for output failed: its layer-2 header is too long.',
    nextSteps:
      'Check the output port MTU and encapsulation (many VLAN tags or MPLS labels); avoid needing fragmentation on output.',
  },
  OVS_DROP_FRAG_INVALID_PROTO: {
    category: 'openvswitch',
    summary: 'The packet exceeded the output MTU but is not IPv4/IPv6, so it cannot be fragmented.',
    nextSteps:
      'Check the output port MTU against the traffic size (and any encapsulation overhead).',
  },
  OVS_DROP_CONNTRACK: {
    category: 'openvswitch',
    summary: 'The conntrack (ct) action failed or rejected the packet.',
    nextSteps:
      'Check `ovs-appctl dpctl/dump-conntrack`, conntrack zone limits, and kernel conntrack counters (`conntrack -S`).',
  },
  OVS_DROP_IP_TTL: {
    category: 'openvswitch',
    summary: 'A dec_ttl action found the TTL/hop limit expired.',
    nextSteps: 'A routing loop in the virtual network (OVN logical routers, OpenFlow L3 rules).',
  },
  OVS_DROP_MAX: {
    category: 'other',
    summary: 'Sentinel marking the end of the Open vSwitch reason list; not a real reason.',
    nextSteps: TABLE_MISMATCH,
  },
};

const QDISC_STATS = 'Check `tc -s qdisc show dev <dev>` for the qdisc and its counters.';

const qdisc: ReasonTable = {
  QDISC_DROP_UNSPEC: {
    category: 'other',
    summary: 'Unset qdisc drop reason (value 0); marks a bug, not a real reason.',
    nextSteps: `${QDISC_STATS} Report it if seen: a qdisc forgot to set its reason.`,
  },
  QDISC_DROP_GENERIC: {
    category: 'qdisc',
    summary: 'A qdisc dropped the packet with no more specific reason.',
    nextSteps: `${QDISC_STATS} Raise its limit or the device txqueuelen, or remove the congestion.`,
  },
  QDISC_DROP_OVERLIMIT: {
    category: 'qdisc',
    summary: "The qdisc's queue exceeded its configured limit (the queue is full).",
    nextSteps: `${QDISC_STATS} Raise its \`limit\` or reduce the offered load.`,
  },
  QDISC_DROP_CONGESTED: {
    category: 'qdisc',
    summary:
      'An active queue management algorithm (CoDel, PIE, RED…) dropped the packet to signal congestion.',
    nextSteps: `${QDISC_STATS} Expected under load; enable ECN (net.ipv4.tcp_ecn) so it marks instead of dropping, or add capacity.`,
  },
  QDISC_DROP_MAXFLOWS: {
    category: 'qdisc',
    summary: "The per-flow qdisc's flow table (e.g. SFQ) was full, leaving no slot for a new flow.",
    nextSteps: `${QDISC_STATS} Raise the number of flows/divisor, or find the source creating many flows.`,
  },
  QDISC_DROP_FLOOD_PROTECTION: {
    category: 'qdisc',
    summary: 'Flood protection (BLUE, as in CAKE) dropped a packet from an unresponsive flow.',
    nextSteps: `${QDISC_STATS} Find the flow ignoring congestion signals (often a UDP flood) and limit it at its source.`,
  },
  QDISC_DROP_BAND_LIMIT: {
    category: 'qdisc',
    summary: "The packet's priority band reached its packet limit (e.g. fq).",
    nextSteps: `${QDISC_STATS} Check the per-band limits.`,
  },
  QDISC_DROP_HORIZON_LIMIT: {
    category: 'qdisc',
    summary:
      "The packet's departure time is too far in the future, beyond the qdisc's horizon (e.g. fq).",
    nextSteps:
      'Check the fq `horizon`/`horizon_drop` settings and what sets transmit times (SO_TXTIME, EDT pacing in BPF).',
  },
  QDISC_DROP_FLOW_LIMIT: {
    category: 'qdisc',
    summary: 'One flow exceeded its per-flow packet/depth limit (fq, sfq).',
    nextSteps: `${QDISC_STATS} Raise the per-flow limit (fq \`flow_limit\`, sfq \`depth\`) or find the flow that floods.`,
  },
  QDISC_DROP_L4S_STEP_NON_ECN: {
    category: 'qdisc',
    summary:
      'DualPI2 dropped a packet that could not be ECN-marked because the L4S queue delay passed its step threshold.',
    nextSteps: `${QDISC_STATS} Check why non-ECN-capable traffic lands in the L4S queue, and the step threshold.`,
  },
  QDISC_DROP_MAX: {
    category: 'other',
    summary: 'Sentinel marking the end of the qdisc reason list; not a real reason.',
    nextSteps: TABLE_MISMATCH,
  },
};

/**
 * The catalogue, keyed as the kernel names things.
 *
 * Deeply frozen. Names are unique across core and all subsystems, so a bare name identifies its
 * subsystem; `describeReason` relies on that (the tests check it).
 */
export const reasonCatalog: ReasonCatalog = deepFreeze({
  core,
  subsystems: {
    MAC80211_UNUSABLE: mac80211Unusable,
    MAC80211_MONITOR: mac80211Monitor,
    OPENVSWITCH: openvswitch,
    QDISC: qdisc,
  },
});

/**
 * Every name in the catalogue, as `describeReason` resolves it.
 *
 * Core reasons come first as bare names in kernel order, then subsystem reasons as
 * `SUBSYSTEM:NAME` (e.g. `MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL`). A fresh array on each call.
 */
export function catalogueReasonNames(): string[] {
  const names = Object.keys(reasonCatalog.core);
  for (const [subsystem, table] of Object.entries(reasonCatalog.subsystems)) {
    for (const name of Object.keys(table)) names.push(`${subsystem}:${name}`);
  }
  return names;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
