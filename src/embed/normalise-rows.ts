/**
 * L2 normalisation of the rows of a row-major float32 matrix, in place, with exactly the float32
 * arithmetic of transformers.js `Tensor.normalize(2, -1)` (a float32 running sum of squares, its
 * square root rounded to float32, each value divided by it), so vectors stay bit-identical while
 * skipping that method's per-element index arithmetic through a Proxy.
 */
export function normaliseRows(data: Float32Array, dims: number): void {
  const norm = new Float32Array(1);
  for (let row = 0; row + dims <= data.length; row += dims) {
    norm[0] = 0;
    for (let j = row; j < row + dims; j++) norm[0] += (data[j] as number) ** 2;
    norm[0] = (norm[0] as number) ** (1 / 2);
    const n = norm[0] as number;
    for (let j = row; j < row + dims; j++) data[j] = (data[j] as number) / n;
  }
}
