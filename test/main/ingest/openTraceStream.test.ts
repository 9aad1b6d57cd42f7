import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openTraceStream } from '../../../main/ingest/openTraceStream';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-open-'));
const text =
  Array.from({ length: 2000 }, (_, i) => `line ${i} skbaddr=0x${i.toString(16)}`).join('\n') + '\n';

async function readAll(
  path: string,
): Promise<{ text: string; problems: string[]; compression: string }> {
  const stream = await openTraceStream(path);
  const chunks: Buffer[] = [];
  for await (const chunk of stream.chunks) chunks.push(Buffer.from(chunk));
  return {
    text: Buffer.concat(chunks).toString('utf8'),
    problems: stream.problems,
    compression: stream.compression,
  };
}

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('openTraceStream', () => {
  it('reads plain text unchanged', async () => {
    const path = join(dir, 'plain.txt');
    writeFileSync(path, text);
    expect(await readAll(path)).toEqual({ text, problems: [], compression: 'none' });
  });

  it('decompresses gzip recognised by its magic, whatever the file name', async () => {
    const path = join(dir, 'trace.log');
    writeFileSync(path, gzipSync(text));
    const result = await readAll(path);
    expect(result.compression).toBe('gzip');
    expect(result.text).toBe(text);
  });

  it('keeps what a truncated gzip held and says it ended early', async () => {
    const path = join(dir, 'cut.gz');
    const whole = gzipSync(text);
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const result = await readAll(path);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/cut\.gz: the gzip data ends early/);
    expect(text.startsWith(result.text)).toBe(true);
  });

  it.skipIf(!hasTool('zstd'))('decompresses zstd (made with the zstd tool)', async () => {
    const path = join(dir, 'plain-z.txt');
    writeFileSync(path, text);
    execFileSync('zstd', ['-q', '-f', path, '-o', `${path}.zst`]);
    const result = await readAll(`${path}.zst`);
    expect(result.compression).toBe('zstd');
    expect(result.text).toBe(text);
  });

  it.skipIf(!hasTool('xz'))('decompresses xz (made with the xz tool)', async () => {
    const path = join(dir, 'plain-x.txt');
    writeFileSync(path, text);
    execFileSync('xz', ['-k', '-f', path]);
    const result = await readAll(`${path}.xz`);
    expect(result.compression).toBe('xz');
    expect(result.text).toBe(text);
  });

  it('recognises binary perf.data and trace.dat by their magic', async () => {
    const perf = join(dir, 'perf.data');
    writeFileSync(perf, Buffer.concat([Buffer.from('PERFILE2'), Buffer.alloc(100)]));
    expect((await openTraceStream(perf)).binaryKind).toBe('perf.data');
    const dat = join(dir, 'trace.dat');
    writeFileSync(
      dat,
      Buffer.concat([Buffer.from([0x17, 0x08, 0x44]), Buffer.from('tracing6'), Buffer.alloc(100)]),
    );
    expect((await openTraceStream(dat)).binaryKind).toBe('trace.dat');
  });

  it('rejects a missing file', async () => {
    await expect(openTraceStream(join(dir, 'missing.txt'))).rejects.toThrow(/ENOENT/);
  });
});
