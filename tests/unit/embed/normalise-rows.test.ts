import { Tensor } from '@xenova/transformers';
import { describe, expect, it } from 'vitest';
import { normaliseRows } from '../../../src/embed/normalise-rows';

describe('normaliseRows', () => {
  it('gives bit for bit what transformers.js Tensor.normalize(2, -1) gives', () => {
    let s = 12345;
    const rand = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    for (const [rows, dims] of [[1, 3], [7, 100], [64, 384], [5, 1]] as const) {
      const data = Float32Array.from({ length: rows * dims }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3));
      const expected = new Tensor('float32', Float32Array.from(data), [rows, dims]).normalize(2, -1).data as Float32Array;
      const actual = Float32Array.from(data);
      normaliseRows(actual, dims);
      expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      for (let r = 0; r < rows; r++) {
        let n = 0;
        for (let j = 0; j < dims; j++) n += (actual[r * dims + j] ?? 0) ** 2;
        expect(n).toBeCloseTo(1, 5);
      }
    }
  });
});
