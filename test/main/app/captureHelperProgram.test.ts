import { describe, expect, it } from 'vitest';
import { captureHelperProgram } from '../../../main/app/captureHelperProgram';

const base = {
  resourcesPath: '/opt/Dropscope/resources',
  execPath: '/opt/Dropscope/dropscope-app',
  mainDir: '/repo/out/main',
};

describe('captureHelperProgram', () => {
  it('runs the installed wrapper when packaged (the path the polkit action names)', () => {
    const result = captureHelperProgram({ ...base, isPackaged: true, exists: () => true });
    expect(result).toEqual({
      ok: true,
      program: { command: '/opt/Dropscope/resources/bin/dropscope', args: [] },
    });
  });

  it('says which file is missing from a broken installation', () => {
    const result = captureHelperProgram({ ...base, isPackaged: true, exists: () => false });
    expect(result).toEqual({
      ok: false,
      why: 'the capture helper /opt/Dropscope/resources/bin/dropscope is missing from this installation',
    });
  });

  it('runs Electron as Node on the built CLI from the repository, through env for pkexec', () => {
    const seen: string[] = [];
    const result = captureHelperProgram({
      ...base,
      isPackaged: false,
      exists: (path) => {
        seen.push(path);
        return true;
      },
    });
    expect(seen).toEqual(['/repo/out/cli/dropscope.js']);
    expect(result).toEqual({
      ok: true,
      program: {
        command: '/usr/bin/env',
        args: [
          'ELECTRON_RUN_AS_NODE=1',
          '/opt/Dropscope/dropscope-app',
          '/repo/out/cli/dropscope.js',
        ],
      },
    });
  });

  it('asks for the CLI build when it is missing', () => {
    const result = captureHelperProgram({ ...base, isPackaged: false, exists: () => false });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.why).toMatch(/npm run build:cli/);
  });
});
