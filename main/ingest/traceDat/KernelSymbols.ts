/**
 * Turning kernel addresses of a binary trace (`location`, callchain frames) into `sym+0xoff`,
 * and deciding which symbol table may be trusted for that.
 *
 * In order: the user's `--kallsyms`; the kallsyms saved inside the trace (trace.dat); this
 * machine's /proc/kallsyms, but only when the trace was recorded on this very kernel (same
 * `uname -r`, and the same build id when the trace names one); otherwise addresses stay raw and
 * one warning says why. `AddressCache` makes each distinct address cost one lookup per load.
 */
import { readFile } from 'node:fs/promises';
import { endianness, release as machineRelease } from 'node:os';
import type { Symbolizer } from '../IngestSink';
import { hexAddress } from './ByteReader';
import { KallsymsIndex } from './KallsymsIndex';

/**
 * Strings for 64-bit addresses given as 32-bit halves, each made once and numbered: `id` gives
 * the number (what queues store), `strings[id]` the string.
 */
export class AddressCache {
  readonly strings: string[] = [];
  private readonly byHigh = new Map<number, Map<number, number>>();
  // A direct-mapped memo in front of the maps: most lookups repeat a recent address.
  private readonly memoHigh = new Uint32Array(MEMO_SLOTS);
  private readonly memoLow = new Uint32Array(MEMO_SLOTS);
  private readonly memoId = new Int32Array(MEMO_SLOTS).fill(-1);

  /** `render` makes the string of an address the first time it is seen. */
  constructor(private readonly render: (high: number, low: number) => string) {}

  /** The id of the address `high:low`. O(1) amortised, no allocation after the first time. */
  id(high: number, low: number): number {
    const slot = (low ^ (low >>> 11) ^ (low >>> 22)) & (MEMO_SLOTS - 1);
    const memo = this.memoId[slot] as number;
    if (memo >= 0 && this.memoLow[slot] === low && this.memoHigh[slot] === high) return memo;
    let inner = this.byHigh.get(high);
    if (inner === undefined) {
      inner = new Map();
      this.byHigh.set(high, inner);
    }
    let id = inner.get(low);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(this.render(high, low));
      inner.set(low, id);
    }
    this.memoHigh[slot] = high;
    this.memoLow[slot] = low;
    this.memoId[slot] = id;
    return id;
  }

  /** The string of the address `high:low`. */
  get(high: number, low: number): string {
    return this.strings[this.id(high, low)] as string;
  }
}

const MEMO_SLOTS = 4096;

/** A renderer: symbolized when `symbolize` knows the address, else `0x…`. */
export function addressRenderer(
  symbolize: Symbolizer | null,
): (high: number, low: number) => string {
  if (!symbolize) return hexAddress;
  return (high, low) => {
    const address = hexAddress(high, low);
    return symbolize(address) ?? address;
  };
}

/** What the trace says about the kernel that recorded it. */
export interface TraceKernelIdentity {
  /** `uname -r` of the recording machine; null when the trace does not say. */
  release: string | null;
  /** Build id of `[kernel.kallsyms]` (perf BUILD_ID feature), lower-case hex; null when absent. */
  buildId: string | null;
}

/** The chosen symbolizer and, when there is none, the one warning that explains why. */
export interface KernelSymbolChoice {
  symbolize: Symbolizer | null;
  /** Where the symbols come from (`--kallsyms`, `the trace's saved kallsyms`, `/proc/kallsyms`). */
  source: string | null;
  warning: string | null;
}

/** Reads the GNU build id note from an ELF notes blob (/sys/kernel/notes); null when absent. */
export function buildIdFromNotes(
  notes: Uint8Array,
  littleEndian = endianness() === 'LE',
): string | null {
  const view = new DataView(notes.buffer, notes.byteOffset, notes.byteLength);
  const align = (n: number): number => (n + 3) & ~3;
  let pos = 0;
  while (pos + 12 <= notes.length) {
    const nameBytes = view.getUint32(pos, littleEndian);
    const descBytes = view.getUint32(pos + 4, littleEndian);
    const type = view.getUint32(pos + 8, littleEndian);
    const nameStart = pos + 12;
    const descStart = nameStart + align(nameBytes);
    if (descStart + descBytes > notes.length) return null;
    const name = Buffer.from(notes.subarray(nameStart, nameStart + nameBytes)).toString('latin1');
    if (type === 3 && name.replace(/\0+$/, '') === 'GNU') {
      return Buffer.from(notes.subarray(descStart, descStart + descBytes)).toString('hex');
    }
    pos = descStart + align(descBytes);
  }
  return null;
}

/** Where the running machine's kernel facts are read; tests replace it. */
export interface MachineKernel {
  release(): string;
  buildId(): Promise<string | null>;
  kallsyms(): Promise<string>;
}

/** The real machine: node:os release(), /sys/kernel/notes, /proc/kallsyms. */
export const LOCAL_MACHINE: MachineKernel = {
  release: () => machineRelease(),
  buildId: async () => {
    try {
      return buildIdFromNotes(new Uint8Array(await readFile('/sys/kernel/notes')));
    } catch {
      return null;
    }
  },
  kallsyms: () => readFile('/proc/kallsyms', 'utf8'),
};

function fromKallsyms(text: string): Symbolizer | null {
  const index = KallsymsIndex.build(text);
  if (index.size === 0) return null;
  return (address) => index.symbolize(address);
}

/**
 * Picks the symbol table for a trace's kernel addresses (see the file overview). `what` names
 * the addresses in the warning (`locations`, `locations and callchain frames`).
 */
export async function chooseKernelSymbols(input: {
  user: Symbolizer | null;
  savedKallsyms: string | null;
  trace: TraceKernelIdentity;
  what: string;
  machine?: MachineKernel;
}): Promise<KernelSymbolChoice> {
  if (input.user) return { symbolize: input.user, source: '--kallsyms', warning: null };
  if (input.savedKallsyms) {
    const saved = fromKallsyms(input.savedKallsyms);
    if (saved) return { symbolize: saved, source: "the trace's saved kallsyms", warning: null };
  }
  const machine = input.machine ?? LOCAL_MACHINE;
  const raw = (why: string): KernelSymbolChoice => ({
    symbolize: null,
    source: null,
    warning: `${input.what} are shown as addresses: no --kallsyms given and ${why}`,
  });
  const traceRelease = input.trace.release;
  const here = machine.release();
  if (!traceRelease) return raw('the trace does not say which kernel recorded it');
  if (traceRelease !== here) {
    return raw(`the trace's kernel ${traceRelease} differs from this machine's ${here}`);
  }
  if (input.trace.buildId) {
    const hereId = await machine.buildId();
    if (!hereId)
      return raw(`this machine's kernel build id cannot be read to confirm it is the trace's`);
    if (!hereId.startsWith(input.trace.buildId) && !input.trace.buildId.startsWith(hereId)) {
      return raw(
        `the trace's kernel build id ${input.trace.buildId} differs from this machine's ${hereId}`,
      );
    }
  }
  let text: string;
  try {
    text = await machine.kallsyms();
  } catch (error) {
    return raw(`this machine's /proc/kallsyms cannot be read (${(error as Error).message})`);
  }
  const local = fromKallsyms(text);
  if (!local) return raw("this machine's /proc/kallsyms hides the addresses (read it as root)");
  return { symbolize: local, source: `/proc/kallsyms (same kernel ${here})`, warning: null };
}
