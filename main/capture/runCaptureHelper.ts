/**
 * Runs the privileged capture helper (`dropscope capture --helper …`) for a process that is not
 * root — the desktop app never is — and streams its events back.
 *
 * Launch choice (`chooseHelperLaunch`): directly when already privileged; else through `pkexec`
 * (polkit asks for the password in a dialog) when it is installed and there is a graphical
 * session for its agent; else `sudo -n` (works only without a password prompt: a sudoers rule or
 * a cached credential); else it fails with why.
 *
 * Protocol: the helper writes Dropscope JSON lines to stdout (a header first, the events, and a
 * closing header with the final counts) and one JSON object per line to stderr (`started`,
 * `progress`, `error`, `done`; see `HelperMessage`). It stops when its stdin closes, so it never
 * outlives the app (a root process cannot be signalled by its unprivileged parent under pkexec).
 * Stdout is read with main/ingest's dropscope-jsonl parser and delivered in batches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { EventInput, TraceMeta } from '../../shared/model';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import { formatDefinition, LineSplitter } from '../ingest';
import type { CaptureStats, CaptureSummary, FilterPlacement } from './CaptureBackend';
import type { CaptureHost } from './CaptureHost';
import { CaptureSink } from './CaptureSink';
import { captureHelperArgs, type CaptureHelperRequest } from './captureHelperArgs';
import { readPrivilege } from './privilege';

/** One line of the helper's stderr. */
export type HelperMessage =
  | {
      type: 'started';
      backend: string;
      filter: FilterPlacement;
      kernelFilter: string | null;
      userFilter: string | null;
      warnings: string[];
    }
  | { type: 'progress'; stats: CaptureStats }
  | { type: 'error'; message: string }
  | { type: 'done'; summary: CaptureSummary };

/** What decides how the helper is launched. */
export interface HelperLaunchProbe {
  /** Root or CAP_PERFMON/CAP_SYS_ADMIN already: no elevation needed. */
  privileged: boolean;
  /** Absolute paths of the elevation tools, null when not installed. */
  pkexec: string | null;
  sudo: string | null;
  /** A display (X11 or Wayland) for polkit's authentication agent. */
  graphicalSession: boolean;
}

/** The program that is `dropscope` (e.g. node and out/cli/dropscope.js). */
export interface HelperProgram {
  command: string;
  args: readonly string[];
}

/** How to spawn the helper. */
export interface HelperLaunch {
  kind: 'direct' | 'pkexec' | 'sudo';
  command: string;
  args: string[];
}

/** Probes the machine for `chooseHelperLaunch`. */
export async function probeHelperLaunch(
  host: CaptureHost,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HelperLaunchProbe> {
  const privilege = readPrivilege(host.uid(), await host.procStatus());
  return {
    privileged: privilege.privileged,
    pkexec: await host.which('pkexec'),
    sudo: await host.which('sudo'),
    graphicalSession: Boolean(env.DISPLAY || env.WAYLAND_DISPLAY),
  };
}

/**
 * Chooses how to launch `program capture <helperArgs>`; see the file overview. pkexec runs only
 * absolute paths (it resets PATH), so the program must be given as one. Pure.
 */
export function chooseHelperLaunch(
  probe: HelperLaunchProbe,
  program: HelperProgram,
  helperArgs: readonly string[],
): Result<HelperLaunch> {
  const tail = [...program.args, 'capture', ...helperArgs];
  if (probe.privileged) return ok({ kind: 'direct', command: program.command, args: tail });
  if (probe.pkexec !== null && probe.graphicalSession) {
    if (!isAbsolute(program.command)) {
      return err(`pkexec needs an absolute program path, not "${program.command}"`);
    }
    return ok({ kind: 'pkexec', command: probe.pkexec, args: [program.command, ...tail] });
  }
  if (probe.sudo !== null) {
    return ok({ kind: 'sudo', command: probe.sudo, args: ['-n', '--', program.command, ...tail] });
  }
  const missing =
    probe.pkexec === null ? 'pkexec is not installed' : 'there is no graphical session for pkexec';
  return err(
    `capture needs root: this process is not privileged, ${missing}, and sudo is not installed`,
  );
}

/** How a helper run ended. */
export interface HelperResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Events received. */
  events: number;
  /** The helper's final account, when it got that far. */
  summary: CaptureSummary | null;
  /** The capture's header facts (the closing header's, when it came). */
  meta: TraceMeta;
  /** Error messages of the helper (and of pkexec/sudo, which do not speak JSON). */
  errors: string[];
}

/** A running helper. */
export interface HelperRun {
  readonly launch: HelperLaunch;
  /** Asks the helper to stop (closes its stdin); resolves when it exited. */
  stop(): Promise<HelperResult>;
  readonly done: Promise<HelperResult>;
}

/** Callbacks of `runCaptureHelper`. */
export interface RunCaptureHelperOptions {
  program: HelperProgram;
  /** How to launch; probed on the machine when omitted. */
  probe?: HelperLaunchProbe;
  host?: CaptureHost;
  onBatch(events: readonly EventInput[]): void;
  onMessage?(message: HelperMessage): void;
  /** For tests: spawns the process. */
  spawnProcess?: (command: string, args: readonly string[]) => ChildProcess;
}

/** After stdin closes, how long the helper has to exit before SIGTERM. */
const STOP_GRACE_MS = 15_000;

/** Launches the helper for `request`; fails when no launch method fits. */
export async function runCaptureHelper(
  request: CaptureHelperRequest,
  options: RunCaptureHelperOptions,
): Promise<Result<HelperRun>> {
  let probe = options.probe;
  if (!probe) {
    if (!options.host) return err('runCaptureHelper needs a probe or a host');
    probe = await probeHelperLaunch(options.host);
  }
  const chosen = chooseHelperLaunch(probe, options.program, captureHelperArgs(request));
  if (!chosen.ok) return chosen;
  const launch = chosen.value;
  const child = (
    options.spawnProcess ?? ((c, a) => spawn(c, a, { stdio: ['pipe', 'pipe', 'pipe'] }))
  )(launch.command, launch.args);
  const sink = new CaptureSink({ onBatch: (events) => options.onBatch(events) });
  const parser = formatDefinition('dropscope-jsonl').createParser(sink);
  const lines = new LineSplitter(
    (text, line) => parser.line(text, line),
    (line, start, bytes) => sink.skip(line, start, `line of ${bytes} bytes is too long`),
  );
  const result: HelperResult = {
    exitCode: null,
    signal: null,
    events: 0,
    summary: null,
    meta: sink.metadata,
    errors: [],
  };
  const flush = setInterval(() => sink.flushDue(), 25);
  flush.unref();
  child.stdout?.on('data', (chunk: Buffer) => {
    lines.push(chunk);
    sink.flushDue();
  });
  let stderrPartial = '';
  const onStderrLine = (text: string): void => {
    if (text.trim() === '') return;
    let message: HelperMessage | null = null;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && 'type' in parsed)
        message = parsed as HelperMessage;
    } catch {
      message = null;
    }
    if (message === null) {
      result.errors.push(text);
      return;
    }
    if (message.type === 'error') result.errors.push(message.message);
    if (message.type === 'done') result.summary = message.summary;
    options.onMessage?.(message);
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    const parts = (stderrPartial + text).split('\n');
    stderrPartial = parts.pop() ?? '';
    for (const part of parts) onStderrLine(part);
  });
  child.stdin?.on('error', () => undefined);
  const done = new Promise<HelperResult>((resolve) => {
    child.on('error', (error) => result.errors.push(`${launch.command}: ${error.message}`));
    child.on('close', (code, signal) => {
      clearInterval(flush);
      if (stderrPartial !== '') onStderrLine(stderrPartial);
      lines.end();
      parser.end();
      sink.close();
      result.exitCode = code;
      result.signal = signal;
      result.events = sink.events;
      resolve(result);
    });
  });
  let stopping: Promise<HelperResult> | null = null;
  const stop = (): Promise<HelperResult> => {
    stopping ??= (async () => {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), STOP_GRACE_MS);
      const ended = await done;
      clearTimeout(timer);
      return ended;
    })();
    return stopping;
  };
  return ok({ launch, stop, done });
}
