/**
 * What a tracefs capture session reads its instance through: the text `trace_pipe`
 * (`TracePipeTextReader`) or the binary per-CPU `trace_pipe_raw` pages (`TracePipeRawReader`).
 * Both read synchronously and never block (O_NONBLOCK), hand events to the session's sink, and
 * leave scheduling, stopping and the instance itself to the session.
 */

/** One way of reading a tracing instance's events; see the file overview. */
export interface TracefsReader {
  /** Which reader (`trace_pipe_raw` or `trace_pipe`), for the capture's command and messages. */
  readonly kind: 'trace_pipe_raw' | 'trace_pipe';
  /** What is read, for error messages. */
  readonly path: string;
  /**
   * Reads what the kernel holds now, up to a turn's worth, and hands the events over; true when
   * everything ran dry. Throws on a read error other than EAGAIN. Synchronous.
   */
  read(): boolean;
  /** Hands over what the reader still holds; called once, after the last `read`. */
  end(): void;
  /** Events the stream itself said were lost (`[LOST N EVENTS]` notices, page flags). */
  lostNotices(): number;
  /** Closes the files. Idempotent. */
  close(): void;
}
