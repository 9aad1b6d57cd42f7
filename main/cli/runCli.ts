/**
 * The `dropscope` command line: dispatches to the commands of commands/index.ts.
 *
 * Runs under plain Node with the engine in-process (no UI thread to keep free). Exit codes:
 * 0 success, 1 a file could not be read at all (or held no event), 2 bad usage. Messages on
 * stderr name the file (and line, where there is one).
 */
import { DROPSCOPE_VERSION } from '../../shared/model';
import { EXIT, UsageError, type CliIo } from './CliIo';
import { COMMANDS } from './commands';
import { READ_OPTIONS_HELP } from './loadOptions';

/** The CLI version, printed by `dropscope --version`. */
export const VERSION = DROPSCOPE_VERSION;

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return `dropscope ${VERSION} — explore Linux kernel packet drops (skb:kfree_skb drop reasons)

Usage:
${COMMANDS.map((c) => `  dropscope ${c.usage.padEnd(width)}  ${c.summary}`).join('\n')}

Options of the reading commands:
${READ_OPTIONS_HELP}

Files may be gzip, zstd or xz compressed. Exit codes: 0 ok, 1 nothing could be read, 2 bad usage.
`;
}

/** Runs one CLI invocation (`args` without `node` and the script). Resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  try {
    if (name === undefined) {
      io.stderr.write(help());
      return EXIT.usage;
    }
    if (name === 'help' || name === '--help' || name === '-h') {
      io.stdout.write(help());
      return EXIT.ok;
    }
    if (name === '--version' || name === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const usage =
      error instanceof UsageError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    if (usage) {
      io.stderr.write(`dropscope: ${(error as Error).message}\nRun 'dropscope help' for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
