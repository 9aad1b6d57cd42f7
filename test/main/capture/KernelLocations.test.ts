import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KernelLocations,
  loadModuleSymbols,
  parseModuleSymbols,
} from '../../../main/capture/KernelLocations';
import { Kallsyms } from '../../../main/kernel';

const KALLSYMS = [
  'ffffffff81000000 T _text',
  'ffffffff820f0000 T tcp_v4_rcv',
  'ffffffffc0025640 t bpf_dispatcher_xdp\t[bpf]',
  'ffffffffc0a10000 t nft_do_chain\t[nf_tables]',
  'ffffffffc0a20000 t br_handle_frame\t[bridge]',
].join('\n');

function split(address: bigint): [number, number] {
  return [Number(address >> 32n), Number(address & 0xffffffffn)];
}

describe('parseModuleSymbols', () => {
  it('maps the addresses of module symbols to their module, leaving out [bpf]', () => {
    expect(parseModuleSymbols(KALLSYMS)).toEqual(
      new Map([
        ['ffffffffc0a10000', 'nf_tables'],
        ['ffffffffc0a20000', 'bridge'],
      ]),
    );
  });
});

describe('loadModuleSymbols', () => {
  it('reads nothing when /proc/modules lists no module', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'dropscope-modules-'));
    writeFileSync(join(proc, 'modules'), '');
    writeFileSync(join(proc, 'kallsyms'), KALLSYMS);
    expect(await loadModuleSymbols(proc)).toBeNull();
    mkdirSync(join(proc, 'empty'));
    expect(await loadModuleSymbols(join(proc, 'empty'))).toBeNull();
  });

  it('reads the module symbols of kallsyms when modules are loaded', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'dropscope-modules-'));
    writeFileSync(join(proc, 'modules'), 'nf_tables 372736 0 - Live 0xffffffffc0a10000\n');
    writeFileSync(join(proc, 'kallsyms'), KALLSYMS);
    expect((await loadModuleSymbols(proc))?.get('ffffffffc0a10000')).toBe('nf_tables');
  });
});

describe('KernelLocations', () => {
  const kallsyms = Kallsyms.parse(KALLSYMS);

  it('gives sym+0xoff as %pS does (without the size), symbolizing each address once', () => {
    let calls = 0;
    const locations = new KernelLocations((address) => {
      calls++;
      return kallsyms.symbolize(address);
    }, parseModuleSymbols(KALLSYMS));
    const core = locations.id(...split(0xffffffff820f0091n));
    expect(locations.id(...split(0xffffffff820f0091n))).toBe(core);
    expect(locations.name(core)).toBe('tcp_v4_rcv+0x91');
    expect(locations.module(core)).toBeNull();
    expect(calls).toBe(1);
  });

  it('names the module of module code, as the text trace_pipe prints [module]', () => {
    const locations = new KernelLocations(
      (address) => kallsyms.symbolize(address),
      parseModuleSymbols(KALLSYMS),
    );
    const id = locations.id(...split(0xffffffffc0a1004cn));
    expect(locations.name(id)).toBe('nft_do_chain+0x4c');
    expect(locations.module(id)).toBe('nf_tables');
    const bpf = locations.id(...split(0xffffffffc0025650n));
    expect(locations.module(bpf)).toBeNull();
  });

  it('keeps an address no symbol covers as 0x…', () => {
    const locations = new KernelLocations(() => null, null);
    const id = locations.id(...split(0xffffffff81234567n));
    expect(locations.name(id)).toBe('0xffffffff81234567');
    expect(locations.module(id)).toBeNull();
  });
});
