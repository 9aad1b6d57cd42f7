/**
 * assets/packaging/bin/dropscope, the `dropscope` command of the deb and rpm, run in a fake
 * install folder whose "app binary" is a stub that prints what it was given.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig, repoRoot, wrapperResourcesFolder } from './builderConfig';

const WRAPPER = resolve(repoRoot, 'assets/packaging/bin/dropscope');

describe('the dropscope command-line wrapper', () => {
  let config: Configuration;
  let root: string;
  /** The fake install folder (with a space, as a product name may have one). */
  let app: string;
  /** A symlink to the wrapper elsewhere, as /usr/bin/dropscope is. */
  let onPath: string;

  beforeAll(async () => {
    config = await loadBuilderConfig();
    root = mkdtempSync(join(tmpdir(), 'dropscope-wrapper-'));
    app = join(root, 'opt', 'Drop Scope');
    const bin = join(app, 'resources', wrapperResourcesFolder(config) ?? 'missing');
    mkdirSync(bin, { recursive: true });
    copyFileSync(WRAPPER, join(bin, 'dropscope'));
    // The stub prints ELECTRON_RUN_AS_NODE and each argument on its own line, then exits with
    // the status given in STUB_STATUS.
    writeFileSync(
      join(app, config.executableName ?? 'missing'),
      '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=${ELECTRON_RUN_AS_NODE:-}"\nfor arg in "$@"; do echo "$arg"; done\nexit "${STUB_STATUS:-0}"\n',
      { mode: 0o755 },
    );
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    onPath = join(root, 'usr', 'bin', 'dropscope');
    symlinkSync(join(bin, 'dropscope'), onPath);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the unpacked command line with the app binary as Node, found through a symlink', () => {
    const run = spawnSync(onPath, ['summary', 'a trace.txt', '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'ELECTRON_RUN_AS_NODE=1',
      join(app, 'resources', 'app.asar.unpacked', 'out', 'cli', 'dropscope.js'),
      'summary',
      'a trace.txt',
      '--json',
      '',
    ]);
  });

  it("passes the command's exit status through", () => {
    const run = spawnSync(onPath, ['summary'], {
      encoding: 'utf8',
      env: { ...process.env, STUB_STATUS: '2' },
    });
    expect(run.status).toBe(2);
  });
});
