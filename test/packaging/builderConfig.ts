/**
 * Reads electron-builder.yml the way electron-builder does (its own loader, so `extends`, package
 * metadata and defaults are applied as at packing time) and names the paths the packaging tests
 * check. electron-builder's loader and validator live in app-builder-lib, which electron-builder
 * (a devDependency) depends on.
 */
import { resolve } from 'node:path';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration, FileSet } from 'electron-builder';
import { repoRoot } from '../helpers/samples';

export { repoRoot };

/** The configuration electron-builder packs with (electron-builder.yml plus package.json). */
export function loadBuilderConfig(): Promise<Configuration> {
  return getConfig(repoRoot, null, null);
}

/** A `files`/`extraResources` entry as a file set (a bare string is a `from` with no `to`). */
export function asFileSets(entries: Configuration['extraResources']): FileSet[] {
  if (entries == null) return [];
  const list = Array.isArray(entries) ? entries : [entries];
  return list.map((entry) => (typeof entry === 'string' ? { from: entry } : entry));
}

/** A string-or-array option as an array. */
export function asList(value: string | readonly string[] | null | undefined): string[] {
  if (value == null) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The build resources folder (icons, maintainer scripts), absolute. */
export function buildResourcesDir(config: Configuration): string {
  return resolve(repoRoot, config.directories?.buildResources ?? 'build');
}

/** Where a deb/rpm installs the app: `/opt/<productName>`, as electron-builder's FpmTarget does. */
export function linuxInstallDir(config: Configuration): string {
  return `/opt/${config.productName ?? ''}`;
}

/**
 * The folder under resources/ where linux.extraResources puts the command-line wrapper
 * (assets/packaging/bin), or null when it is not shipped.
 */
export function wrapperResourcesFolder(config: Configuration): string | null {
  const set = asFileSets(config.linux?.extraResources).find(
    (entry) => entry.from === 'assets/packaging/bin',
  );
  return set ? (set.to ?? 'bin') : null;
}

/** Sizes of the Linux icon set (hicolor), in pixels. */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
