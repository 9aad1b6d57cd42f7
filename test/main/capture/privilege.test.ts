import { describe, expect, it } from 'vitest';
import { readPrivilege } from '../../../main/capture';

const status = (capEff: string): string =>
  `Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

describe('readPrivilege', () => {
  it('takes root as privileged whatever the capabilities', () => {
    expect(readPrivilege(0, status('0000000000000000'))).toMatchObject({
      privileged: true,
      description: 'root',
    });
  });

  it('accepts CAP_PERFMON (bit 38) or CAP_SYS_ADMIN (bit 21) for a non-root user', () => {
    expect(readPrivilege(1000, status('0000004000000000'))).toMatchObject({
      privileged: true,
      description: 'uid 1000 with CAP_PERFMON',
    });
    expect(readPrivilege(1000, status('0000000000200000'))).toMatchObject({
      privileged: true,
      description: 'uid 1000 with CAP_SYS_ADMIN',
    });
  });

  it('explains why a user without them is not privileged', () => {
    const privilege = readPrivilege(1000, status('0000000000000000'));
    expect(privilege.privileged).toBe(false);
    expect(privilege.description).toBe(
      'not root (uid 1000) and no CAP_PERFMON or CAP_SYS_ADMIN (CapEff 0000000000000000)',
    );
    expect(readPrivilege(1000, 'Name:\tnode\n').description).toMatch(
      /no CapEff in \/proc\/self\/status/,
    );
  });

  it('reads the full capability set of a root shell', () => {
    expect([...readPrivilege(0, status('000001ffffffffff')).capabilities].sort()).toEqual([
      'CAP_BPF',
      'CAP_DAC_OVERRIDE',
      'CAP_PERFMON',
      'CAP_SYS_ADMIN',
    ]);
  });
});
