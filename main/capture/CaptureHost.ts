/**
 * What capture needs from the machine (uid, capabilities, tools on PATH, tracefs, process
 * liveness), behind one interface so that availability and cleanup logic run in tests against a
 * fake tracefs tree in a temporary directory.
 *
 * `CaptureContext` adds what the composition root supplies from other rooms: the running
 * kernel's reason numbering (main/kernel reads the tracepoint format) and a symbolizer for raw
 * addresses (kallsyms). Capture imports only `main/ingest` and `shared`.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { Symbolizer } from '../ingest';

/** The machine as capture sees it. */
export interface CaptureHost {
  /** Where tracefs is (or should be) mounted, preferred first. */
  readonly tracefsRoots: readonly string[];
  uid(): number;
  /** The text of /proc/self/status. */
  procStatus(): Promise<string>;
  /** The absolute path of an executable, or null when it is not installed. */
  which(name: string): Promise<string | null>;
  /** `mount -t tracefs nodev TARGET`; an error message when it failed. */
  mountTracefs(target: string): Promise<Result<void>>;
  /** Whether a process with this pid exists (in this pid namespace). */
  isPidAlive(pid: number): boolean;
  /** `uname -r`. */
  kernelRelease(): string;
  /** This process's pid (names the tracefs instance). */
  readonly pid: number;
}

/** The running kernel's reason numbering: number ⇄ name (names without `SKB_DROP_REASON_`). */
export interface KernelReasonNames {
  readonly names: ReadonlyMap<number, string>;
  /** Where it was read (`format file /sys/kernel/tracing/events/skb/kfree_skb/format`). */
  readonly source: string;
}

/** The host plus what other rooms supply, given by the composition root (CLI, engine). */
export interface CaptureContext {
  host: CaptureHost;
  /**
   * Reads the reason numbering from a tracepoint format file (main/kernel's
   * `loadKernelFormatFile`). Without it, reason predicates stay in user space and bpftrace
   * reasons stay numbers.
   */
  loadReasonNames?: (formatPath: string) => Result<KernelReasonNames>;
  /** Builds a symbolizer for raw `0xffff…` locations (perf prints them); null when it cannot. */
  loadSymbolizer?: () => Promise<Symbolizer | null>;
}

/** Directories searched after PATH: tools often live in sbin, which a user's PATH may lack. */
const EXTRA_BIN_DIRS = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

/** Runs a command to completion; resolves with its exit code and stderr. */
function runQuiet(
  command: string,
  args: readonly string[],
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < 4096) stderr += text;
    });
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** The real machine. */
export function systemCaptureHost(env: NodeJS.ProcessEnv = process.env): CaptureHost {
  return {
    tracefsRoots: ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'],
    pid: process.pid,
    uid: () => (typeof process.getuid === 'function' ? process.getuid() : -1),
    procStatus: () => readFile('/proc/self/status', 'utf8').catch(() => ''),
    async which(name) {
      const dirs = [
        ...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''),
        ...EXTRA_BIN_DIRS,
      ];
      for (const dir of new Set(dirs)) {
        const path = join(dir, name);
        try {
          await access(path, constants.X_OK);
          return path;
        } catch {
          // not here
        }
      }
      return null;
    },
    async mountTracefs(target) {
      const run = await runQuiet('mount', ['-t', 'tracefs', 'nodev', target]);
      return run.code === 0
        ? ok(undefined)
        : err(
            `mount -t tracefs nodev ${target} failed: ${run.stderr.trim() || `exit ${run.code}`}`,
          );
    },
    isPidAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        // EPERM: it exists but belongs to someone else.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    kernelRelease: () => release(),
  };
}
