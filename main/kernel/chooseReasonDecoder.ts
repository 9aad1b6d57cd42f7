/**
 * Picks how a trace's numeric reasons are decoded, most trustworthy source first:
 * the trace's own format (embedded), a user-supplied kernel file, `--kernel RELEASE`, the release
 * the trace header names, and finally a plainly labelled guess. Every doubt becomes a warning.
 */
import type { KernelInfo, KernelTableSource } from '../../shared/model';
import type { ReasonTable } from './ReasonTable';
import type { KernelFormatMapping, ReasonMapping } from './ReasonMapping';
import { decodeReason, isSubsystemValue, unknownReasonName } from './decodeReason';
import { findAmbiguousReasons } from './findAmbiguousReasons';
import { listReasonTables, newestMainlineTable } from './listReasonTables';
import { reasonTableFor } from './reasonTableFor';
import type { ReasonTableMatch } from './reasonTableFor';

/** The chosen decoder: which kernel table, a decode function, and what the user should know. */
export interface ReasonDecoderChoice {
  kernel: KernelInfo;
  /** Name for a numeric reason; `UNKNOWN(n)` when nothing explains it. Memoised; O(1). */
  decode(value: number): string;
  warnings: string[];
}

/** What the caller knows about the trace's kernel (see `chooseReasonDecoder`). */
export interface ReasonDecoderInput {
  /** Mapping carried by the trace itself → source `embedded-format`. */
  embedded?: ReasonMapping | null;
  /** User `--kernel-format` file → source `kernel-format-file` or `btf`. */
  kernelFormat?: KernelFormatMapping | null;
  /** `--kernel RELEASE` → source `cli-release` (wins over the header). */
  cliRelease?: string | null;
  /** Release the trace states (perf `--header` "os release") → source `trace-header`. */
  headerRelease?: string | null;
  /** Distinct numeric reason values that need decoding. */
  observedValues: readonly number[];
}

const NEVER_DROPS = new Set(['NOT_DROPPED_YET', 'CONSUMED']);

function isSentinelName(name: string): boolean {
  return name === 'MAX' || (name.includes(':') && name.endsWith('_MAX'));
}

/** Names for values a tracepoint's list omits by design (0, 1), inferred from its layout. */
function impliedByLayout(mapping: ReasonMapping, value: number): string | null {
  if (value === 0 && (mapping.names.get(1) ?? mapping.names.get(2)) === 'NOT_SPECIFIED') {
    return 'NOT_DROPPED_YET';
  }
  if (value === 1 && mapping.names.get(2) === 'NOT_SPECIFIED') return 'CONSUMED';
  return null;
}

function mappingDecoder(mapping: ReasonMapping, table: ReasonTable | null) {
  return (value: number): string => {
    const name = mapping.names.get(value);
    if (name !== undefined) return name;
    if (table && isSubsystemValue(table, value)) return decodeReason(table, value).name;
    return impliedByLayout(mapping, value) ?? unknownReasonName(value);
  };
}

function memoise(decode: (value: number) => string): (value: number) => string {
  const cache = new Map<number, string>();
  return (value) => {
    let name = cache.get(value);
    if (name === undefined) {
      name = decode(value);
      cache.set(value, name);
    }
    return name;
  };
}

/** Warnings about observed values that decode to UNKNOWN or to names that are never drops. */
function oddValueWarnings(values: readonly number[], decode: (v: number) => string, where: string) {
  const unknown: number[] = [];
  const neverDrops: string[] = [];
  for (const value of [...new Set(values)].sort((a, b) => a - b)) {
    const name = decode(value);
    if (name === unknownReasonName(value)) {
      unknown.push(value);
    } else if (NEVER_DROPS.has(name)) {
      neverDrops.push(`${value} (${name}, never passed to skb:kfree_skb)`);
    } else if (isSentinelName(name)) {
      neverDrops.push(`${value} (${name}, an end-of-list sentinel)`);
    }
  }
  const warnings: string[] = [];
  if (unknown.length > 0) {
    warnings.push(
      `${unknown.length === 1 ? 'reason' : 'reasons'} ${unknown.join(', ')} ` +
        `${unknown.length === 1 ? 'has' : 'have'} no name in ${where} (shown as UNKNOWN(n))`,
    );
  }
  if (neverDrops.length > 0) {
    warnings.push(`reasons that are not real drops were seen: ${neverDrops.join(', ')}`);
  }
  return warnings;
}

/** Warns when a mapping and the release's table disagree on the trace's own values. */
function disagreement(mapping: ReasonMapping, match: ReasonTableMatch, values: readonly number[]) {
  const differing: string[] = [];
  for (const value of [...new Set(values)].sort((a, b) => a - b)) {
    const fromMapping = mapping.names.get(value);
    const fromTable = decodeReason(match.table, value);
    if (fromMapping !== undefined && fromTable.known && fromMapping !== fromTable.name) {
      differing.push(`${value}: ${fromMapping} vs ${fromTable.name}`);
    }
  }
  if (differing.length === 0) return [];
  return [
    `${mapping.source} and table ${match.table.kernel} (release ${match.release.release}) ` +
      `disagree on ${differing.length} of the trace's reason values (${differing.slice(0, 3).join('; ')}` +
      `${differing.length > 3 ? '; …' : ''}); using ${mapping.source}`,
  ];
}

function sameSeries(a: ReasonTableMatch, b: ReasonTableMatch): boolean {
  return (
    a.release.version.major === b.release.version.major &&
    a.release.version.minor === b.release.version.minor
  );
}

/**
 * Chooses the reason decoder for one trace.
 *
 * Order: `embedded`, `kernelFormat`, `cliRelease`, `headerRelease`, best guess (the newest
 * mainline table, said plainly). A mapping lacking a value falls back to subsystem decoding with
 * the release's table when one is known, else `UNKNOWN(n)`. Ambiguity: for each observed value
 * on which the candidate tables (the release's candidates; all tables for a guess) disagree, one
 * warning grouping kernels by name. Pure; runs on the ingest thread; O(values × tables).
 */
export function chooseReasonDecoder(input: ReasonDecoderInput): ReasonDecoderChoice {
  const warnings: string[] = [];
  const values = input.observedValues;
  const cli = input.cliRelease?.trim() || null;
  const header = input.headerRelease?.trim() || null;
  const cliMatch = cli ? reasonTableFor(cli) : null;
  const headerMatch = header ? reasonTableFor(header) : null;
  if (cli && !cliMatch) {
    warnings.push(`--kernel ${cli} is not a kernel release (expected X.Y[.Z]…)`);
  }
  if (header && !headerMatch) {
    warnings.push(`the trace header's release "${header}" is not a kernel release`);
  }
  if (cliMatch && headerMatch && !sameSeries(cliMatch, headerMatch)) {
    warnings.push(
      `--kernel ${cli ?? ''} and the trace header's release ${header ?? ''} disagree; using --kernel`,
    );
  }
  const match = cliMatch ?? headerMatch;
  const release = match?.release.release ?? null;
  const mapping = input.embedded ?? input.kernelFormat ?? null;
  if (input.embedded && input.kernelFormat) {
    warnings.push(
      `--kernel-format ${input.kernelFormat.source} was not used: the trace carries its own ` +
        `reason names (${input.embedded.source})`,
    );
  }
  if (mapping) {
    const source: KernelTableSource = input.embedded
      ? 'embedded-format'
      : (input.kernelFormat?.kind ?? 'kernel-format-file');
    const decode = memoise(mappingDecoder(mapping, match?.table ?? null));
    if (match) warnings.push(...disagreement(mapping, match, values));
    warnings.push(...oddValueWarnings(values, decode, mapping.source));
    const what = input.embedded ? 'carried by the trace' : 'supplied with --kernel-format';
    const fallback = match ? `; subsystem values fall back to table ${match.table.kernel}` : '';
    const kernel: KernelInfo = {
      release,
      table: mapping.source,
      source,
      detail: `Reason names from ${mapping.source}, ${what} (${mapping.names.size} names)${fallback}.`,
    };
    return { kernel, decode, warnings };
  }
  if (match) {
    const table = match.table;
    const source: KernelTableSource = cliMatch ? 'cli-release' : 'trace-header';
    const from = cliMatch
      ? `--kernel ${match.release.release}`
      : `the trace header's release ${match.release.release}`;
    const decode = memoise((value) => decodeReason(table, value).name);
    warnings.push(...match.warnings);
    warnings.push(...findAmbiguousReasons(values, match.candidates, table));
    warnings.push(...oddValueWarnings(values, decode, `table ${table.kernel}`));
    const kernel: KernelInfo = {
      release,
      table: table.kernel,
      source,
      detail: `Table ${table.kernel} for ${from}: ${match.detail}${match.exact ? '' : ' (not exact)'}.`,
    };
    return { kernel, decode, warnings };
  }
  const table = newestMainlineTable();
  const decode = memoise((value) => decodeReason(table, value).name);
  warnings.push(
    `the trace does not say which kernel recorded it, so reason numbers were decoded with the ` +
      `newest known table (${table.kernel}) as a guess; numbers differ between kernels — pass ` +
      '--kernel RELEASE or --kernel-format FILE for reliable names',
  );
  warnings.push(...findAmbiguousReasons(values, listReasonTables(), table));
  warnings.push(...oddValueWarnings(values, decode, `table ${table.kernel}`));
  const kernel: KernelInfo = {
    release: null,
    table: table.kernel,
    source: 'best-guess',
    detail: `Kernel unknown: guessed the newest mainline table, ${table.kernel}; names may be wrong.`,
  };
  return { kernel, decode, warnings };
}
