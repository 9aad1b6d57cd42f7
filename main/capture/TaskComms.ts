/**
 * Task names for the pids of raw ring-buffer records: a record carries `common_pid`, not the
 * comm, which the text `trace_pipe` prints from the kernel's saved cmdlines at read time (and
 * `<...>` when the pid is not there).
 *
 * Looked up the same way, then better: pid 0 is `<idle>` (as ftrace prints it); otherwise the
 * tracefs root's `saved_cmdlines` (what the text path uses: the kernel fills it for the tasks
 * that recorded events, `options/record-cmd`, on by default and inherited by instances), then
 * `/proc/<pid>/comm` (a task that is still alive but already pushed out of the kernel's 128
 * saved entries). A name is kept for `NAME_TTL_MS`, then looked up again (a pid may exec or be
 * reused); a pid found nowhere stays unknown (null, the text path's `<...>`) and is retried after
 * `MISS_RETRY_MS`. `saved_cmdlines` is re-read for a pid missing from the last copy (at most once
 * per `nowMs` value: the reader passes one per turn) or when the copy is older than `NAME_TTL_MS`.
 * The kernel saves a task's name at its next context switch after the event, so a short-lived
 * task (an `ip` command) is either still running (/proc has it) or already saved.
 *
 * Cost: one Map lookup per event; file reads happen per new pid (drops come from few tasks:
 * the senders, ksoftirqd, kworkers, idle), not per event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How long a found name is trusted before it is looked up again. */
export const NAME_TTL_MS = 2000;
/** How long an unknown pid stays unknown before it is looked up again (about a poll period). */
export const MISS_RETRY_MS = 20;

interface CommEntry {
  comm: string | null;
  expiresMs: number;
}

/** Where the names come from (tests point these at a temporary tree). */
export interface TaskCommFiles {
  /** The tracefs root's `saved_cmdlines` (instances have none of their own); null: none. */
  savedCmdlines: string | null;
  /** `/proc`. */
  procRoot: string;
}

/** Parses `saved_cmdlines` (`<pid> <comm>` lines; a comm may hold spaces). Pure. */
export function parseSavedCmdlines(text: string): Map<number, string> {
  const comms = new Map<number, string>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const pid = Number(line.slice(0, space));
    const comm = line.slice(space + 1);
    if (Number.isInteger(pid) && comm !== '') comms.set(pid, comm);
  }
  return comms;
}

/** pid → comm for one capture session; see the file overview. Not thread-safe. */
export class TaskComms {
  private readonly entries = new Map<number, CommEntry>();
  private saved = new Map<number, string>();
  private savedReadMs = Number.NEGATIVE_INFINITY;
  /** Lookups that went to the files (for tests and figures). */
  lookups = 0;

  constructor(private readonly files: TaskCommFiles) {}

  /** The name of `pid` at `nowMs` (a clock in ms, read once per batch by the caller). */
  get(pid: number, nowMs: number): string | null {
    if (pid === 0) return '<idle>';
    if (pid < 0) return null;
    const entry = this.entries.get(pid);
    if (entry !== undefined && entry.expiresMs > nowMs) return entry.comm;
    const comm = this.lookup(pid, nowMs);
    this.entries.set(pid, {
      comm,
      expiresMs: nowMs + (comm === null ? MISS_RETRY_MS : NAME_TTL_MS),
    });
    return comm;
  }

  private lookup(pid: number, nowMs: number): string | null {
    this.lookups++;
    const path = this.files.savedCmdlines;
    if (path !== null) {
      let comm = this.saved.get(pid);
      const age = nowMs - this.savedReadMs;
      if ((comm === undefined && age > 0) || age >= NAME_TTL_MS) {
        this.savedReadMs = nowMs;
        this.saved = readSavedCmdlines(path);
        comm = this.saved.get(pid);
      }
      if (comm !== undefined) return comm;
    }
    try {
      const comm = readFileSync(join(this.files.procRoot, String(pid), 'comm'), 'utf8');
      return comm.endsWith('\n') ? comm.slice(0, -1) : comm;
    } catch {
      // The task has exited (or /proc is not ours to read): the name stays unknown.
      return null;
    }
  }
}

function readSavedCmdlines(path: string): Map<number, string> {
  try {
    return parseSavedCmdlines(readFileSync(path, 'utf8'));
  } catch {
    // No saved cmdlines (an old kernel, a fake tree): /proc alone names the tasks.
    return new Map();
  }
}
