import { describe, expect, it } from 'vitest';
import {
  AddressCache,
  buildIdFromNotes,
  chooseKernelSymbols,
  type MachineKernel,
} from '../../../../main/ingest/traceDat/KernelSymbols';
import { ByteWriter, KALLSYMS } from './traceDatBuilder';

const BUILD_ID = '85c7e4e2ed76f4417e8aaad7c6b040d2bb897a26';

function notes(littleEndian: boolean): Uint8Array {
  const writer = new ByteWriter(littleEndian);
  // A Xen note first, then the GNU build id (type 3).
  writer.u32(4).u32(4).u32(18).bytes(Buffer.from('Xen\0')).u32(1);
  writer.u32(4).u32(20).u32(3).bytes(Buffer.from('GNU\0')).bytes(Buffer.from(BUILD_ID, 'hex'));
  return writer.done();
}

function machine(release: string, buildId: string | null, kallsyms = KALLSYMS): MachineKernel {
  return {
    release: () => release,
    buildId: () => Promise.resolve(buildId),
    kallsyms: () => Promise.resolve(kallsyms),
  };
}

describe('buildIdFromNotes', () => {
  it('finds the GNU build id note in either byte order', () => {
    expect(buildIdFromNotes(notes(true), true)).toBe(BUILD_ID);
    expect(buildIdFromNotes(notes(false), false)).toBe(BUILD_ID);
  });

  it('returns null when there is no build id note', () => {
    expect(buildIdFromNotes(new Uint8Array(8), true)).toBeNull();
  });
});

describe('chooseKernelSymbols', () => {
  const trace = { release: '6.18.44-fc-v595', buildId: BUILD_ID };
  const what = 'locations';

  it('uses the user symbolizer first', async () => {
    const user = (): string => 'x+0x1';
    const choice = await chooseKernelSymbols({
      user,
      savedKallsyms: KALLSYMS,
      trace,
      what,
      machine: machine('other', null),
    });
    expect(choice.symbolize).toBe(user);
    expect(choice.warning).toBeNull();
  });

  it("uses the trace's saved kallsyms next", async () => {
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: KALLSYMS,
      trace,
      what,
      machine: machine('other', null),
    });
    expect(choice.symbolize?.('0xffffffff820e9091')).toBe('ip6_pkt_discard+0x11');
    expect(choice.source).toMatch(/saved kallsyms/);
  });

  it("uses this machine's /proc/kallsyms when release and build id match", async () => {
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: null,
      trace,
      what,
      machine: machine(trace.release, BUILD_ID),
    });
    expect(choice.symbolize?.('0xffffffff820e9091')).toBe('ip6_pkt_discard+0x11');
    expect(choice.warning).toBeNull();
  });

  it('keeps addresses and says why when the release differs', async () => {
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: null,
      trace,
      what,
      machine: machine('6.18.44-fc-v782', BUILD_ID),
    });
    expect(choice.symbolize).toBeNull();
    expect(choice.warning).toBe(
      "locations are shown as addresses: no --kallsyms given and the trace's kernel 6.18.44-fc-v595 differs from this machine's 6.18.44-fc-v782",
    );
  });

  it('keeps addresses when the build id differs', async () => {
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: null,
      trace,
      what,
      machine: machine(trace.release, 'ffff'),
    });
    expect(choice.warning).toMatch(/build id .* differs from this machine's ffff/);
  });

  it('keeps addresses when /proc/kallsyms hides them', async () => {
    const hidden = '0000000000000000 T a\n';
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: null,
      trace,
      what,
      machine: machine(trace.release, BUILD_ID, hidden),
    });
    expect(choice.warning).toMatch(/hides the addresses/);
  });

  it('keeps addresses when the trace does not name its kernel', async () => {
    const choice = await chooseKernelSymbols({
      user: null,
      savedKallsyms: null,
      trace: { release: null, buildId: null },
      what,
      machine: machine('x', null),
    });
    expect(choice.warning).toMatch(/does not say which kernel/);
  });
});

describe('AddressCache', () => {
  it('renders each distinct address once and numbers it', () => {
    let renders = 0;
    const cache = new AddressCache(
      (high, low) => `${++renders}:${high.toString(16)}:${low.toString(16)}`,
    );
    const first = cache.id(0xffffffff, 0x81000000);
    expect(cache.id(0xffffffff, 0x81000000)).toBe(first);
    expect(cache.get(0xffff8881, 0x81000000)).toBe('2:ffff8881:81000000');
    expect(cache.get(0xffffffff, 0x81000000)).toBe('1:ffffffff:81000000');
    expect(renders).toBe(2);
  });
});
