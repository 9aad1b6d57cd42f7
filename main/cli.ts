/**
 * Entry point of the `dropscope` command (built to out/cli/dropscope.js).
 */
import { runCli } from './cli/runCli';

// A reader that stops early (`dropscope events … | head`) closes the pipe: end quietly, as Unix
// tools do, unless a command handles its output's errors itself (capture stops and cleans up).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  if (process.stdout.listenerCount('error') === 1) process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `dropscope: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
