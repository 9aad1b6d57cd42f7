/**
 * The built `dropscope` bin (npm run build:cli → out/cli/dropscope.js) runs under plain Node.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSamples, repoRoot, samplePath } from '../helpers/samples';

const bin = resolve(repoRoot, 'out', 'cli', 'dropscope.js');

describe.skipIf(!existsSync(bin) || !hasSamples)(
  'the built dropscope bin (needs npm run build:cli)',
  () => {
    it('prints a JSON summary of a sample', () => {
      const out = execFileSync(
        process.execPath,
        [bin, 'summary', samplePath('perf.script.txt'), '--json'],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(out)).toMatchObject({ format: 'perf-script', events: 382 });
    });

    it('ends quietly when its reader closes the pipe early (| head)', () => {
      const run = spawnSync(
        'sh',
        [
          '-c',
          `"${process.execPath}" "${bin}" events "${samplePath('perf.script.txt')}" | head -n 1`,
        ],
        { encoding: 'utf8' },
      );
      expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(run.stderr).not.toMatch(/EPIPE|Unhandled/);
    });

    it('exits 2 on bad usage', () => {
      const run = spawnSync(process.execPath, [bin, 'summary'], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/no trace file given/);
    });
  },
);
