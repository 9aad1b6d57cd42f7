import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKernelFormatFile } from '../../../main/kernel';
import { buildBtf, enumType } from './buildBtf';

/** The error message of a failed Result (fails the test when it succeeded). */
function errorOf(result: { ok: true } | { ok: false; error: string }): string {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

const fixturePath = fileURLToPath(new URL('./fixtures/kfree_skb.format-6.18.txt', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dropscope-kernel-'));

function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('loadKernelFormatFile', () => {
  it('recognises a tracefs format file by its content', () => {
    const result = loadKernelFormatFile(fixturePath);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.kind).toBe('kernel-format-file');
    expect(result.value.names.get(3)).toBe('NO_SOCKET');
    expect(result.value.source).toContain(fixturePath);
  });

  it('recognises raw BTF by its magic, whatever the file is called', () => {
    const path = scratchFile(
      'format.txt',
      buildBtf([enumType('skb_drop_reason', [['SKB_DROP_REASON_NO_SOCKET', 3]])], false),
    );
    const result = loadKernelFormatFile(path);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.kind).toBe('btf');
    expect(result.value.names.get(3)).toBe('NO_SOCKET');
  });

  it('names the file when it cannot be read', () => {
    const path = join(scratch, 'missing');
    const result = loadKernelFormatFile(path);
    expect(errorOf(result)).toContain(`${path}: cannot read`);
  });

  it('names the file and what was expected for unrelated text', () => {
    const path = scratchFile('notes.txt', 'just some notes\n');
    const result = loadKernelFormatFile(path);
    expect(errorOf(result)).toMatch(
      /notes\.txt: not a tracefs event format file.*kfree_skb\/format/,
    );
  });

  it('rejects a format without a reason list (kernels before 5.17)', () => {
    const path = scratchFile(
      'old.format',
      'name: kfree_skb\nformat:\n\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n\n' +
        'print fmt: "skbaddr=%p", REC->skbaddr\n',
    );
    const result = loadKernelFormatFile(path);
    expect(errorOf(result)).toMatch(/old\.format: .*no __print_symbolic/);
  });

  it('rejects binary data that is not BTF', () => {
    const path = scratchFile('blob.bin', new Uint8Array([1, 2, 0, 3]));
    const result = loadKernelFormatFile(path);
    expect(errorOf(result)).toMatch(/blob\.bin: binary file that is not BTF/);
  });
});
