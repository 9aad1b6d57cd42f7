import { describe, expect, it } from 'vitest';
import { reasonTableFor } from '../../../main/kernel';

const kernels = (release: string) => reasonTableFor(release)?.candidates.map((t) => t.kernel);

describe('reasonTableFor', () => {
  it('picks the exact 6.18.44 table for 6.18.44-fc-v595 without warnings', () => {
    const match = reasonTableFor('6.18.44-fc-v595');
    expect(match?.table.kernel).toBe('6.18.44');
    expect(match?.exact).toBe(true);
    expect(match?.candidates).toHaveLength(1);
    expect(match?.warnings).toEqual([]);
  });

  it.each(['6.1.192', '6.12.95', '6.12.107', '6.12.118', '6.18.44'])(
    'picks the stable file for exactly %s',
    (release) => {
      const match = reasonTableFor(release);
      expect(match?.table.kernel).toBe(release);
      expect(match?.exact).toBe(true);
    },
  );

  it('counts the tree a mainline table was read from as exact (6.1.10 → 6.1)', () => {
    const match = reasonTableFor('6.1.10');
    expect(match?.table.kernel).toBe('6.1');
    expect(match?.exact).toBe(true);
  });

  it('offers every 6.12.y table when only 6.12 is known', () => {
    const match = reasonTableFor('6.12');
    expect(match?.table.kernel).toBe('6.12');
    expect(match?.exact).toBe(false);
    expect(kernels('6.12')).toEqual(['6.12', '6.12.95', '6.12.107', '6.12.118']);
    expect(match?.warnings.join(' ')).toMatch(/number reasons differently/);
  });

  it('takes the closest 6.12 table below and the next one above for 6.12.100', () => {
    const match = reasonTableFor('6.12.100');
    expect(match?.table.kernel).toBe('6.12.95');
    expect(kernels('6.12.100')).toEqual(['6.12.95', '6.12.107']);
    expect(match?.warnings).toHaveLength(1);
  });

  it('uses the newest observed 6.12.y table beyond it, with a warning', () => {
    const match = reasonTableFor('6.12.130');
    expect(match?.table.kernel).toBe('6.12.118');
    expect(match?.warnings.join(' ')).toMatch(/newer than the newest observed/);
  });

  it('uses the release table quietly inside a series that never moved (6.6.30)', () => {
    const match = reasonTableFor('6.6.30');
    expect(match?.table.kernel).toBe('6.6');
    expect(match?.candidates).toHaveLength(1);
    expect(match?.warnings).toEqual([]);
  });

  it('adds the next table above for 6.18.10 because 6.18.44 appended a reason', () => {
    expect(kernels('6.18.10')).toEqual(['6.18', '6.18.44']);
  });

  it('treats a Debian 6.1.0-56-amd64 release as the 6.1 series with a warning', () => {
    const match = reasonTableFor('6.1.0-56-amd64');
    expect(match?.exact).toBe(false);
    expect(new Set(kernels('6.1.0-56-amd64'))).toEqual(new Set(['6.1', '6.1.192']));
    expect(match?.warnings.join(' ')).toMatch(/package ABI, not the sublevel/);
  });

  it('maps a RHEL release to the nearest mainline with a warning', () => {
    const match = reasonTableFor('5.14.0-284.11.1.el9_2.x86_64');
    expect(match?.table.kernel).toBe('5.17');
    expect(match?.table.kind).toBe('mainline');
    expect(match?.exact).toBe(false);
    expect(match?.warnings.join(' ')).toMatch(/RHEL-family.*backports may insert or renumber/);
  });

  it('offers 6.14 and 6.17 for the missing 6.15 release, with a warning', () => {
    const match = reasonTableFor('6.15.3');
    expect(match?.table.kernel).toBe('6.14');
    expect(kernels('6.15.3')).toEqual(['6.14', '6.17']);
    expect(match?.warnings.join(' ')).toMatch(/no reason table for 6\.15/);
  });

  it('prefers 6.17 for the missing 6.16 release, the closer neighbour', () => {
    expect(kernels('6.16.2')).toEqual(['6.17', '6.14']);
  });

  it('falls back to the newest table for a release newer than all, with a warning', () => {
    const match = reasonTableFor('7.9.1');
    expect(match?.table.kernel).toBe('7.3');
    expect(match?.warnings.join(' ')).toMatch(/newer than every reason table/);
  });

  it('returns null for text that is not a kernel release', () => {
    expect(reasonTableFor('not-a-kernel')).toBeNull();
  });
});
