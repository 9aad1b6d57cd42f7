/**
 * Loads a binary trace (perf.data, trace.dat) into a new `EventStore`.
 *
 * Not implemented yet: binary files are refused with the command that converts them to text.
 */
import { basename } from 'node:path';
import type { Result } from '../../shared/util';
import { err } from '../../shared/util';
import type { TraceStream } from './openTraceStream';
import type { LoadedTrace, ReadTraceOptions } from './readTrace';

/** Reads a binary trace whose kind `stream.binaryKind` names. */
export function readBinaryTrace(file: string, stream: TraceStream, _options: ReadTraceOptions): Promise<Result<LoadedTrace>> {
  const kind = stream.binaryKind ?? 'perf.data';
  const hint =
    kind === 'perf.data'
      ? `convert it with: perf script -i ${basename(file)} > ${basename(file)}.txt`
      : `convert it with: trace-cmd report -i ${basename(file)} > ${basename(file)}.txt`;
  return Promise.resolve(err(`${file}: this is a binary ${kind} file; reading it directly is not supported yet — ${hint}`));
}
