import { describe, expect, it } from 'vitest';
import { SYNTHETIC_KALLSYMS, readableProcKallsyms } from '../../../helpers/procKallsyms';
import { KallsymsIndex } from '../../../../main/ingest/traceDat/KallsymsIndex';
import { KallsymsResolver } from '../../../../main/ingest/traceDat/KallsymsResolver';

const procKallsyms = readableProcKallsyms();

/** Addresses around every n-th symbol of `text`, and the extremes, as unsigned halves. */
function probes(text: string, every: number): { high: number[]; low: number[] } {
  const addresses = text
    .split('\n')
    .map((line) => /^([0-9a-f]{16}) /.exec(line)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => BigInt(`0x${hex}`));
  const picked: bigint[] = [0n, 1n, 0xffffffffffffffffn];
  for (let i = 0; i < addresses.length; i += every) {
    const a = addresses[i] ?? 0n;
    picked.push(a, a + 1n, a + 0x11n, a > 0n ? a - 1n : a, a + 0xfffffn, a + 0x100000n);
  }
  const bounded = picked.map((a) => a & 0xffffffffffffffffn);
  return {
    high: bounded.map((a) => Number(a >> 32n)),
    low: bounded.map((a) => Number(a & 0xffffffffn)),
  };
}

/** The resolver fed `text` in chunks of `size` bytes. */
function resolveInChunks(
  text: string,
  query: { high: number[]; low: number[] },
  size: number,
): KallsymsResolver {
  const resolver = new KallsymsResolver(query.high, query.low);
  const bytes = new TextEncoder().encode(text);
  // One reused buffer, as the machine reader does: earlier chunks are overwritten.
  const buffer = new Uint8Array(size);
  for (let at = 0; at < bytes.length; at += size) {
    const chunk = bytes.subarray(at, at + size);
    buffer.set(chunk);
    resolver.feed(buffer, chunk.length);
  }
  resolver.finish();
  return resolver;
}

function expectSameAsIndex(text: string, query: { high: number[]; low: number[] }, size: number) {
  const index = KallsymsIndex.build(text);
  const resolver = resolveInChunks(text, query, size);
  expect(resolver.symbols).toBe(index.size);
  query.high.forEach((high, k) => {
    const low = query.low[k] as number;
    const label = `${high.toString(16)}:${low.toString(16)} (chunks of ${size})`;
    expect(resolver.symbolOf(k), label).toBe(index.symbolizeParts(high, low));
  });
}

describe('KallsymsResolver', () => {
  it('answers like KallsymsIndex on synthetic text (aliases, modules, CR, junk), in any chunking', () => {
    const query = probes(SYNTHETIC_KALLSYMS, 1);
    for (const size of [1, 2, 7, 64, 1 << 16]) expectSameAsIndex(SYNTHETIC_KALLSYMS, query, size);
    const resolver = resolveInChunks(
      SYNTHETIC_KALLSYMS,
      { high: [0xffffffff], low: [0x81e42661] },
      5,
    );
    expect(resolver.symbolOf(0)).toBe('sk_skb_reason_drop+0x11');
    const long = resolveInChunks(SYNTHETIC_KALLSYMS, { high: [0xffffffff], low: [0x84000010] }, 64);
    expect(long.symbolOf(0)).toBe(`_RNvMs_long_rust_symbol_${'x'.repeat(300)}+0x10`);
  });

  it('prefers text symbols, then names without a leading underscore, then the first listed', () => {
    const resolver = resolveInChunks(
      SYNTHETIC_KALLSYMS,
      { high: [0xffffffff, 0xffffffff], low: [0x81e42650, 0xc0001004] },
      3,
    );
    expect(resolver.symbolOf(0)).toBe('sk_skb_reason_drop+0x0');
    expect(resolver.symbolOf(1)).toBe('helper+0x4');
  });

  it('resolves nothing 1 MiB or more past a symbol, below every symbol, or without symbols', () => {
    const text = 'ffffffff81000000 T start\n';
    const resolver = resolveInChunks(
      text,
      { high: [0xffffffff, 0xffffffff, 0xffffffff], low: [0x810fffff, 0x81100000, 0x80ffffff] },
      8,
    );
    expect(resolver.symbolOf(0)).toBe('start+0xfffff');
    expect(resolver.symbolOf(1)).toBeNull();
    expect(resolver.symbolOf(2)).toBeNull();
    const hidden = resolveInChunks(
      '0000000000000000 T a\n0000000000000000 t b\n',
      probes('', 1),
      4,
    );
    expect(hidden.symbols).toBe(0);
    expect(hidden.symbolOf(0)).toBeNull();
  });

  it('keeps the order of the addresses it was given, duplicates included', () => {
    const text = 'ffffffff81000000 T a\nffffffff81000100 T b\n';
    const resolver = resolveInChunks(
      text,
      { high: [0xffffffff, 0xffffffff, 0xffffffff], low: [0x81000104, 0x81000004, 0x81000104] },
      16,
    );
    expect([0, 1, 2].map((k) => resolver.symbolOf(k))).toEqual(['b+0x4', 'a+0x4', 'b+0x4']);
  });

  it.skipIf(procKallsyms === null)(
    "answers like KallsymsIndex on this machine's /proc/kallsyms (skipped without root)",
    () => {
      const text = procKallsyms ?? '';
      const query = probes(text, 97);
      for (const size of [4096, 65_536 + 13]) expectSameAsIndex(text, query, size);
    },
  );
});
