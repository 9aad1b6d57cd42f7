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
