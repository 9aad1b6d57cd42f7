/**
 * The tracefs file layout capture relies on: finding (and mounting) tracefs, the kfree_skb
 * format, Dropscope's instance names, removing the instances of crashed runs, and the per-CPU
 * ring-buffer counters.
 *
 * Instances are named `dropscope-<pid>-<8 hex>`: the pid tells a later run whether the owner is
 * still alive. `rmdir` on an instance removes it with all its files (tracefs semantics); it fails
 * with EBUSY while a file of it is open.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { CaptureHost } from './CaptureHost';

/** Where the kfree_skb event lives under a tracefs root (or an instance). */
export const KFREE_SKB_EVENT_DIR = join('events', 'skb', 'kfree_skb');

/** An instance name Dropscope made: `dropscope-<pid>-<hex>`. */
export const INSTANCE_NAME = /^dropscope-(\d{1,10})-([0-9a-f]{4,32})$/;

/** Whether tracefs is mounted at `root` (its `events` or `trace` file is there). */
export function isTracefsAt(root: string): boolean {
  return existsSync(join(root, 'events')) || existsSync(join(root, 'trace'));
}

/**
 * The mounted tracefs root: the first of `host.tracefsRoots` that holds tracefs; when none does
 * and `mount` is true, mounts it on the first root and says so in `note`.
 */
export async function locateTracefs(
  host: CaptureHost,
  mount: boolean,
): Promise<Result<{ root: string; note: string | null }>> {
  for (const root of host.tracefsRoots) if (isTracefsAt(root)) return ok({ root, note: null });
  const target = host.tracefsRoots[0];
  if (target === undefined) return err('no tracefs location to look at');
  if (!mount) return err(`tracefs is not mounted (looked at ${host.tracefsRoots.join(', ')})`);
  if (!existsSync(target)) {
    return err(`tracefs is not mounted and ${target} does not exist (kernel without tracefs?)`);
  }
  const mounted = await host.mountTracefs(target);
  if (!mounted.ok) return err(`tracefs is not mounted and mounting it failed: ${mounted.error}`);
  if (!isTracefsAt(target)) return err(`mounted tracefs on ${target}, but it has no events`);
  return ok({ root: target, note: `tracefs was not mounted: mounted it on ${target}` });
}

/** What the kfree_skb format file says about the fields capture uses. */
export interface KfreeSkbFormatFacts {
  path: string;
  text: string;
  /** A `reason` field: Linux 5.17 and later. */
  hasReason: boolean;
  /** An `rx_sk` field: Linux 6.11 and later. */
  hasRxSk: boolean;
}

/** Reads `events/skb/kfree_skb/format` under `root`; an error saying what is missing. */
export function readKfreeSkbFormat(root: string): Result<KfreeSkbFormatFacts> {
  const path = join(root, KFREE_SKB_EVENT_DIR, 'format');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return err(
      code === 'ENOENT'
        ? `the kernel has no skb:kfree_skb tracepoint (${path} is missing)`
        : `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  return ok({
    path,
    text,
    hasReason: /^\s*field:[^;]*\breason;/m.test(text),
    hasRxSk: /^\s*field:[^;]*\brx_sk;/m.test(text),
  });
}

/** What `removeStaleInstances` did. */
export interface StaleInstanceCleanup {
  /** Instance names removed (their owner was gone). */
  removed: string[];
  /** Instances of live processes, left alone. */
  kept: string[];
  /** Instances that could not be removed, with why. */
  failed: { name: string; why: string }[];
}

/**
 * Removes the `dropscope-<pid>-*` instances under `instancesDir` whose pid is not alive (a run
 * that crashed or was killed with SIGKILL). Instances of live processes and of this process are
 * kept; other names are never touched.
 */
export function removeStaleInstances(
  instancesDir: string,
  isPidAlive: (pid: number) => boolean,
  ownPid: number,
  removeDir: (path: string) => void = rmdirSync,
): StaleInstanceCleanup {
  const result: StaleInstanceCleanup = { removed: [], kept: [], failed: [] };
  let names: string[];
  try {
    names = readdirSync(instancesDir);
  } catch {
    return result;
  }
  for (const name of names.sort()) {
    const match = INSTANCE_NAME.exec(name);
    if (match?.[1] === undefined) continue;
    const pid = Number(match[1]);
    if (pid === ownPid || isPidAlive(pid)) {
      result.kept.push(name);
      continue;
    }
    try {
      removeDir(join(instancesDir, name));
      result.removed.push(name);
    } catch (error) {
      result.failed.push({ name, why: (error as Error).message });
    }
  }
  return result;
}

/** The loss counters of one CPU's ring buffer (`per_cpu/cpuN/stats`). */
export interface RingBufferStats {
  overrun: number;
  commitOverrun: number;
  droppedEvents: number;
}

/** Reads `overrun`, `commit overrun` and `dropped events` from a `stats` file's text. Pure. */
export function parseRingBufferStats(text: string): RingBufferStats {
  const read = (key: string): number => {
    const match = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(text);
    return match?.[1] === undefined ? 0 : Number(match[1]);
  };
  return {
    overrun: read('overrun'),
    commitOverrun: read('commit overrun'),
    droppedEvents: read('dropped events'),
  };
}

/** Sums the loss counters over every `per_cpu/cpuN/stats` of a tracefs instance. */
export function readInstanceLoss(instanceDir: string): RingBufferStats {
  const total: RingBufferStats = { overrun: 0, commitOverrun: 0, droppedEvents: 0 };
  let cpus: string[];
  try {
    cpus = readdirSync(join(instanceDir, 'per_cpu')).filter((name) => /^cpu\d+$/.test(name));
  } catch {
    return total;
  }
  for (const cpu of cpus) {
    let text: string;
    try {
      text = readFileSync(join(instanceDir, 'per_cpu', cpu, 'stats'), 'utf8');
    } catch {
      continue;
    }
    const stats = parseRingBufferStats(text);
    total.overrun += stats.overrun;
    total.commitOverrun += stats.commitOverrun;
    total.droppedEvents += stats.droppedEvents;
  }
  return total;
}
