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
    for (const format of TRACE_FORMAT_DEFINITIONS)
      io.stdout.write(`${format.name.padEnd(18)} ${format.label}\n`);
    return Promise.resolve(EXIT.ok);
  },
};
