import { readFileSync } from 'node:fs';

/**
 * This machine's /proc/kallsyms text when it shows real addresses (read as root), else null:
 * for tests that compare symbol tables on a real kernel's symbols.
 */
export function readableProcKallsyms(): string | null {
  try {
    const text = readFileSync('/proc/kallsyms', 'utf8');
    return /^0+ /m.test(text.slice(0, 200)) ? null : text;
  } catch {
    return null;
  }
}

/**
 * Synthetic kallsyms text for symbol-table tests: aliases at one address (text, weak, `_`),
 * module symbols, an absolute and a zero address, a CR line end, a long (Rust-style) name, junk.
 */
export const SYNTHETIC_KALLSYMS = [
  'ffffffff81e42650 T sk_skb_reason_drop',
  'ffffffff81000000 T _text',
  'ffffffff81e42640 t __pfx_sk_skb_reason_drop',
  'ffffffff81e42650 t _alias_first',
  'ffffffff81e42650 W weak_alias',
  'ffffffffc0001000 t helper\t[nf_tables]',
  'ffffffffc0001000 t helper_twin\t[nf_tables]',
  '0000000000000000 A fixed_percpu_data',
  'ffffffff82000000 D some_data',
  'ffffffff82000010 A absolute_one',
  'ffffffff83000000 t crlf_name\r',
  `ffffffff84000000 T _RNvMs_long_rust_symbol_${'x'.repeat(300)}`,
  'ffffffff84000100 T short_after_long',
  'not a kallsyms line',
  '12345678901234567 T too_many_digits',
  '',
].join('\n');
