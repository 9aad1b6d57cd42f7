/**
 * Whether real capture tests can run here, and if not, why: they need root, tracefs (mounted
 * here when it is not) with the skb:kfree_skb tracepoint and its reason field, and for some tests
 * a tool (perf, bpftrace) or `ip` and `nft` for a network namespace with a drop rule.
 *
 * Synchronous, so that `describe.skipIf(!pre.ok)` can use it at collection time; the reason goes
 * into the describe title.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A precondition: `ok`, and what is there or what is missing. */
export interface Precondition {
  ok: boolean;
  why: string;
}

/** The tracefs root the tests use. */
export const TRACEFS_ROOT = '/sys/kernel/tracing';

/** The absolute path of a command on PATH (or in sbin), or null. */
export function findCommand(name: string): string | null {
  const found = spawnSync('sh', ['-c', `PATH="$PATH:/usr/sbin:/sbin" command -v ${name}`], {
    encoding: 'utf8',
  });
  const path = found.stdout.trim();
  return found.status === 0 && path.startsWith('/') ? path : null;
}

let tracefsResult: Precondition | null = null;

/** Root, tracefs (mounted if needed), instances, and kfree_skb with a reason field. */
export function tracefsCapturePreconditions(): Precondition {
  if (tracefsResult) return tracefsResult;
  tracefsResult = checkTracefs();
  return tracefsResult;
}

function checkTracefs(): Precondition {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, why: 'skipped: not root (real capture needs root)' };
  }
  if (!existsSync(join(TRACEFS_ROOT, 'events'))) {
    spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS_ROOT]);
    if (!existsSync(join(TRACEFS_ROOT, 'events'))) {
      return { ok: false, why: `skipped: tracefs is not mounted at ${TRACEFS_ROOT} and cannot be` };
    }
  }
  if (!existsSync(join(TRACEFS_ROOT, 'instances'))) {
    return { ok: false, why: 'skipped: tracefs has no instances directory' };
  }
  const format = join(TRACEFS_ROOT, 'events', 'skb', 'kfree_skb', 'format');
  if (!existsSync(format)) return { ok: false, why: 'skipped: no skb:kfree_skb tracepoint' };
  if (!/\breason;/.test(readFileSync(format, 'utf8'))) {
    return { ok: false, why: 'skipped: kfree_skb has no reason field (kernel older than 5.17)' };
  }
  return { ok: true, why: `root, tracefs at ${TRACEFS_ROOT}` };
}

/** tracefs preconditions plus a tool (`perf`, `bpftrace`). */
export function toolCapturePreconditions(tool: string): Precondition {
  const base = tracefsCapturePreconditions();
  if (!base.ok) return base;
  const path = findCommand(tool);
  return path === null
    ? { ok: false, why: `skipped: ${tool} is not installed` }
    : { ok: true, why: `${base.why}, ${path}` };
}

/** What a network namespace with an nftables drop rule needs: `ip` and `nft` (root checked above). */
export function netnsPreconditions(): Precondition {
  const ip = findCommand('ip');
  if (ip === null) return { ok: false, why: 'skipped: ip (iproute2) is not installed' };
  const nft = findCommand('nft');
  if (nft === null)
    return { ok: false, why: 'skipped: nft is not installed (apt-get install nftables)' };
  return { ok: true, why: `${ip}, ${nft}` };
}
