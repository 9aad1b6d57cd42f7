/**
 * Runs the CLI in-process and captures stdout, stderr and the exit code.
 */
import { Writable } from 'node:stream';
import { runCli } from '../../main/cli/runCli';

/** Output of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `dropscope ARGS…` in this process. */
export async function runCliCapture(args: readonly string[]): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
