import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES } from '../../../src/store/layout';
import { loadIndexData } from '../../../src/store/load-index';
import { memoryVectorRows, openVectorFile, VectorFileError } from '../../../src/store/vector-rows';
import { seedIndex } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

describe('passage vectors by row', () => {
  it('reads every row of a built index from disk exactly as the file held in memory gives it', async () => {
    const { index } = await seedIndex();
    const dims = index.manifest.model.dims;
    const inMemory = memoryVectorRows((await loadIndexData(index.dir)).vectors, dims);
    for (let doc = 0; doc < index.passages.length; doc++) expect(index.vectorRow(doc)).toEqual(inMemory(doc));
    expect(index.vectors).toEqual((await loadIndexData(index.dir)).vectors);
    expect(() => index.vectorRow(index.passages.length)).toThrow(RangeError);
  });

  it('reads rows and the whole file by position, and names a file that ends early', async () => {
    const dir = await tempDir('vectors-');
    const file = path.join(dir, FILES.vectors);
    const vectors = Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5);
    await writeFile(file, new Uint8Array(vectors.buffer));
    const fd = openSync(file, 'r');
    try {
      const rows = openVectorFile(fd, 4, 3);
      expect(rows.row(2)).toEqual(vectors.subarray(6, 9));
      expect(rows.all()).toEqual(vectors);
      expect(() => rows.row(-1)).toThrow(RangeError);
      expect(() => rows.row(1.5)).toThrow(RangeError);
      expect(() => openVectorFile(fd, 5, 3).row(4)).toThrow(VectorFileError);
    } finally {
      closeSync(fd);
    }
  });
});
