/**
 * Reads one line of a (possibly compressed) text trace by number, for the details panel's raw
 * trace line. Streams the file up to that line: O(position), no index kept.
 */
import { LineSplitter, openTraceStream } from '../ingest';

/** The text of line `line` (1-based), or null when the file is shorter or cannot be read. */
export async function readLineAt(file: string, line: number): Promise<string | null> {
  let found: string | null = null;
  let stream;
  try {
    stream = await openTraceStream(file);
  } catch {
    return null;
  }
  const splitter = new LineSplitter(
    (text, number) => {
      if (number === line) found = text;
    },
    (number, start) => {
      if (number === line) found = `${start}…`;
    },
  );
  for await (const chunk of stream.chunks) {
    splitter.push(chunk);
    if (found !== null || splitter.lines > line) break;
  }
  if (found === null) splitter.end();
  return found;
}
