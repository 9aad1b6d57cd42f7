/**
 * One `dropscope` sub-command. Adding a command is one file in commands/ plus one line in
 * commands/index.ts.
 */
import type { CliIo } from './CliIo';

/** A sub-command of the CLI. */
export interface CliCommand {
  /** The word after `dropscope`. */
  readonly name: string;
  /** One usage line (`summary FILE… [options] [--json]`). */
  readonly usage: string;
  /** One-line description for the help. */
  readonly summary: string;
  /** Runs with the arguments after the command name; resolves to the exit code. Throws UsageError for bad usage. */
  run(args: string[], io: CliIo): Promise<number>;
}
