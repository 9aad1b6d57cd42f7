import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/samples';
import { runCliCapture } from '../../helpers/runCliCapture';

const hasElectronBinary = existsSync(join(repoRoot, 'node_modules', 'electron', 'path.txt'));

describe('dropscope open', () => {
  it('names a missing file and exits 1', async () => {
    const run = await runCliCapture(['open', join(repoRoot, 'no-such-trace.txt')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-such-trace\.txt: no such file/);
  });

  it('exits 2 for an option it does not take', async () => {
    expect((await runCliCapture(['open', '--bogus'])).code).toBe(2);
  });

  it.skipIf(hasElectronBinary)(
    'points at dropscope serve where no Electron binary is installed',
    async () => {
      const run = await runCliCapture(['open', join(repoRoot, 'README.md')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/desktop app is not built|use `dropscope serve FILE…`/);
    },
  );
});
