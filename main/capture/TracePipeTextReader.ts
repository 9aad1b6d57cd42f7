/**
 * Reads a tracing instance's text `trace_pipe` with the ftrace parser of main/ingest (tracefs
 * prints reason names and symbolizes `location` itself): the fallback of the tracefs backend when
 * the binary pages cannot be decoded (see TracefsBackend.ts).
 *
 * `trace_pipe` is opened O_NONBLOCK and read synchronously until EAGAIN. Motivation: a blocking
 * read of trace_pipe cannot be interrupted by closing the fd, and one read returns at most a page
 * (about 20 events), so at 100,000 drops/s the loop makes about 5,000 cheap non-blocking syscalls
 * a second instead of 5,000 thread-pool round trips. The kernel formats every event as text,
 * which is what limits this path (55,000–78,000 events/s end to end on a 2-vCPU VM).
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { formatDefinition, LineSplitter, type TraceParser } from '../ingest';
import type { CaptureSink } from './CaptureSink';
import type { TracefsReader } from './TracefsReader';

/** Reads per turn (each returns at most about a page of text). */
const READS_PER_TURN = 256;
const READ_BUFFER_BYTES = 64 << 10;

/** The text reader; see the file overview. */
export class TracePipeTextReader implements TracefsReader {
  readonly kind = 'trace_pipe';
  private readonly parser: TraceParser;
  private readonly splitter: LineSplitter;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private lastByte = 0x0a;
  private lineNumber = 0;

  private constructor(
    readonly path: string,
    private fd: number,
    private readonly sink: CaptureSink,
  ) {
    this.parser = formatDefinition('ftrace').createParser(sink);
    this.splitter = new LineSplitter(
      (text, line) => {
        this.lineNumber = line;
        this.parser.line(text, line);
      },
      (line, start, bytes) => sink.skip(line, start, `line of ${bytes} bytes is too long`),
    );
  }

  /** Opens `path` (an instance's `trace_pipe`) O_NONBLOCK. Throws when it cannot. */
  static open(path: string, sink: CaptureSink): TracePipeTextReader {
    return new TracePipeTextReader(
      path,
      openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
      sink,
    );
  }

  read(): boolean {
    for (let i = 0; i < READS_PER_TURN; i++) {
      let n: number;
      try {
        n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.releaseHeldEvent();
          return true;
        }
        throw error;
      }
      if (n === 0) {
        this.releaseHeldEvent();
        return true;
      }
      this.splitter.push(this.buffer.subarray(0, n));
      this.lastByte = this.buffer[n - 1] ?? 0x0a;
    }
    return false;
  }

  /**
   * The parser holds each event until the next line (a stack trace could follow it); when the
   * pipe is dry at a line boundary, an empty line releases it so a quiet period shows every drop.
   */
  private releaseHeldEvent(): void {
    if (this.lastByte === 0x0a) this.parser.line('', this.lineNumber);
  }

  end(): void {
    this.splitter.end();
    this.parser.end();
  }

  lostNotices(): number {
    return this.sink.toolLost();
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing left to release.
    }
    this.fd = -1;
  }
}
