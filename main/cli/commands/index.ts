/**
 * The CLI's commands, in help order. Adding a command: one file here and one line below.
 */
import type { CliCommand } from '../CliCommand';
import { convertCommand } from './convertCommand';
import { eventsCommand } from './eventsCommand';
import { formatsCommand } from './formatsCommand';
import { summaryCommand } from './summaryCommand';

/** Every command. */
export const COMMANDS: readonly CliCommand[] = [
  summaryCommand,
  eventsCommand,
  convertCommand,
  formatsCommand,
];
