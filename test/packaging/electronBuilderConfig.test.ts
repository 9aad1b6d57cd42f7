/**
 * electron-builder.yml and the files it names, checked without packing: the configuration passes
 * the schema check electron-builder runs first, every icon, resource, maintainer script and hook
 * it points at exists, and the deb/rpm maintainer scripts are valid sh that electron-builder can
 * fill in. Packing, and running the filled-in scripts, is linuxPackage.integration.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asFileSets,
  asList,
  buildResourcesDir,
  LINUX_ICON_SIZES,
  loadBuilderConfig,
  repoRoot,
} from './builderConfig';

/** Width and height from a PNG's IHDR chunk (bytes 16–23), or null when it is not a PNG. */
function pngSize(file: string): { width: number; height: number } | null {
  const bytes = readFileSync(file);
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature) return null;
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The macros (`${name}`) electron-builder replaces in a maintainer script (FpmTarget). */
function macrosOf(script: string): string[] {
  return [...script.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((match) => match[1]!);
}

describe('electron-builder.yml', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await loadBuilderConfig();
  });

  it('passes the schema check electron-builder runs before packing', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would fail that check with a misspelt option (the check is live)', async () => {
    const misspelt = { ...config, linux: { ...config.linux, categroy: 'Development' } };
    await expect(
      validateConfiguration(misspelt as Configuration, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.linux/);
  });

  it('names an icon set with every size the Linux targets install, each rendered at its size', () => {
    const iconDir = resolve(buildResourcesDir(config), config.linux?.icon ?? 'icons');
    for (const size of LINUX_ICON_SIZES) {
      const file = join(iconDir, `${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file), file).toEqual({ width: size, height: size });
    }
  });

  it('gives macOS and Windows a 1024 px icon to make their icns and ico from', () => {
    for (const icon of [config.mac?.icon, config.win?.icon]) {
      expect(icon).toBeTruthy();
      const file = resolve(buildResourcesDir(config), icon!);
      expect(pngSize(file), file).toEqual({ width: 1024, height: 1024 });
    }
  });

  it('declares the Linux, macOS and Windows targets', () => {
    const targets = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
    expect(targets(config.linux?.target)).toEqual(['AppImage', 'deb', 'rpm']);
    expect(targets(config.mac?.target)).toEqual(['dmg']);
    expect(targets(config.win?.target)).toEqual(['nsis']);
  });

  it('names extra resources that exist, down to each filtered file', () => {
    const sets = [
      ...asFileSets(config.extraResources),
      ...asFileSets(config.linux?.extraResources),
    ];
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) {
      const from = resolve(repoRoot, set.from ?? '.');
      expect(existsSync(from), from).toBe(true);
      for (const pattern of asList(set.filter).filter((name) => !/[*?{!]/.test(name))) {
        expect(existsSync(join(from, pattern)), join(from, pattern)).toBe(true);
      }
    }
  });

  it('names executable deb and rpm maintainer scripts and an afterPack hook that exist', () => {
    for (const options of [config.deb, config.rpm]) {
      for (const script of [options?.afterInstall, options?.afterRemove]) {
        expect(script).toBeTruthy();
        expect(isExecutable(resolve(repoRoot, script!)), script!).toBe(true);
      }
    }
    expect(typeof config.afterPack).toBe('string');
    expect(existsSync(resolve(repoRoot, config.afterPack as string))).toBe(true);
  });

  it('ships the command-line wrapper as an executable file', () => {
    expect(isExecutable(resolve(repoRoot, 'assets/packaging/bin/dropscope'))).toBe(true);
    expect(isExecutable(resolve(repoRoot, 'assets/packaging/render-icons.sh'))).toBe(true);
  });

  describe('deb/rpm maintainer scripts', () => {
    const script = (name: string): string =>
      readFileSync(resolve(repoRoot, 'assets/packaging/linux', name), 'utf8');

    it('use only the macros electron-builder fills in (it fails on any other)', () => {
      // FpmTarget's bash template options: these two, productFilename and the linux options.
      const known = new Set([
        'executable',
        'sanitizedProductName',
        'productFilename',
        ...Object.keys(config.linux ?? {}),
      ]);
      for (const name of ['after-install.sh', 'after-remove.sh']) {
        const unknown = macrosOf(script(name)).filter((macro) => !known.has(macro));
        expect(unknown, name).toEqual([]);
      }
    });

    it('are POSIX sh, as rpm runs them', () => {
      for (const name of ['after-install.sh', 'after-remove.sh']) {
        expect(() =>
          execFileSync('sh', ['-n', resolve(repoRoot, 'assets/packaging/linux', name)]),
        ).not.toThrow();
      }
    });
  });
});
