import { describe, expect, it } from 'vitest';
import { parsePerfFileHeader } from '../../../../main/ingest/perfData/PerfFileHeader';
import { readPerfEventAttr, sampleLayout } from '../../../../main/ingest/perfData/PerfEventAttr';
import { ByteReader } from '../../../../main/ingest/traceDat/ByteReader';
import { ByteWriter } from '../traceDat/traceDatBuilder';
import { KFREE_SAMPLE_TYPE, perfAttr } from './perfDataBuilder';

function header(le: boolean, features: number[]): Uint8Array {
  const w = new ByteWriter(le);
  w.bytes(Buffer.from(le ? 'PERFILE2' : '2ELIFREP', 'latin1'))
    .u64(104)
    .u64(144);
  w.u64(136).u64(288).u64(424).u64(316888).u64(0).u64(0);
  const words = [0n, 0n, 0n, 0n];
  for (const bit of features) words[bit >> 6] = (words[bit >> 6] ?? 0n) | (1n << BigInt(bit & 63));
  for (const word of words) w.u64(word);
  return w.done();
}

describe('parsePerfFileHeader', () => {
  for (const le of [true, false]) {
    it(`reads a ${le ? 'little' : 'big'}-endian header: sections and feature bits`, () => {
      const result = parsePerfFileHeader(header(le, [1, 2, 3, 4, 12, 29, 70, 200]), 1 << 20);
      expect(result).toEqual({
        ok: true,
        value: {
          littleEndian: le,
          pipe: false,
          headerBytes: 104,
          attrEntryBytes: 144,
          attrs: { offset: 136, size: 288 },
          data: { offset: 424, size: 316888 },
          features: [1, 2, 3, 4, 12, 29, 70, 200],
        },
      });
    });

    it(`recognises ${le ? 'little' : 'big'}-endian pipe mode by its 16-byte header`, () => {
      const bytes = new ByteWriter(le)
        .bytes(Buffer.from(le ? 'PERFILE2' : '2ELIFREP', 'latin1'))
        .u64(16)
        .done();
      const result = parsePerfFileHeader(bytes, 5000);
      expect(result.ok && result.value).toMatchObject({
        pipe: true,
        littleEndian: le,
        data: { offset: 16, size: 4984 },
      });
    });

    it(`reads a ${le ? 'little' : 'big'}-endian perf_event_attr, bitfield included`, () => {
      const bytes = perfAttr(le, {
        type: 2,
        config: 2310,
        sampleType: KFREE_SAMPLE_TYPE,
        freq: true,
        ids: [],
        name: '',
      });
      const attr = readPerfEventAttr(new ByteReader(bytes, le));
      expect(attr).toEqual({
        type: 2,
        config: 2310,
        samplePeriod: 1,
        sampleType: KFREE_SAMPLE_TYPE,
        readFormat: 0x14,
        freq: true,
        sampleIdAll: true,
      });
      expect(sampleLayout(attr)).toMatchObject({
        idWord: 0,
        readBytes: 24,
        trailerIdWordFromEnd: 1,
        trailerTimeWordFromEnd: 3,
      });
    });
  }

  it('refuses other files and version 1 clearly', () => {
    expect(parsePerfFileHeader(Buffer.from('PERFFILE00000000'), 16)).toEqual({
      ok: false,
      error: 'perf.data version 1 (magic PERFFILE) is not supported',
    });
    expect(parsePerfFileHeader(Buffer.from('hello world12345'), 16).ok).toBe(false);
  });

  it('fails on a header whose sections lie beyond the file', () => {
    const result = parsePerfFileHeader(header(true, []), 300);
    expect(!result.ok && result.error).toBe(
      'the file ends at byte 300, before its data section (byte 424): no events to read',
    );
  });
});
