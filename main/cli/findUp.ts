/**
 * Finds files of the repository (or installed app) from wherever the built CLI runs: the
 * module's own folder and its ancestors (out/cli, out, the repository, …).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This module's folder and its ancestors (out/cli, out, the repository, …). */
function ancestors(): string[] {
  const folders: string[] = [];
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    folders.push(folder);
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return folders;
}

/** The first of `relative` (joined to each ancestor, nearest first) that exists, or null. */
export function findUp(relative: string): string | null {
  for (const folder of ancestors()) {
    const candidate = join(folder, relative);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
