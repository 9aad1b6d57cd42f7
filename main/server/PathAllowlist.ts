/**
 * The files browser mode may open: the ones given on the command line plus uploads. The API's
 * `canOpen` policy asks it; the upload route adds to it.
 */
import { resolve } from 'node:path';

/** A set of absolute file paths (resolved on the way in, so `a/../b` and `b` are the same). */
export class PathAllowlist {
  private readonly paths = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const path of initial) this.add(path);
  }

  /** Allows one path (resolved against the current directory). */
  add(path: string): void {
    this.paths.add(resolve(path));
  }

  /** Whether a path (resolved the same way) is allowed. */
  has(path: string): boolean {
    return this.paths.has(resolve(path));
  }

  /** The allowed paths, in insertion order. */
  list(): string[] {
    return [...this.paths];
  }
}
