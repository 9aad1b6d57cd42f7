import { describe, expect, it } from 'vitest';
import { formatKernelVersion, parseKernelRelease } from '../../../main/kernel';

describe('parseKernelRelease', () => {
  it('reads X.Y.Z and ignores a local suffix', () => {
    const parsed = parseKernelRelease('6.18.44-fc-v595');
    expect(parsed?.version).toEqual({ major: 6, minor: 18, sublevel: 44 });
    expect(parsed?.scheme).toBe('plain');
  });

  it('leaves the sublevel unknown for a bare X.Y', () => {
    expect(parseKernelRelease('6.12')?.version).toEqual({ major: 6, minor: 12, sublevel: null });
  });

  it('treats the Debian ABI number as unknown sublevel, not as 0', () => {
    const parsed = parseKernelRelease('6.1.0-56-amd64');
    expect(parsed?.version).toEqual({ major: 6, minor: 1, sublevel: null });
    expect(parsed?.scheme).toBe('debian-abi');
    expect(parsed?.abi).toBe('6.1.0-56');
  });

  it("takes the real version from Debian's uname -v when it is given too", () => {
    const parsed = parseKernelRelease('6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2');
    expect(parsed?.version).toEqual({ major: 6, minor: 1, sublevel: 192 });
  });

  it('keeps the real sublevel of Debian 13 style releases', () => {
    expect(parseKernelRelease('6.12.43+deb13-amd64')?.version.sublevel).toBe(43);
  });

  it('recognises a RHEL-family release and drops its meaningless sublevel', () => {
    const parsed = parseKernelRelease('5.14.0-284.11.1.el9_2.x86_64');
    expect(parsed?.scheme).toBe('rhel');
    expect(parsed?.version).toEqual({ major: 5, minor: 14, sublevel: null });
  });

  it('returns null for text that is not a release', () => {
    expect(parseKernelRelease('linux')).toBeNull();
    expect(parseKernelRelease('')).toBeNull();
  });

  it('formats versions with and without sublevel', () => {
    expect(formatKernelVersion({ major: 6, minor: 12, sublevel: null })).toBe('6.12');
    expect(formatKernelVersion({ major: 6, minor: 12, sublevel: 95 })).toBe('6.12.95');
  });
});
