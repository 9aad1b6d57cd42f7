/**
 * Says, for each observed reason value, when the tables that may apply disagree on its name.
 */
import type { ReasonTable } from './ReasonTable';
import { decodeReason } from './decodeReason';
import { compareKernelVersions } from './parseKernelRelease';

/** Lists kernels compactly: runs of three or more consecutive tables become `A–B`. */
function formatKernels(positions: readonly number[], ordered: readonly ReasonTable[]): string {
  const parts: string[] = [];
  let start = 0;
  while (start < positions.length) {
    let end = start;
    while (end + 1 < positions.length && positions[end + 1] === (positions[end] ?? 0) + 1) end++;
    const first = ordered[positions[start] ?? 0]?.kernel ?? '';
    const last = ordered[positions[end] ?? 0]?.kernel ?? '';
    if (end - start >= 2) parts.push(`${first}–${last}`);
    else for (let i = start; i <= end; i++) parts.push(ordered[positions[i] ?? 0]?.kernel ?? '');
    start = end + 1;
  }
  return parts.join(', ');
}

/**
 * One sentence when `tables` decode `value` to different names, else null.
 *
 * `reason 45 is TCP_RESET on 6.17–7.0; TCP_INVALID_SYN on 6.14; undefined on 5.17–6.1` — kernels
 * grouped by name, the name of `preferred` (the table in use) first, then the names of newer
 * kernels first. O(tables).
 */
export function describeReasonAmbiguity(
  value: number,
  tables: readonly ReasonTable[],
  preferred: ReasonTable | null = null,
): string | null {
  const ordered = [...new Set(tables)].sort((a, b) => compareKernelVersions(a.version, b.version));
  const groups = new Map<string, number[]>();
  ordered.forEach((table, index) => {
    const decoded = decodeReason(table, value);
    const key = decoded.known ? decoded.name : '';
    const positions = groups.get(key) ?? [];
    positions.push(index);
    groups.set(key, positions);
  });
  if (groups.size < 2) return null;
  const preferredName = preferred ? decodeReason(preferred, value) : null;
  const preferredKey = preferredName?.known ? preferredName.name : '';
  const entries = [...groups].sort(([nameA, a], [nameB, b]) => {
    if (preferred && nameA === preferredKey) return -1;
    if (preferred && nameB === preferredKey) return 1;
    return (b[b.length - 1] ?? 0) - (a[a.length - 1] ?? 0);
  });
  const text = entries
    .map(([name, positions]) => `${name || 'undefined'} on ${formatKernels(positions, ordered)}`)
    .join('; ');
  return `reason ${value} is ${text}`;
}

/**
 * One warning per observed value whose name differs between `tables`; none when they agree.
 *
 * Values are taken once each, in ascending order. O(values × tables).
 */
export function findAmbiguousReasons(
  values: readonly number[],
  tables: readonly ReasonTable[],
  preferred: ReasonTable | null = null,
): string[] {
  if (tables.length < 2) return [];
  const warnings: string[] = [];
  for (const value of [...new Set(values)].sort((a, b) => a - b)) {
    const warning = describeReasonAmbiguity(value, tables, preferred);
    if (warning) warnings.push(warning);
  }
  return warnings;
}
