/**
 * The CLI's commands, in help order. Adding a command: one file here and one line below.
 */
import type { CliCommand } from '../CliCommand';
import { captureCommand } from './captureCommand';
import { convertCommand } from './convertCommand';
import { eventsCommand } from './eventsCommand';
import { filterCommand } from './filterCommand';
import { formatsCommand } from './formatsCommand';
import { openCommand } from './openCommand';
import { reportCommand } from './reportCommand';
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
  reportCommand,
  captureCommand,
  formatsCommand,
  openCommand,
  serveCommand,
];
