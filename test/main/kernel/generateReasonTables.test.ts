import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReasonTableFile, renderReasonTables } from '../../../main/kernel/generateReasonTables';
import { kernelReasonsDir, repoRoot } from '../../helpers/samples';

const hasData = existsSync(resolve(kernelReasonsDir, 'index.json'));

function sourceFiles() {
  return readdirSync(kernelReasonsDir)
    .filter((name) => /^v\d.*\.json$/.test(name))
    .map((name) => ({
      name,
      json: JSON.parse(readFileSync(resolve(kernelReasonsDir, name), 'utf8')) as unknown,
    }));
}

describe('generateReasonTables', () => {
  describe.skipIf(!hasData)(`with the data in ${kernelReasonsDir}`, () => {
    it('produces exactly the committed reasonTables.generated.ts', () => {
      const committed = readFileSync(
        resolve(repoRoot, 'main/kernel/reasonTables.generated.ts'),
        'utf8',
      );
      expect(renderReasonTables(sourceFiles(), '../shared/kernel-reasons')).toBe(committed);
    });

    it('emits one table per vN.json and shares names between identical tables', () => {
      const text = renderReasonTables(sourceFiles(), '../shared/kernel-reasons');
      const files = sourceFiles();
      expect(text.match(/^ {4}kernel: /gm)).toHaveLength(files.length);
      const hashes = new Set(files.map((file) => readReasonTableFile(file).sha1));
      expect(text.match(/^const CORE_/gm)).toHaveLength(hashes.size);
      expect(hashes.size).toBeLessThan(files.length);
    });
  });

  it('names the generator, the source folder and the regeneration command in the header', () => {
    const text = renderReasonTables([], '../shared/kernel-reasons');
    expect(text).toContain('Generator: main/kernel/generateReasonTables.ts');
    expect(text).toContain('Source: ../shared/kernel-reasons');
    expect(text).toContain('npx tsx main/kernel/generateReasonTables.ts');
  });

  it('rejects a file whose reasons do not match its reason_table_sha1', () => {
    const json = {
      kernel: '9.9',
      kind: 'mainline',
      confidence: 'high',
      source: { repo: 'x/y', commit: 'a'.repeat(40), path: 'p', makefile_version: '9.9.0' },
      max: 1,
      reason_table_sha1: '0'.repeat(40),
      subsystem_shift: null,
      subsystem_mask: null,
      subsystems: [],
      tracepoint: { print_fmt: 'f', fields: [], field_types: {} },
      reasons: [
        { value: 0, name: 'NOT_SPECIFIED', in_tracepoint: true },
        { value: 1, name: 'MAX', in_tracepoint: true, sentinel: true },
      ],
    };
    expect(() => readReasonTableFile({ name: 'v9.9.json', json })).toThrow(/reason_table_sha1/);
  });
});
