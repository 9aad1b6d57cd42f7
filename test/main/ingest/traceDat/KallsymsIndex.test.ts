import { describe, expect, it } from 'vitest';
import { SYNTHETIC_KALLSYMS, readableProcKallsyms } from '../../../helpers/procKallsyms';
import { Kallsyms } from '../../../../main/kernel';
import { KallsymsIndex } from '../../../../main/ingest/traceDat/KallsymsIndex';

const procKallsyms = readableProcKallsyms();

function probes(text: string): bigint[] {
  const addresses = text
    .split('\n')
    .map((line) => /^([0-9a-f]{16}) /.exec(line)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => BigInt(`0x${hex}`));
  const picked: bigint[] = [0n, 0xffffffffffffffffn];
  for (let i = 0; i < addresses.length; i += Math.max(1, Math.floor(addresses.length / 2000))) {
    const a = addresses[i] ?? 0n;
    picked.push(a, a + 1n, a + 0x11n, a - 1n, a + 0x100000n);
  }
  return picked;
}

describe('KallsymsIndex', () => {
  it('resolves like Kallsyms on synthetic text (aliases, modules, unsorted lines, junk)', () => {
    const index = KallsymsIndex.build(SYNTHETIC_KALLSYMS);
    const reference = Kallsyms.parse(SYNTHETIC_KALLSYMS);
    for (const address of probes(SYNTHETIC_KALLSYMS)) {
      const hex = `0x${address.toString(16)}`;
      expect(index.symbolize(hex), hex).toBe(reference.symbolize(hex));
    }
    expect(index.symbolize('0xffffffff81e42661')).toBe('sk_skb_reason_drop+0x11');
    expect(index.symbolizeParts(0xffffffff, 0x81e42661)).toBe('sk_skb_reason_drop+0x11');
    expect(index.symbolize('0x1000')).toBeNull();
    expect(index.symbolize('not hex')).toBeNull();
  });

  it.skipIf(procKallsyms === null)(
    "resolves like Kallsyms on this machine's /proc/kallsyms (skipped without root)",
    () => {
      const text = procKallsyms ?? '';
      const index = KallsymsIndex.build(text);
      const reference = Kallsyms.parse(text);
      for (const address of probes(text)) {
        const hex = `0x${address.toString(16)}`;
        expect(index.symbolize(hex), hex).toBe(reference.symbolize(hex));
      }
    },
  );

  it('is empty when every address is hidden (kallsyms read without privilege)', () => {
    const index = KallsymsIndex.build('0000000000000000 T a\n0000000000000000 t b\n');
    expect(index.size).toBe(0);
    expect(index.symbolize('0xffffffff81000000')).toBeNull();
  });
});
