/**
 * Turning kernel addresses of a binary trace (`location`, callchain frames) into `sym+0xoff`,
 * and deciding which symbol table may be trusted for that.
 *
 * In order: the user's `--kallsyms`; the kallsyms saved inside the trace (trace.dat); this
 * machine's /proc/kallsyms, but only when the trace was recorded on this very kernel (same
 * `uname -r`, and the same build id when the trace names one); otherwise addresses stay raw and
 * one warning says why. `AddressCache` makes each distinct address cost one lookup per load.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { endianness, release as machineRelease } from 'node:os';
import type { Symbolizer } from '../IngestSink';
import { hexAddress } from './ByteReader';
import { KallsymsIndex } from './KallsymsIndex';
import { KallsymsResolver } from './KallsymsResolver';

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
  /**
   * Streams the kallsyms text to `consume` in chunks (each valid only during the call), without
   * holding it whole; absent: `kallsyms()` is read instead.
   */
  streamKallsyms?(consume: (bytes: Uint8Array, length: number) => void): Promise<void>;
}

/** Bytes read at a time from /proc/kallsyms (one buffer, reused). */
const KALLSYMS_READ_BYTES = 1 << 18;

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
  // Read synchronously: the kernel makes the text as it is read, and on the 2-vCPU build VM a
  // pass of readSync took 27 ms where the same reads through FileHandle.read took 80 ms, most
  // of it waiting. (Reading it on a worker thread during the decoding did not make loads
  // faster there.) Callers run off the UI thread (the engine's worker).
  streamKallsyms: (consume) =>
    new Promise<void>((resolve) => {
      const fd = openSync('/proc/kallsyms', 'r');
      try {
        const buffer = new Uint8Array(KALLSYMS_READ_BYTES);
        for (;;) {
          const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          consume(buffer, bytesRead);
        }
      } finally {
        closeSync(fd);
      }
      resolve();
    }),
};

function fromKallsyms(text: string): Symbolizer | null {
  const index = KallsymsIndex.build(text);
  if (index.size === 0) return null;
  return (address) => index.symbolize(address);
}

/** What `chooseKernelSymbols` is given. */
export interface KernelSymbolInput {
  user: Symbolizer | null;
  savedKallsyms: string | null;
  trace: TraceKernelIdentity;
  /** Names the addresses in the warning (`locations`, `locations and callchain frames`). */
  what: string;
  machine?: MachineKernel;
}

/**
 * The choice before any kallsyms is read: settled (`choice`), or this machine's kallsyms, which
 * matches the trace's kernel and is still to be read (`machine`).
 */
export type KernelSymbolPlan =
  | { kind: 'settled'; choice: KernelSymbolChoice }
  | { kind: 'machine'; machine: MachineKernel; release: string; what: string };

function rawChoice(what: string, why: string): KernelSymbolChoice {
  return {
    symbolize: null,
    source: null,
    warning: `${what} are shown as addresses: no --kallsyms given and ${why}`,
  };
}

const HIDDEN = "this machine's /proc/kallsyms hides the addresses (read it as root)";
const unreadable = (error: unknown): string =>
  `this machine's /proc/kallsyms cannot be read (${(error as Error).message})`;
const machineSource = (release: string): string => `/proc/kallsyms (same kernel ${release})`;

/**
 * Decides where a trace's kernel addresses get their symbols (see the file overview), reading
 * everything but this machine's kallsyms.
 */
export async function planKernelSymbols(input: KernelSymbolInput): Promise<KernelSymbolPlan> {
  const settled = (choice: KernelSymbolChoice): KernelSymbolPlan => ({ kind: 'settled', choice });
  if (input.user) return settled({ symbolize: input.user, source: '--kallsyms', warning: null });
  if (input.savedKallsyms) {
    const saved = fromKallsyms(input.savedKallsyms);
    if (saved)
      return settled({ symbolize: saved, source: "the trace's saved kallsyms", warning: null });
  }
  const machine = input.machine ?? LOCAL_MACHINE;
  const raw = (why: string): KernelSymbolPlan => settled(rawChoice(input.what, why));
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
  return { kind: 'machine', machine, release: here, what: input.what };
}

/**
 * Picks the symbol table for a trace's kernel addresses (see the file overview), reading and
 * indexing this machine's kallsyms whole when it is the one: for addresses not known yet.
 */
export async function chooseKernelSymbols(input: KernelSymbolInput): Promise<KernelSymbolChoice> {
  const plan = await planKernelSymbols(input);
  if (plan.kind === 'settled') return plan.choice;
  let text: string;
  try {
    text = await plan.machine.kallsyms();
  } catch (error) {
    return rawChoice(plan.what, unreadable(error));
  }
  const local = fromKallsyms(text);
  if (!local) return rawChoice(plan.what, HIDDEN);
  return { symbolize: local, source: machineSource(plan.release), warning: null };
}

/** Symbols of known addresses from this machine's kallsyms (`KallsymsResolver`). */
export interface ResolvedSymbols {
  /** `sym+0xoff` of the k-th address, null when no symbol covers it; null when none could be read. */
  symbols: (string | null)[] | null;
  source: string | null;
  warning: string | null;
}

/**
 * Symbolizes the addresses `high[k]:low[k]` (unsigned halves) with the machine's kallsyms of a
 * `machine` plan in one streaming pass, the table never held whole: for a trace whose code
 * addresses are all known once it is read. O(kallsyms lines × log addresses).
 */
export async function resolveWithMachineKallsyms(
  plan: Extract<KernelSymbolPlan, { kind: 'machine' }>,
  high: ArrayLike<number>,
  low: ArrayLike<number>,
): Promise<ResolvedSymbols> {
  const resolver = new KallsymsResolver(high, low);
  try {
    if (plan.machine.streamKallsyms)
      await plan.machine.streamKallsyms((bytes, length) => resolver.feed(bytes, length));
    else resolver.feed(new TextEncoder().encode(await plan.machine.kallsyms()));
    resolver.finish();
  } catch (error) {
    return {
      symbols: null,
      source: null,
      warning: rawChoice(plan.what, unreadable(error)).warning,
    };
  }
  if (resolver.symbols === 0)
    return { symbols: null, source: null, warning: rawChoice(plan.what, HIDDEN).warning };
  return {
    symbols: Array.from({ length: high.length }, (_, k) => resolver.symbolOf(k)),
    source: machineSource(plan.release),
    warning: null,
  };
}
