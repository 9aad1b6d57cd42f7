/**
 * The perf.data file header (tools/perf/Documentation/perf.data-file-format.txt):
 *
 *   magic `PERFILE2` (a little-endian writer) or `2ELIFREP` (big-endian), u64 header size,
 *   u64 attr entry size, sections {offset, size} for attrs, data and event types, and a 256-bit
 *   feature bitmap. Pipe mode (`perf record -o -`) has only magic and a header size of 16; its
 *   attrs and features come as records in the stream.
 *
 * The attrs section holds entries of `attr_size` bytes: a perf_event_attr followed by a
 * section pointing at the attr's u64 ids. The feature sections' index (one {offset, size} per
 * set bit, in bit order) follows the data section.
 */
import type { Result } from '../../../shared/util';
import { err, ok } from '../../../shared/util';
import type { BinaryFile } from '../traceDat/BinaryFile';
import { ByteReader, TruncatedError } from '../traceDat/ByteReader';
import { readPerfEventAttr, type PerfEventAttr } from './PerfEventAttr';

/** A {offset, size} pointer into the file. */
export interface FileSection {
  offset: number;
  size: number;
}

/** The parsed header. */
export interface PerfFileHeader {
  littleEndian: boolean;
  /** Pipe mode: no sections; everything is in the record stream after the 16-byte header. */
  pipe: boolean;
  headerBytes: number;
  attrEntryBytes: number;
  attrs: FileSection;
  data: FileSection;
  /** Feature bits set (1 = tracing data, 2 = build id, 3 = hostname …), ascending. */
  features: number[];
}

/** Header bytes read to recognise the file (a full header is 104). */
export const PERF_HEADER_BYTES = 104;
const PIPE_HEADER_BYTES = 16;

/** Reads the header from the file's first bytes. Fails with a message when it is not valid. */
export function parsePerfFileHeader(head: Uint8Array, fileBytes: number): Result<PerfFileHeader> {
  const magic = Buffer.from(head.subarray(0, 8)).toString('latin1');
  let littleEndian: boolean;
  if (magic === 'PERFILE2') littleEndian = true;
  else if (magic === '2ELIFREP') littleEndian = false;
  else if (magic === 'PERFFILE')
    return err('perf.data version 1 (magic PERFFILE) is not supported');
  else return err('not a perf.data file (bad magic)');
  if (head.length < PIPE_HEADER_BYTES) return err('the file ends inside its header');
  const reader = new ByteReader(head, littleEndian, 8);
  const headerBytes = reader.u64();
  if (headerBytes === PIPE_HEADER_BYTES) {
    return ok({
      littleEndian,
      pipe: true,
      headerBytes,
      attrEntryBytes: 0,
      attrs: { offset: 0, size: 0 },
      data: { offset: PIPE_HEADER_BYTES, size: Math.max(0, fileBytes - PIPE_HEADER_BYTES) },
      features: [],
    });
  }
  if (headerBytes < PERF_HEADER_BYTES || head.length < PERF_HEADER_BYTES) {
    return err(
      `corrupt perf.data header (header size ${headerBytes}, ${head.length} bytes available)`,
    );
  }
  const attrEntryBytes = reader.u64();
  const section = (): FileSection => ({ offset: reader.u64(), size: reader.u64() });
  const attrs = section();
  const data = section();
  section(); // event_types: obsolete
  const features: number[] = [];
  for (let word = 0; word < 4; word++) {
    const value = reader.u64n();
    for (let bit = 0; bit < 64; bit++)
      if ((value >> BigInt(bit)) & 1n) features.push(word * 64 + bit);
  }
  if (attrEntryBytes < 64 || attrs.offset < headerBytes || data.offset < headerBytes) {
    return err(
      `corrupt perf.data header (attr entry ${attrEntryBytes} bytes, attrs at byte ${attrs.offset}, data at byte ${data.offset})`,
    );
  }
  if (attrs.offset + attrs.size > fileBytes || data.offset > fileBytes) {
    return err(
      `the file ends at byte ${fileBytes}, before its data section (byte ${data.offset}): no events to read`,
    );
  }
  return ok({ littleEndian, pipe: false, headerBytes, attrEntryBytes, attrs, data, features });
}

/** One attr of the attrs section with its ids. */
export interface PerfAttrEntry {
  attr: PerfEventAttr;
  ids: number[];
}

/**
 * Reads the attrs section and each attr's ids. Throws `TruncatedError` (or an Error) when the
 * section or an ids array lies beyond the end of the file.
 */
export async function readAttrsSection(
  file: BinaryFile,
  header: PerfFileHeader,
): Promise<PerfAttrEntry[]> {
  const bytes = await file.read(header.attrs.offset, header.attrs.size);
  if (bytes.length < header.attrs.size)
    throw new TruncatedError('the attrs section', header.attrs.offset);
  const reader = new ByteReader(bytes, header.littleEndian);
  const entries: PerfAttrEntry[] = [];
  const count = Math.floor(header.attrs.size / header.attrEntryBytes);
  for (let i = 0; i < count; i++) {
    reader.pos = i * header.attrEntryBytes;
    const attr = readPerfEventAttr(reader, header.attrEntryBytes - 16);
    const idsOffset = reader.u64();
    const idsSize = reader.u64();
    const raw = await file.read(idsOffset, idsSize);
    if (raw.length < idsSize) throw new TruncatedError(`the ids of attr ${i + 1}`, idsOffset);
    const idReader = new ByteReader(raw, header.littleEndian);
    const ids: number[] = [];
    while (idReader.remaining >= 8) ids.push(idReader.u64());
    entries.push({ attr, ids });
  }
  return entries;
}

/**
 * Reads the feature index after the data section: feature bit → section. Missing entries (the
 * file ends early) are left out; `complete` says whether all were found.
 */
export async function readFeatureIndex(
  file: BinaryFile,
  header: PerfFileHeader,
): Promise<{ sections: Map<number, FileSection>; complete: boolean }> {
  const sections = new Map<number, FileSection>();
  const wanted = header.features.filter((bit) => bit > 0);
  const start = header.data.offset + header.data.size;
  const bytes = await file.read(start, wanted.length * 16);
  const reader = new ByteReader(bytes, header.littleEndian);
  for (const bit of wanted) {
    if (reader.remaining < 16) return { sections, complete: false };
    const offset = reader.u64();
    const size = reader.u64();
    if (offset + size <= file.size) sections.set(bit, { offset, size });
  }
  return { sections, complete: sections.size === wanted.length };
}
