/**
 * Builds small raw BTF blobs for tests, in either byte order, with any mix of type kinds.
 */

/** One type record: kind number, name, vlen, kind_flag, size/type word and extra u32 words. */
export interface BtfTypeSpec {
  kind: number;
  name?: string;
  vlen?: number;
  kindFlag?: boolean;
  sizeOrType?: number;
  /** Kind-specific data as u32 words; strings given as `{ name }` become string offsets. */
  extra?: (number | { name: string })[];
}

/** An enum (kind 6) with members `[name, value]`. */
export function enumType(name: string, members: [string, number][], signed = false): BtfTypeSpec {
  return {
    kind: 6,
    name,
    vlen: members.length,
    kindFlag: signed,
    sizeOrType: 4,
    extra: members.flatMap(([member, value]) => [{ name: member }, value >>> 0]),
  };
}

/** Serialises types into a BTF blob (header, type section, string section). */
export function buildBtf(types: BtfTypeSpec[], littleEndian = true): Uint8Array {
  const strings: string[] = [''];
  const offsets = new Map<string, number>([['', 0]]);
  let stringSize = 1;
  const offsetOf = (name: string): number => {
    let offset = offsets.get(name);
    if (offset === undefined) {
      offset = stringSize;
      offsets.set(name, offset);
      strings.push(name);
      stringSize += Buffer.byteLength(name) + 1;
    }
    return offset;
  };
  const words: number[] = [];
  for (const type of types) {
    const info =
      ((type.kindFlag ? 1 : 0) << 31) | ((type.kind & 0x1f) << 24) | ((type.vlen ?? 0) & 0xffff);
    words.push(offsetOf(type.name ?? ''), info >>> 0, type.sizeOrType ?? 0);
    for (const word of type.extra ?? [])
      words.push(typeof word === 'number' ? word : offsetOf(word.name));
  }
  const typeLength = words.length * 4;
  const stringBytes = Buffer.from(strings.map((s) => `${s}\0`).join(''), 'utf8');
  const bytes = new Uint8Array(24 + typeLength + stringBytes.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xeb9f, littleEndian);
  view.setUint8(2, 1);
  view.setUint8(3, 0);
  view.setUint32(4, 24, littleEndian);
  view.setUint32(8, 0, littleEndian);
  view.setUint32(12, typeLength, littleEndian);
  view.setUint32(16, typeLength, littleEndian);
  view.setUint32(20, stringBytes.length, littleEndian);
  words.forEach((word, index) => view.setUint32(24 + index * 4, word >>> 0, littleEndian));
  bytes.set(stringBytes, 24 + typeLength);
  return bytes;
}
