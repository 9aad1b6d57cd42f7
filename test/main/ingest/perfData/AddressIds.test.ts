import { describe, expect, it } from 'vitest';
import { AddressIds } from '../../../../main/ingest/perfData/AddressIds';
import { hexAddress } from '../../../../main/ingest/traceDat/ByteReader';

describe('AddressIds', () => {
  it('numbers addresses densely in first-seen order and renders each once', () => {
    let renders = 0;
    const ids = new AddressIds((high, low) => {
      renders++;
      return hexAddress(high, low);
    });
    expect(ids.id(0xffff8881, 0x0adc8100)).toBe(0);
    expect(ids.id(0xffffffff, 0x820e9091)).toBe(1);
    expect(ids.id(0xffff8881, 0x0adc8100)).toBe(0);
    expect(ids.strings).toEqual(['0xffff88810adc8100', '0xffffffff820e9091']);
    expect(renders).toBe(2);
  });

  it('takes the halves signed or unsigned (as DataView.getInt32 or getUint32 reads them)', () => {
    const ids = new AddressIds(hexAddress);
    const id = ids.id(0xffff8881 | 0, 0x8adc8100 | 0);
    expect(ids.id(0xffff8881, 0x8adc8100)).toBe(id);
    expect(ids.get(0xffff8881, 0x8adc8100)).toBe('0xffff88818adc8100');
  });

  it('keeps every id while it grows, for addresses that differ in either half', () => {
    const ids = new AddressIds(hexAddress);
    for (let i = 0; i < 5000; i++) {
      expect(ids.id(0xffff8881, i * 0x100)).toBe(2 * i);
      expect(ids.id(0xffff8882 + i, 0)).toBe(2 * i + 1);
    }
    for (let i = 0; i < 5000; i += 7) {
      expect(ids.id(0xffff8881, i * 0x100)).toBe(2 * i);
      expect(ids.get(0xffff8882 + i, 0)).toBe(hexAddress(0xffff8882 + i, 0));
    }
    expect(ids.strings).toHaveLength(10000);
  });

  it('renders the addresses seen so far and the next ones again with another renderer', () => {
    const ids = new AddressIds(hexAddress);
    ids.id(0xffffffff, 0x820e9091);
    ids.renderWith(
      (high, low) => `sym+0x${(low - 0x820e9080).toString(16)} (${high.toString(16)})`,
    );
    ids.id(0xffffffff, 0x820e9099);
    expect(ids.strings).toEqual(['sym+0x11 (ffffffff)', 'sym+0x19 (ffffffff)']);
  });
});
