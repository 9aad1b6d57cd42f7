import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kallsyms } from '../../../main/kernel';

const SAMPLE = [
  'ffffffff81e42650 T sk_skb_reason_drop',
  'ffffffff81000000 T _stext',
  'ffffffff81000000 T srso_alias_untrain_ret',
  'ffffffff81e42600 t __pfx_sk_skb_reason_drop',
  'ffffffff81e42700 D some_data',
  'ffffffff81e42700 t after_drop',
  '0000000000001000 A fixed_percpu_data',
  'ffffffffc0a01000 t ovs_execute_actions\t[openvswitch]',
  'not a kallsyms line',
].join('\n');

describe('Kallsyms', () => {
  it('symbolizes 0x-prefixed and bare hex addresses to sym+0xoff', () => {
    const symbols = Kallsyms.parse(SAMPLE);
    expect(symbols.symbolize('0xffffffff81e42692')).toBe('sk_skb_reason_drop+0x42');
    expect(symbols.symbolize('ffffffff81e42650')).toBe('sk_skb_reason_drop+0x0');
  });

  it('takes the nearest symbol at or below the address, preferring text symbols', () => {
    const symbols = Kallsyms.parse(SAMPLE);
    expect(symbols.symbolize('0xffffffff81e42710')).toBe('after_drop+0x10');
    expect(symbols.symbolize('0xffffffff81000010')).toBe('srso_alias_untrain_ret+0x10');
  });

  it('reports the module of a module symbol', () => {
    const match = Kallsyms.parse(SAMPLE).lookup('0xffffffffc0a01004');
    expect(match).toMatchObject({ name: 'ovs_execute_actions', module: 'openvswitch', offset: 4n });
  });

  it('returns null below the first symbol, far past the nearest one, and for non-hex input', () => {
    const symbols = Kallsyms.parse(SAMPLE);
    expect(symbols.symbolize('0xffffffff80000000')).toBeNull();
    expect(symbols.symbolize('0xffffffff90000000')).toBeNull();
    expect(symbols.symbolize('sk_skb_reason_drop+0x42')).toBeNull();
  });

  it('ignores absolute symbols and counts malformed lines', () => {
    const symbols = Kallsyms.parse(SAMPLE);
    expect(symbols.symbolize('0x1004')).toBeNull();
    expect(symbols.skippedLines).toBe(1);
  });

  it('flags a non-root view whose addresses are all zero', () => {
    const symbols = Kallsyms.parse(
      '0000000000000000 T _stext\n0000000000000000 T sk_skb_reason_drop\n',
    );
    expect(symbols.hasAddresses).toBe(false);
    expect(symbols.size).toBe(0);
    expect(symbols.symbolize('0xffffffff81e42692')).toBeNull();
  });

  it('resolves every symbol of a 200k-symbol table given in shuffled order', () => {
    const base = 0xffffffff81000000n;
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const index = (i * 7919) % 200_000; // a permutation: input need not be sorted
      lines.push(`${(base + BigInt(index) * 0x40n).toString(16)} t fn_${index}`);
    }
    const symbols = Kallsyms.parse(lines.join('\n'));
    expect(symbols.size).toBe(200_000);
    for (const index of [0, 1, 12345, 199_999]) {
      const address = `0x${(base + BigInt(index) * 0x40n + 0x3fn).toString(16)}`;
      expect(symbols.symbolize(address)).toBe(`fn_${index}+0x3f`);
    }
  });

  it.skipIf(!existsSync('/proc/kallsyms'))(
    'symbolizes an address of this machine when /proc/kallsyms shows addresses (skipped otherwise)',
    () => {
      const text = readFileSync('/proc/kallsyms', 'utf8');
      const symbols = Kallsyms.parse(text);
      const line = text.split('\n').find((entry) => / [tT] sk_skb_reason_drop$/.test(entry));
      if (!symbols.hasAddresses || !line) return;
      const address = BigInt(`0x${line.split(' ')[0] ?? '0'}`) + 0x10n;
      expect(symbols.symbolize(address.toString(16))).toBe('sk_skb_reason_drop+0x10');
    },
  );
});
