import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareKernelVersions,
  findReasonTable,
  listReasonTables,
  newestMainlineTable,
} from '../../../main/kernel';
import { samplesDir } from '../../helpers/samples';

const manifestPath = resolve(samplesDir, 'MANIFEST.md');

/** The "value NAME" pairs listed at the end of the samples MANIFEST for 6.18.44. */
function manifestNumbers(): Map<number, string> {
  const text = readFileSync(manifestPath, 'utf8');
  const section = text.slice(text.indexOf('## Reason numbers on this kernel (6.18.44)'));
  const numbers = new Map<number, string>();
  for (const match of section.matchAll(/(?:^|, )(\d+) ([A-Z][A-Z0-9_]*)/gm)) {
    numbers.set(Number(match[1]), match[2] ?? '');
  }
  return numbers;
}

describe('listReasonTables', () => {
  it('lists every generated table oldest first, from 5.17 to 7.3', () => {
    const tables = listReasonTables();
    expect(tables.length).toBe(30);
    expect(tables[0]?.kernel).toBe('5.17');
    expect(tables[tables.length - 1]?.kernel).toBe('7.3');
    for (let i = 1; i < tables.length; i++) {
      const previous = tables[i - 1];
      const current = tables[i];
      if (previous && current) {
        expect(compareKernelVersions(previous.version, current.version)).toBeLessThan(0);
      }
    }
  });

  it('returns the same frozen objects on every call', () => {
    expect(listReasonTables()).toBe(listReasonTables());
    expect(Object.isFrozen(listReasonTables()[0])).toBe(true);
  });

  it('puts each MAX at the end of its names with the sentinel flag', () => {
    for (const table of listReasonTables()) {
      expect(table.names[table.max]).toBe('MAX');
      expect(table.names).toHaveLength(table.max + 1);
      expect(table.sentinels).toEqual([table.max]);
    }
  });

  it('marks NOT_DROPPED_YET and CONSUMED as absent from the tracepoint on 6.2 and later', () => {
    const table = findReasonTable('6.2');
    expect(table?.notInTracepoint.map((value) => table.names[value])).toEqual([
      'NOT_DROPPED_YET',
      'CONSUMED',
    ]);
  });

  it('borrows subsystem names of 6.18.44 from the 6.18 table and says so', () => {
    const table = findReasonTable('6.18.44');
    const ovs = table?.subsystems.find((subsystem) => subsystem.name === 'OPENVSWITCH');
    expect(ovs?.id).toBe(2);
    expect(ovs?.reasonsFrom).toBe('6.18');
    expect(ovs?.reasons?.[1]).toBe('OVS_DROP_LAST_ACTION');
  });

  it('keeps subsystem lists a mainline table read itself unborrowed', () => {
    const table = findReasonTable('6.6');
    expect(table?.subsystems.every((subsystem) => subsystem.reasonsFrom === null)).toBe(true);
  });

  it('names 7.3 as the newest mainline table', () => {
    expect(newestMainlineTable().kernel).toBe('7.3');
  });

  it.skipIf(!existsSync(manifestPath))(
    'holds the 6.18.44 numbers listed in the samples MANIFEST',
    () => {
      const numbers = manifestNumbers();
      const table = findReasonTable('6.18.44');
      expect(numbers.size).toBe(127);
      for (const [value, name] of numbers) expect(table?.names[value]).toBe(name);
      expect(table?.max).toBe(128);
    },
  );
});
