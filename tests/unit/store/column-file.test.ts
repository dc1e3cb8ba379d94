import { describe, expect, it } from 'vitest';
import { column, decodeColumns, decodeStrings, encodeColumns, encodeStrings, stringAt } from '../../../src/store/column-file';

describe('column file', () => {
  it('reads back every column with its type and values, each viewed on an aligned offset', () => {
    const columns = {
      bytes: Uint8Array.of(1, 2, 3),
      shorts: Uint16Array.of(65535, 0, 7),
      ints: Int32Array.of(-5, 2147483647),
      uints: Uint32Array.of(0, 4294967295),
      floats: Float32Array.of(0.5, -1.25),
      doubles: Float64Array.of(Math.PI, -0),
      empty: new Uint32Array(0),
    };
    const back = decodeColumns(encodeColumns(columns));
    expect(Object.keys(back)).toEqual(Object.keys(columns));
    for (const [name, values] of Object.entries(columns)) {
      const c = back[name]!;
      expect(c.constructor).toBe(values.constructor);
      expect(Array.from(c)).toEqual(Array.from(values));
      expect(c.byteOffset % 8).toBe(0);
    }
    expect(() => column(back, 'ints', 'u32')).toThrow(/ints/);
    expect(() => column(back, 'missing', 'u8')).toThrow(/missing/);
  });

  it('decodes from an unaligned buffer by copying it', () => {
    const encoded = encodeColumns({ d: Float64Array.of(1.5, 2.5) });
    const shifted = Buffer.alloc(encoded.byteLength + 3);
    encoded.copy(shifted, 3);
    expect(Array.from(decodeColumns(shifted.subarray(3)).d!)).toEqual([1.5, 2.5]);
  });

  it('rejects bytes that are not a column file or are cut short', () => {
    expect(() => decodeColumns(Buffer.from('{"not": "columns"}'))).toThrow(/not a column file/);
    const encoded = encodeColumns({ big: new Float64Array(100) });
    expect(() => decodeColumns(encoded.subarray(0, encoded.byteLength - 8))).toThrow(/past the end/);
  });

  it('packs strings, including non-ASCII and empty ones, into one buffer with offsets', () => {
    const values = ['Pokrovsk', '', 'Покровськ', 'naïve — “quoted”', '🚀 launch'];
    const packed = encodeStrings(values);
    expect(packed.offsets.length).toBe(values.length + 1);
    expect(decodeStrings(packed)).toEqual(values);
    expect(stringAt(packed, 2)).toBe('Покровськ');
  });
});
