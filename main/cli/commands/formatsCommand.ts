/**
 * `dropscope formats`: the formats Dropscope reads, with their `--format` names.
 */
import { TRACE_FORMAT_DEFINITIONS } from '../../engine';
import { EXIT, type CliIo } from '../CliIo';
import type { CliCommand } from '../CliCommand';

/** The formats command. */
export const formatsCommand: CliCommand = {
  name: 'formats',
  usage: 'formats',
  summary: 'list the formats Dropscope reads',
  run(_args: string[], io: CliIo): Promise<number> {
    io.stdout.write(`${'perf-data'.padEnd(18)} perf.data (binary, read natively)\n`);
    io.stdout.write(
      `${'trace-dat'.padEnd(18)} trace-cmd trace.dat v6/v7 (binary, read natively)\n`,
    );
    for (const format of TRACE_FORMAT_DEFINITIONS)
      io.stdout.write(`${format.name.padEnd(18)} ${format.label}\n`);
    return Promise.resolve(EXIT.ok);
  },
};
