/**
 * `location` strings for the raw code addresses of binary kfree_skb records, the same as the
 * text `trace_pipe` gives them.
 *
 * The kernel prints `location` with `%pS`: `sym+0xoff/0xsize`, and ` [module]` for module code;
 * the ftrace parser keeps `sym+0xoff` and puts the module in `extra.module`. Here the context's
 * kallsyms symbolizer (the one the perf backend uses) gives `sym+0xoff`, and the module comes
 * from the `[module]` symbols of /proc/kallsyms: the symbol `sym` starts at the address minus the
 * offset, and is a module symbol when kallsyms tags that address. Those symbols are read once per
 * capture, and only when /proc/modules lists a module (kernels without modules skip it). BPF
 * programs are tagged `[bpf]` in kallsyms but `%pS` prints no module for them, so neither does this.
 *
 * Each distinct address is symbolized once (`AddressCache`); an address no symbol covers stays
 * `0xffff…`, as `%pS` prints it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AddressCache, hexAddress, type Symbolizer } from '../ingest';

const OFFSET_SUFFIX = /\+0x([0-9a-f]+)$/i;

/**
 * The module symbols of a kallsyms text (`ffffffffc0a1e010 t nft_do_chain\t[nf_tables]`):
 * address (16 lower-case hex digits) → module. `[bpf]` symbols are left out. Pure.
 */
export function parseModuleSymbols(kallsyms: string): Map<string, string> {
  const modules = new Map<string, string>();
  let at = kallsyms.indexOf('\t[');
  while (at >= 0) {
    const lineStart = kallsyms.lastIndexOf('\n', at) + 1;
    const close = kallsyms.indexOf(']', at);
    const lineEnd = kallsyms.indexOf('\n', at);
    if (close > at && (lineEnd < 0 || close < lineEnd)) {
      const module = kallsyms.slice(at + 2, close);
      const space = kallsyms.indexOf(' ', lineStart);
      if (module !== 'bpf' && space > lineStart && space < at) {
        modules.set(kallsyms.slice(lineStart, space).toLowerCase().padStart(16, '0'), module);
      }
    }
    at = kallsyms.indexOf('\t[', at + 2);
  }
  return modules;
}

/**
 * The module symbols of the running kernel, or null when it has no modules loaded (or
 * /proc/modules, /proc/kallsyms cannot be read: then no location gets a module, as perf's don't).
 */
export async function loadModuleSymbols(procRoot = '/proc'): Promise<Map<string, string> | null> {
  try {
    const modules = await readFile(join(procRoot, 'modules'), 'utf8');
    if (modules.trim() === '') return null;
    const symbols = parseModuleSymbols(await readFile(join(procRoot, 'kallsyms'), 'utf8'));
    return symbols.size > 0 ? symbols : null;
  } catch {
    return null;
  }
}

/** Location strings and modules of code addresses; see the file overview. Not thread-safe. */
export class KernelLocations {
  private readonly cache: AddressCache;
  /** `extra.module` of each id's location; null for the core kernel. */
  private readonly modules: (string | null)[] = [];

  constructor(
    private readonly symbolize: Symbolizer,
    private readonly moduleSymbols: ReadonlyMap<string, string> | null,
  ) {
    this.cache = new AddressCache((high, low) => this.render(high, low));
  }

  /** The id of the address `high:low` (32-bit halves). O(1) after its first time. */
  id(high: number, low: number): number {
    return this.cache.id(high, low);
  }

  /** `sym+0xoff` (or `0x…` when no symbol covers it) of an id. */
  name(id: number): string {
    return this.cache.strings[id] as string;
  }

  /** The module of an id's location, null for core kernel code. */
  module(id: number): string | null {
    return this.modules[id] ?? null;
  }

  private render(high: number, low: number): string {
    const address = hexAddress(high, low);
    const symbol = this.symbolize(address) ?? address;
    // AddressCache renders each new address once, in id order: this push lines up with the id.
    this.modules.push(this.moduleOf(high, low, symbol));
    return symbol;
  }

  private moduleOf(high: number, low: number, symbol: string): string | null {
    const offset = this.moduleSymbols === null ? null : OFFSET_SUFFIX.exec(symbol);
    if (!offset?.[1]) return null;
    const start = ((BigInt(high) << 32n) | BigInt(low)) - BigInt(`0x${offset[1]}`);
    return this.moduleSymbols?.get(start.toString(16).padStart(16, '0')) ?? null;
  }
}
