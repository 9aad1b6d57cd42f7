import { describe, expect, it } from 'vitest';
import { launchCwd, parseLaunchArgs } from '../../../main/app/parseLaunchArgs';

describe('parseLaunchArgs', () => {
  it('takes the files after the app path when run as `electron . FILE`', () => {
    expect(
      parseLaunchArgs({
        argv: ['/usr/lib/electron/electron', '.', 'drops.txt', '/abs/other.txt.gz'],
        defaultApp: true,
        cwd: '/home/me/traces',
      }),
    ).toEqual(['/home/me/traces/drops.txt', '/abs/other.txt.gz']);
  });

  it('takes every argument after the executable when packaged', () => {
    expect(
      parseLaunchArgs({
        argv: ['/opt/Dropscope/dropscope', 'a.txt'],
        defaultApp: false,
        cwd: '/w',
      }),
    ).toEqual(['/w/a.txt']);
  });

  it("skips Electron's and Chromium's switches but keeps everything after --", () => {
    expect(
      parseLaunchArgs({
        argv: [
          'electron',
          '/repo',
          '--no-sandbox',
          '--inspect=9229',
          '-psn_0_123',
          'a.txt',
          '--',
          '-odd name.txt',
        ],
        defaultApp: true,
        cwd: '/w',
      }),
    ).toEqual(['/w/a.txt', '/w/-odd name.txt']);
  });

  it('drops duplicates and empty arguments', () => {
    expect(
      parseLaunchArgs({
        argv: ['electron', '.', 'a.txt', '', './a.txt'],
        defaultApp: true,
        cwd: '/w',
      }),
    ).toEqual(['/w/a.txt']);
  });

  it('returns no file for a bare launch', () => {
    expect(parseLaunchArgs({ argv: ['electron', '.'], defaultApp: true, cwd: '/w' })).toEqual([]);
  });
});

describe('launchCwd', () => {
  it("resolves against the user's folder under npm start", () => {
    expect(launchCwd({ npm_lifecycle_event: 'start', INIT_CWD: '/home/me' }, '/repo')).toBe(
      '/home/me',
    );
  });

  it('uses the process folder otherwise', () => {
    expect(launchCwd({ INIT_CWD: '/stale' }, '/here')).toBe('/here');
  });
});
