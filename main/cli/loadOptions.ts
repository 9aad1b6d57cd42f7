/**
 * The options every reading command shares (`--format`, `--kernel`, `--kernel-format`,
 * `--kallsyms`, filters) and turning them into load options and a FilterSpec.
 */
import { readFile } from 'node:fs/promises';
import type { FilterExpr, FilterSpec } from '../../shared/model';
import { andAll, isTraceFormatName, protocolNumber, TRACE_FORMATS } from '../../shared/model';
import { formatFilter, parseFilter } from '../../shared/filter';
import {
  filterVocabulary,
  Kallsyms,
  loadKernelFormatFile,
  type LoadedTrace,
  type ReadTraceOptions,
} from '../engine';
import { UsageError } from './CliIo';

/** `parseArgs` option declarations shared by reading commands. */
export const READ_OPTIONS = {
  format: { type: 'string' },
  kernel: { type: 'string' },
  'kernel-format': { type: 'string' },
  kallsyms: { type: 'string' },
  filter: { type: 'string', short: 'Y' },
  reason: { type: 'string', multiple: true },
  'not-reason': { type: 'string', multiple: true },
  protocol: { type: 'string', multiple: true },
  location: { type: 'string' },
  comm: { type: 'string', multiple: true },
  cpu: { type: 'string', multiple: true },
  pid: { type: 'string', multiple: true },
  skbaddr: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;

/** Help text of the shared options. */
export const READ_OPTIONS_HELP = `  --format NAME          force a format (${TRACE_FORMATS.join(', ')})
  --kernel RELEASE       decode reason numbers with this kernel's table (e.g. 6.18, 6.12.95, 5.14.0-284.el9)
  --kernel-format FILE   a tracepoint format file (events/skb/kfree_skb/format) or a BTF file (/sys/kernel/btf/vmlinux)
  --kallsyms FILE        symbolize raw 0x… locations and callchain frames with this kallsyms
Filters (all must hold):
  -Y, --filter EXPR      display filter, e.g. 'reason == NO_SOCKET and protocol == IPv4'
  --reason A,B           keep these reasons      --not-reason A,B   drop these reasons
  --protocol P           IPv4, IPv6, ARP … or a number (0x0800)
  --location TEXT        location contains TEXT  --comm NAME   --cpu N   --pid N   --skbaddr ADDR
  --since SEC --until SEC  time window, in seconds from the first event`;

/** Parsed values of the shared options. */
export type ReadValues = Partial<
  Record<keyof typeof READ_OPTIONS, string | string[] | boolean | undefined>
>;
type Values = ReadValues;

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return items
    .flatMap((item: string) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function numbers(option: string, value: unknown): number[] {
  return list(value).map((item) => {
    const n = /^0x[0-9a-f]+$/i.test(item) ? Number.parseInt(item, 16) : Number(item);
    if (!Number.isInteger(n)) throw new UsageError(`--${option} takes a number, not "${item}"`);
    return n;
  });
}

function canonicalReason(name: string): string {
  return name.toUpperCase().replace(/^SKB_DROP_REASON_/, '');
}

/** Loads `--kernel-format` and `--kallsyms` and returns the load options. */
export async function readOptions(values: Values): Promise<ReadTraceOptions> {
  const options: ReadTraceOptions = {};
  if (typeof values.format === 'string') {
    if (!isTraceFormatName(values.format)) {
      throw new UsageError(`unknown --format ${values.format}; known: ${TRACE_FORMATS.join(', ')}`);
    }
    options.format = values.format;
  }
  if (typeof values.kernel === 'string') options.kernelRelease = values.kernel;
  if (typeof values['kernel-format'] === 'string') {
    const loaded = loadKernelFormatFile(values['kernel-format']);
    if (!loaded.ok) throw new UsageError(loaded.error);
    options.kernelFormat = loaded.value;
  }
  if (typeof values.kallsyms === 'string') {
    let text: string;
    try {
      text = await readFile(values.kallsyms, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--kallsyms ${values.kallsyms}: cannot read: ${(error as Error).message}`,
      );
    }
    const kallsyms = Kallsyms.parse(text);
    options.symbolize = (address) => kallsyms.symbolize(address);
  }
  return options;
}

/** The filter expression of the flags (without the time window). Throws UsageError for a bad one. */
export function filterExpression(values: Values): FilterExpr | null {
  const parts: (FilterExpr | null)[] = [];
  if (typeof values.filter === 'string') {
    const parsed = parseFilter(values.filter, filterVocabulary());
    if (!parsed.ok) throw new UsageError(`bad filter expression:\n${parsed.error.display}`);
    parts.push(parsed.expr);
  }
  const reasons = list(values.reason).map(canonicalReason);
  if (reasons.length) parts.push({ kind: 'in', field: 'reason', values: reasons });
  const notReasons = list(values['not-reason']).map(canonicalReason);
  if (notReasons.length)
    parts.push({ kind: 'not', item: { kind: 'in', field: 'reason', values: notReasons } });
  const protocols = list(values.protocol).map((p) => {
    const named = protocolNumber(p);
    if (named !== null) return named;
    const n = /^0x[0-9a-f]+$/i.test(p) ? Number.parseInt(p, 16) : Number(p);
    if (!Number.isInteger(n))
      throw new UsageError(
        `--protocol: unknown protocol "${p}" (use a name like IPv4 or a number like 0x0800)`,
      );
    return n;
  });
  if (protocols.length) parts.push({ kind: 'in', field: 'protocol', values: protocols });
  if (typeof values.location === 'string')
    parts.push({ kind: 'contains', field: 'location', text: values.location });
  const comms = list(values.comm);
  if (comms.length) parts.push({ kind: 'in', field: 'comm', values: comms });
  const cpus = numbers('cpu', values.cpu);
  if (cpus.length) parts.push({ kind: 'in', field: 'cpu', values: cpus });
  const pids = numbers('pid', values.pid);
  if (pids.length) parts.push({ kind: 'in', field: 'pid', values: pids });
  const skbaddrs = list(values.skbaddr);
  if (skbaddrs.length) parts.push({ kind: 'in', field: 'skbaddr', values: skbaddrs });
  return andAll(parts);
}

function seconds(option: string, value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${option} takes seconds, not "${value}"`);
  return n;
}

/** Validates the filter flags before any file is read (bad usage → exit 2 early). */
export function checkFilterFlags(values: Values): void {
  filterExpression(values);
  seconds('since', values.since);
  seconds('until', values.until);
}

/** The FilterSpec of the flags for one loaded trace (time window relative to its first event). */
export function filterSpecFor(values: Values, trace: LoadedTrace): FilterSpec {
  const expr = filterExpression(values);
  const from = seconds('since', values.since);
  const to = seconds('until', values.until);
  if (from === null && to === null) return { expr };
  const origin = trace.store.timeBounds?.firstNs ?? 0;
  return {
    expr,
    timeRange: {
      startNs: from === null ? Number.NEGATIVE_INFINITY : origin + from * 1e9,
      endNs: to === null ? Number.POSITIVE_INFINITY : origin + to * 1e9,
    },
  };
}

/** The filter as one display-filter expression, for export headers (null when no filter). */
export function filterText(values: Values): string | null {
  const parts: string[] = [];
  const expr = filterExpression(values);
  if (expr) parts.push(expr.kind === 'or' ? `(${formatFilter(expr)})` : formatFilter(expr));
  const from = seconds('since', values.since);
  const to = seconds('until', values.until);
  if (from !== null) parts.push(`time >= ${from}`);
  if (to !== null) parts.push(`time < ${to}`);
  return parts.length ? parts.join(' and ') : null;
}
