/**
 * Reads a kernel release string (`uname -r`, perf's "os release", a `--kernel` argument) into
 * numbers, recognising the distribution schemes whose third number is not the sublevel.
 */
import type { KernelVersion } from './ReasonTable';

/** Which distribution scheme the release follows, when it hides the real sublevel. */
export type ReleaseScheme =
  /** Plain `X.Y[.Z][-anything]`: the numbers are the kernel's own. */
  | 'plain'
  /** Debian/Ubuntu `X.Y.0-ABI-flavour`: ABI is a package ABI number, not the sublevel. */
  | 'debian-abi'
  /** RHEL/CentOS/Rocky/Alma `X.Y.0-N.el9…`: a distribution build with backports. */
  | 'rhel';

/** A parsed kernel release. */
export interface ParsedKernelRelease {
  /** The input, trimmed. */
  readonly release: string;
  /** The kernel version; `sublevel` is null when the release does not tell it. */
  readonly version: KernelVersion;
  readonly scheme: ReleaseScheme;
  /** Debian/Ubuntu ABI prefix (`6.1.0-56`) for `debian-abi` releases, else null. */
  readonly abi: string | null;
}

const LEADING = /^(?:linux[\s-]+)?v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/i;
// Debian's `uname -v` ends with the real package version: `… Debian 6.1.192-2 (2025-…)`.
const DEBIAN_UNAME_V = /\bDebian (\d+)\.(\d+)\.(\d+)\b/;
const RHEL = /\.el\d+/;
const ABI = /^-(\d+)(?:-|$)/;

/**
 * Parses a kernel release; returns null when it does not start with `X.Y`.
 *
 * `6.18.44-fc-v595` → 6.18.44; `6.12` → 6.12 with unknown sublevel; `6.1.0-56-amd64` → 6.1 with
 * unknown sublevel (Debian ABI 56); `5.14.0-284.11.1.el9_2.x86_64` → 5.14, scheme `rhel`,
 * unknown sublevel. When the text also holds Debian's `uname -v` (`… Debian 6.1.192-2 …`), that
 * version wins. Pure; O(length).
 */
export function parseKernelRelease(text: string): ParsedKernelRelease | null {
  const release = text.trim();
  const match = LEADING.exec(release);
  if (!match) return null;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const sublevel = match[3] === undefined ? null : Number(match[3]);
  const rest = match[4] ?? '';
  const debian = DEBIAN_UNAME_V.exec(rest);
  if (debian && Number(debian[1]) === major && Number(debian[2]) === minor) {
    const version = { major, minor, sublevel: Number(debian[3]) };
    return { release, version, scheme: 'plain', abi: null };
  }
  if (RHEL.test(rest)) {
    return { release, version: { major, minor, sublevel: null }, scheme: 'rhel', abi: null };
  }
  const abi = sublevel === 0 ? ABI.exec(rest) : null;
  if (abi) {
    const version = { major, minor, sublevel: null };
    return { release, version, scheme: 'debian-abi', abi: `${major}.${minor}.0-${abi[1]}` };
  }
  return { release, version: { major, minor, sublevel }, scheme: 'plain', abi: null };
}

/** Formats a version as `X.Y` or `X.Y.Z`. */
export function formatKernelVersion(version: KernelVersion): string {
  const series = `${version.major}.${version.minor}`;
  return version.sublevel === null ? series : `${series}.${version.sublevel}`;
}

/**
 * Orders two versions: negative when `a` is older.
 *
 * An unknown sublevel counts as 0 (the release itself).
 */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.sublevel ?? 0) - (b.sublevel ?? 0);
}
