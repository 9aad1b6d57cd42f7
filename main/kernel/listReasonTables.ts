/**
 * Serves the generated tables as `ReasonTable` objects, built once on first use.
 *
 * Building fills one gap in the data: a stable or running kernel whose source lacked a
 * subsystem's reason header (`reasons: null`) takes that list from its release's mainline table
 * when the subsystem has the same id and name there (subsystem lists only grow by appending
 * within a release; `reasonsFrom` records the borrowing).
 */
import { invariant } from '../../shared/util';
import { REASON_TABLE_DATA } from './reasonTables.generated';
import type { ReasonSubsystem, ReasonTable, ReasonTableData } from './ReasonTable';
import { compareKernelVersions } from './parseKernelRelease';

let cache: readonly ReasonTable[] | null = null;

function versionOf(data: ReasonTableData): ReasonTable['version'] {
  const [major, minor, sublevel] = data.kernel.split('.').map(Number);
  invariant(
    major !== undefined &&
      minor !== undefined &&
      Number.isInteger(major) &&
      Number.isInteger(minor),
    `reason table kernel ${data.kernel} is not X.Y[.Z]`,
  );
  return { major, minor, sublevel: sublevel ?? 0 };
}

function build(): readonly ReasonTable[] {
  const mainline = new Map<string, ReasonTableData>();
  for (const data of REASON_TABLE_DATA)
    if (data.kind === 'mainline') mainline.set(data.kernel, data);
  const tables = REASON_TABLE_DATA.map((data): ReasonTable => {
    const version = versionOf(data);
    const release = mainline.get(`${version.major}.${version.minor}`);
    const subsystems = data.subsystems.map((subsystem): ReasonSubsystem => {
      if (subsystem.reasons !== null || !release || release === data) {
        return { ...subsystem, reasonsFrom: null };
      }
      const donor = release.subsystems.find(
        (candidate) => candidate.id === subsystem.id && candidate.name === subsystem.name,
      );
      if (!donor?.reasons) return { ...subsystem, reasonsFrom: null };
      return {
        ...subsystem,
        reasons: donor.reasons,
        sentinels: donor.sentinels,
        reasonsFrom: release.kernel,
      };
    });
    return Object.freeze({ ...data, version, subsystems });
  });
  return Object.freeze(tables.sort((a, b) => compareKernelVersions(a.version, b.version)));
}

/**
 * Every known reason table, oldest kernel first (a release X.Y before its X.Y.Z builds).
 *
 * Built on first call (about 30 small tables) and cached; the same frozen objects are returned
 * every time. No file is read: the data is compiled in.
 */
export function listReasonTables(): readonly ReasonTable[] {
  cache ??= build();
  return cache;
}

/**
 * The table whose `kernel` is exactly `kernel` (`6.12`, `6.18.44`), or null.
 *
 * O(number of tables).
 */
export function findReasonTable(kernel: string): ReasonTable | null {
  return listReasonTables().find((table) => table.kernel === kernel) ?? null;
}

/** The newest mainline table (the best guess when nothing is known about the kernel). */
export function newestMainlineTable(): ReasonTable {
  const mainline = listReasonTables().filter((table) => table.kind === 'mainline');
  const newest = mainline[mainline.length - 1];
  invariant(newest, 'no mainline reason table was generated');
  return newest;
}
