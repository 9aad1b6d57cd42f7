/**
 * Where the CLI writes: stdout and stderr as functions, so tests can run it in-process.
 */
import type { Writable } from 'node:stream';

/** Output channels of one CLI run. */
export interface CliIo {
  /** Standard output (data: JSON, tables, events). */
  stdout: Writable;
  /** Standard error (messages naming file and line). */
  stderr: Writable;
}

/** Exit codes: 0 success, 1 nothing could be read, 2 bad usage. */
export const EXIT = { ok: 0, unreadable: 1, usage: 2 } as const;

/** A usage error: printed with the command's help, exit code 2. */
export class UsageError extends Error {}
