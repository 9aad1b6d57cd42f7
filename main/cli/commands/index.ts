/**
 * The CLI's commands, in help order. Adding a command: one file here and one line below.
 */
import type { CliCommand } from '../CliCommand';
import { convertCommand } from './convertCommand';
import { eventsCommand } from './eventsCommand';
import { filterCommand } from './filterCommand';
import { formatsCommand } from './formatsCommand';
import { serveCommand } from './serveCommand';
import { statsCommand } from './statsCommand';
import { summaryCommand } from './summaryCommand';

/** Every command. */
export const COMMANDS: readonly CliCommand[] = [
  summaryCommand,
  statsCommand,
  eventsCommand,
  filterCommand,
  convertCommand,
  formatsCommand,
  serveCommand,
];
