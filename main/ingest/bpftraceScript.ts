/**
 * Dropscope's recommended bpftrace programs for skb:kfree_skb, published verbatim in the README
 * and used by live capture.
 *
 * Every program prints one header line (`dropscope-bpftrace v1` followed by the column names,
 * tab-separated) from `BEGIN`, then one tab-separated line per drop. Tabs make `comm` unambiguous
 * even when it contains spaces, and the header lets the parser (`bpftraceFormat`) map columns by
 * name, so a later variant may add columns without breaking older files.
 *
 * Checked with bpftrace 0.17.0 on Linux 6.18: the portable program and the rx_sk + kstack program
 * were run while sending UDP datagrams to a closed loopback port; their output is kept as
 * test/fixtures/bpftrace/recommended.txt and recommended-rx_sk-kstack.txt. Pointers are cast to
 * `uint64` so that `0x%llx` type-checks on bpftrace versions with stricter printf checks;
 * `args->reason` is left uncast so that bpftrace versions that print enum names print the name
 * (the parser accepts the number or the name).
 */

/** First word of the header line the recommended programs print; the parser keys on it. */
export const BPFTRACE_HEADER_MAGIC = 'dropscope-bpftrace v1';

/**
 * The recommended program for kernels 5.17 and later (the first with `args->reason`).
 *
 * Columns: nsecs (monotonic ns), cpu, tid (thread id, like perf and ftrace), comm, skbaddr,
 * protocol (ethertype, host order), reason (a number on bpftrace 0.17; the enum name on versions
 * that print enums by name), location_addr (the raw address) and location (`ksym()` of it,
 * without offset).
 * Run as root: `bpftrace dropscope.bt > drops.txt`, stop with Ctrl-C.
 */
export const BPFTRACE_RECOMMENDED_SCRIPT = `BEGIN
{
  printf("dropscope-bpftrace v1\\tnsecs\\tcpu\\ttid\\tcomm\\tskbaddr\\tprotocol\\treason\\tlocation_addr\\tlocation\\n");
}

tracepoint:skb:kfree_skb
{
  printf("%llu\\t%u\\t%d\\t%s\\t0x%llx\\t%u\\t%d\\t0x%llx\\t%s\\n",
    nsecs, cpu, tid, comm, (uint64)args->skbaddr, args->protocol, args->reason,
    (uint64)args->location, ksym(args->location));
}
`;

/**
 * The recommended program for kernels 6.11 and later, which add `args->rx_sk` (the receiving
 * socket, 0x0 when none). bpftrace refuses to load it on older kernels (no such field), so use
 * `BPFTRACE_RECOMMENDED_SCRIPT` there.
 */
export const BPFTRACE_RX_SK_SCRIPT = `BEGIN
{
  printf("dropscope-bpftrace v1\\tnsecs\\tcpu\\ttid\\tcomm\\tskbaddr\\trx_sk\\tprotocol\\treason\\tlocation_addr\\tlocation\\n");
}

tracepoint:skb:kfree_skb
{
  printf("%llu\\t%u\\t%d\\t%s\\t0x%llx\\t0x%llx\\t%u\\t%d\\t0x%llx\\t%s\\n",
    nsecs, cpu, tid, comm, (uint64)args->skbaddr, (uint64)args->rx_sk, args->protocol,
    args->reason, (uint64)args->location, ksym(args->location));
}
`;

/**
 * The one statement to append inside the `tracepoint:skb:kfree_skb` block of either program to
 * record the kernel stack of every drop. bpftrace prints a blank line, then one indented
 * `symbol+offset` line per frame (innermost first); the parser attaches them as the callchain.
 * It roughly triples the output size.
 */
export const BPFTRACE_KSTACK_STATEMENT = '  printf("%s", kstack);';
