import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueReasonNames, describeReason, REASON_CATEGORIES } from '../../../shared/reasons';
import { reasonCatalog } from '../../../shared/reasons/reasonCatalog';
import { kernelReasonsDir } from '../../helpers/samples';

interface KernelTable {
  reasons?: { name: string }[] | null;
  subsystems?: { name: string; reasons?: { name: string }[] | string | null }[] | null;
}

/** Core names and `SUBSYSTEM:NAME` pairs from every v*.json, with the file each first came from. */
function readKernelNames(dir: string): {
  core: Map<string, string>;
  subsystem: Map<string, string>;
} {
  const core = new Map<string, string>();
  const subsystem = new Map<string, string>();
  for (const file of readdirSync(dir)
    .filter((f) => /^v.*\.json$/.test(f))
    .sort()) {
    const table = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as KernelTable;
    for (const reason of table.reasons ?? [])
      if (!core.has(reason.name)) core.set(reason.name, file);
    for (const sub of table.subsystems ?? []) {
      if (!Array.isArray(sub.reasons)) continue; // CORE points at the core list; NUM is a sentinel
      for (const reason of sub.reasons) {
        const key = `${sub.name}:${reason.name}`;
        if (!subsystem.has(key)) subsystem.set(key, file);
      }
    }
  }
  return { core, subsystem };
}

const tablesPresent =
  existsSync(kernelReasonsDir) && readdirSync(kernelReasonsDir).some((f) => /^v.*\.json$/.test(f));

describe.skipIf(!tablesPresent)(
  tablesPresent
    ? 'reasonCatalog against the kernel tables'
    : `reasonCatalog against the kernel tables — SKIPPED: no v*.json in ${kernelReasonsDir}`,
  () => {
    const { core, subsystem } = tablesPresent
      ? readKernelNames(kernelReasonsDir)
      : { core: new Map<string, string>(), subsystem: new Map<string, string>() };

    it('finds a plausible number of names in the tables', () => {
      expect(core.size).toBeGreaterThan(100);
      expect(subsystem.size).toBeGreaterThan(50);
    });

    it('has a catalogue entry for every core reason name of every kernel table', () => {
      const missing = [...core].filter(([name]) => {
        const info = describeReason(name);
        return !info.known || info.subsystem !== null;
      });
      expect(missing.map(([name, file]) => `${name} (${file})`)).toEqual([]);
    });

    it('has a catalogue entry for every subsystem reason name of every kernel table', () => {
      const missing = [...subsystem].filter(([key]) => {
        const info = describeReason(key);
        return !info.known || info.subsystem !== key.split(':')[0];
      });
      expect(missing.map(([key, file]) => `${key} (${file})`)).toEqual([]);
    });

    it('holds no name that no kernel table has (catches typos and stale entries)', () => {
      const tableNames = new Set([...core.keys(), ...subsystem.keys()]);
      expect(catalogueReasonNames().filter((name) => !tableNames.has(name))).toEqual([]);
    });
  },
);

describe('reasonCatalog', () => {
  const entries = [
    ...Object.entries(reasonCatalog.core).map(([name, entry]) => ({ name, entry })),
    ...Object.entries(reasonCatalog.subsystems).flatMap(([sub, table]) =>
      Object.entries(table).map(([name, entry]) => ({ name: `${sub}:${name}`, entry })),
    ),
  ];

  it('uses each reason name only once across core and all subsystems', () => {
    const bare = entries.map(({ name }) => name.slice(name.indexOf(':') + 1));
    expect(bare.filter((name, i) => bare.indexOf(name) !== i)).toEqual([]);
  });

  it('gives every entry a one-line summary and short next steps ending in a full stop', () => {
    const bad = entries.filter(
      ({ entry }) =>
        entry.summary.length < 15 ||
        entry.summary.length > 200 ||
        /\n/.test(entry.summary) ||
        !/[.)]$/.test(entry.summary) ||
        entry.nextSteps.length < 15 ||
        entry.nextSteps.length > 320 ||
        /\n/.test(entry.nextSteps) ||
        !/[.)]$/.test(entry.nextSteps),
    );
    expect(bad.map(({ name }) => name)).toEqual([]);
  });

  it('gives every entry a category from REASON_CATEGORIES', () => {
    const bad = entries.filter(({ entry }) => !REASON_CATEGORIES.includes(entry.category));
    expect(bad.map(({ name }) => name)).toEqual([]);
  });

  it('lists core names first, bare, then subsystem names as SUBSYSTEM:NAME', () => {
    const names = catalogueReasonNames();
    expect(names[0]).toBe('NOT_DROPPED_YET');
    expect(names).toContain('NO_SOCKET');
    expect(names).toContain('MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL');
    expect(names).toContain('OPENVSWITCH:OVS_DROP_METER');
    expect(names).toContain('QDISC:QDISC_DROP_OVERLIMIT');
    const firstQualified = names.findIndex((name) => name.includes(':'));
    expect(names.slice(firstQualified).every((name) => name.includes(':'))).toBe(true);
  });

  it('returns a fresh list that callers may change', () => {
    catalogueReasonNames().push('SCRATCH');
    expect(catalogueReasonNames()).not.toContain('SCRATCH');
  });

  it('is frozen so no caller can edit the shared data', () => {
    expect(Object.isFrozen(reasonCatalog.core)).toBe(true);
    expect(Object.isFrozen(reasonCatalog.core['NO_SOCKET'])).toBe(true);
    expect(Object.isFrozen(reasonCatalog.subsystems['OPENVSWITCH'])).toBe(true);
  });
});
