/**
 * Chooses the reason table for a kernel release, with the other tables that may apply and
 * warnings written for the user.
 *
 * Rules (see ../shared/kernel-reasons/README.md, "Decoding rules"):
 * - a table built from exactly that version (stable file, or the tree a mainline table was read
 *   from) is exact;
 * - X.Y.Z without an exact table: the closest table of the series at or below Z, plus the next
 *   one above as a candidate when it numbers reasons differently (6.12.y moved values);
 * - X.Y with no sublevel (`6.12`, Debian `6.1.0-56-amd64`, RHEL `…el9`): every table of the
 *   series is a candidate;
 * - a series without a table (6.15, 6.16, RHEL 5.14, newer than all): the nearest mainline
 *   release, with its other neighbour as a candidate.
 */
import { invariant } from '../../shared/util';
import type { ReasonTable } from './ReasonTable';
import { listReasonTables } from './listReasonTables';
import { formatKernelVersion, parseKernelRelease } from './parseKernelRelease';
import type { ParsedKernelRelease } from './parseKernelRelease';

/** The table chosen for a release. */
export interface ReasonTableMatch {
  /** The release as parsed. */
  readonly release: ParsedKernelRelease;
  /** The table to decode with. */
  readonly table: ReasonTable;
  /** Every table that may be the right one, `table` first; length 1 when there is no doubt. */
  readonly candidates: readonly ReasonTable[];
  /** True when `table` was built from exactly this kernel version. */
  readonly exact: boolean;
  /** One sentence on how `table` was chosen. */
  readonly detail: string;
  /** Things the user should know (distribution kernel, missing release, moving series). */
  readonly warnings: string[];
}

const BACKPORTS =
  'distribution backports may insert or renumber drop reasons, so names can be wrong; ' +
  'pass --kernel-format with the kernel’s events/skb/kfree_skb/format or /sys/kernel/btf/vmlinux';

function seriesOf(table: ReasonTable): string {
  return `${table.version.major}.${table.version.minor}`;
}

function kernels(tables: readonly ReasonTable[]): string {
  return tables.map((table) => table.kernel).join(', ');
}

function withinSeries(
  parsed: ParsedKernelRelease,
  series: readonly ReasonTable[],
): ReasonTableMatch {
  const { release, version, scheme } = parsed;
  const label = formatKernelVersion(version);
  const warnings: string[] = [];
  const distinct = new Set(series.map((table) => table.sha1)).size > 1;
  const mainline = series.find((table) => table.kind === 'mainline');
  const newest = series[series.length - 1];
  invariant(newest, 'withinSeries needs at least one table');
  if (version.sublevel !== null && scheme === 'plain') {
    const exact = series.find((table) => table.kernel === label || table.treeVersion === label);
    if (exact) {
      const detail = `table ${exact.kernel} was read from kernel ${exact.treeVersion}, the same version as ${release}`;
      return { release: parsed, table: exact, candidates: [exact], exact: true, detail, warnings };
    }
    const sublevel = version.sublevel;
    const below = series.filter((table) => table.version.sublevel <= sublevel).pop();
    const above = series.find((table) => table.version.sublevel > sublevel);
    const table = below ?? above ?? newest;
    const candidates = [table];
    if (above && above !== table && above.sha1 !== table.sha1) {
      candidates.push(above);
      warnings.push(
        `no reason table for ${label}: decoding with ${table.kernel}, the nearest below; ` +
          `${above.kernel} numbers reasons differently and the ${seriesOf(table)}.y release ` +
          'where that changed is not pinned',
      );
    } else if (!above && distinct) {
      warnings.push(
        `${seriesOf(table)}.y stable releases changed the reason numbering; ${label} is newer ` +
          `than the newest observed table, ${table.kernel}, which is used`,
      );
    }
    const detail = `no table for ${label}; ${table.kernel} is the nearest table of the series at or below it`;
    return { release: parsed, table, candidates, exact: false, detail, warnings };
  }
  let table = newest;
  let detail: string;
  if (scheme === 'debian-abi') {
    const abiMatch = series.find((candidate) => candidate.source.includes(`-${parsed.abi}-`));
    table = abiMatch ?? newest;
    warnings.push(
      `${release} is a Debian/Ubuntu release: ${parsed.abi ?? ''} is the package ABI, not the ` +
        `sublevel, so any ${seriesOf(newest)}.y may apply; Debian’s \`uname -v\` ` +
        'shows the real version (… Debian X.Y.Z-N …): pass it with --kernel',
    );
    detail = abiMatch
      ? `Debian ABI ${parsed.abi ?? ''} is the one of the package table ${abiMatch.kernel} was read from`
      : `the sublevel of ${release} is unknown; ${newest.kernel} is the newest table of the series`;
  } else if (scheme === 'rhel') {
    table = mainline ?? newest;
    warnings.push(`${release} is a RHEL-family kernel with no table of its own; ${BACKPORTS}`);
    detail = `RHEL-family kernel; ${table.kernel} is the mainline table of its base release`;
  } else {
    table = mainline ?? newest;
    detail = `release ${release} gives no sublevel; ${table.kernel} is the table of the release`;
  }
  if (distinct && scheme !== 'rhel') {
    warnings.push(
      `${release} does not tell which ${seriesOf(table)}.y it is and the series’ tables ` +
        `(${kernels(series)}) number reasons differently; decoding with ${table.kernel}`,
    );
  }
  const candidates = [table, ...series.filter((candidate) => candidate !== table)];
  return { release: parsed, table, candidates, exact: false, detail, warnings };
}

function nearestRelease(parsed: ParsedKernelRelease): ReasonTableMatch {
  const { release, version } = parsed;
  const series = `${version.major}.${version.minor}`;
  const ordinal = (major: number, minor: number): number => major * 100 + minor;
  const wanted = ordinal(version.major, version.minor);
  const mainline = listReasonTables().filter((table) => table.kind === 'mainline');
  const at = (table: ReasonTable): number => ordinal(table.version.major, table.version.minor);
  const lower = mainline.filter((table) => at(table) < wanted).pop();
  const upper = mainline.find((table) => at(table) > wanted);
  const warnings: string[] = [];
  let table: ReasonTable;
  let other: ReasonTable | undefined;
  if (lower && upper) {
    const lowerCloser = wanted - at(lower) <= at(upper) - wanted;
    table = lowerCloser ? lower : upper;
    other = lowerCloser ? upper : lower;
    warnings.push(
      `no reason table for ${series}: decoding with ${table.kernel}, the nearest release; ` +
        `${other.kernel} is the other neighbour and numbers reasons differently`,
    );
  } else if (upper) {
    table = upper;
    warnings.push(
      `${series} is older than every reason table: skb:kfree_skb has no reason before 5.17 ` +
        `unless it was backported; decoding with ${table.kernel}, the oldest table`,
    );
  } else if (lower) {
    table = lower;
    warnings.push(
      `${series} is newer than every reason table: decoding with ${table.kernel}, the newest; ` +
        'later releases may have renumbered reasons',
    );
  } else {
    throw new Error('no mainline reason table was generated');
  }
  if (parsed.scheme === 'rhel') {
    warnings.unshift(
      `${release} is a RHEL-family kernel with no table of its own; using the nearest ` +
        `mainline release ${table.kernel}; ${BACKPORTS}`,
    );
  }
  const candidates = other && other.sha1 !== table.sha1 ? [table, other] : [table];
  const detail = `no table for ${series}; ${table.kernel} is the nearest mainline release`;
  return { release: parsed, table, candidates, exact: false, detail, warnings };
}

/**
 * Chooses the table for `release` (`6.18.44-fc-v595`, `6.12`, `6.1.0-56-amd64`,
 * `5.14.0-284.11.1.el9_2.x86_64`, `6.15.3` …); null when the text is not a kernel release.
 *
 * The match is never silent about doubt: `exact` is false and `warnings` explain whenever the
 * table might not be the kernel's own, and `candidates` lists the tables to compare (for
 * ambiguity warnings). Pure; O(number of tables).
 */
export function reasonTableFor(release: string): ReasonTableMatch | null {
  const parsed = parseKernelRelease(release);
  if (!parsed) return null;
  const { major, minor } = parsed.version;
  const series = listReasonTables().filter(
    (table) => table.version.major === major && table.version.minor === minor,
  );
  return series.length > 0 ? withinSeries(parsed, series) : nearestRelease(parsed);
}
