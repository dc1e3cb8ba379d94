import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDuplicateFilter } from '../../../src/ingest/dedupe';
import { DEFAULT_CHUNKING, splitReport } from '../../../src/ingest/split-passages';
import { buildBm25Data } from '../../../src/search/bm25';
import { decodeBm25 } from '../../../src/store/bm25-files';
import { writeCorpus, writeSearchFiles } from '../../../src/store/index-files';
import { FILES } from '../../../src/store/layout';
import type { StoredReport } from '../../../src/store/passage-store';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

const para = (words: string) => `${words} `.repeat(6).trim();

/** Reports mixing ASCII, accented Latin, typographic quotes and Cyrillic, so byte and character offsets differ. */
function reports(): StoredReport[] {
  const texts = [
    `${para('Russian forces attacked Pokrovsk and Toretsk overnight.')}\n\n${para('Ukrainian forces repelled the attacks near the bridge.')}`,
    `${para('The “naïve” café owner in Kharkiv described the strike — windows gone.')}\n\n${para('Киев and Kyiv both name the capital; the air defence held.')}`,
    `${para('Drones struck the grain port at Izmail; the fires burned until dawn.')}`,
  ];
  return texts.map((text, i) => ({ path: `r${i}.txt`, label: `r${i}`, format: 'text', text, hash: `h${i}`, title: `Report ${i}`, date: null, url: null, author: null, pageStarts: null }));
}

describe('writeCorpus and writeSearchFiles', () => {
  it('build BM25 from the written texts exactly as from the passages themselves', async () => {
    const dir = await tempDir();
    const stored = reports();
    const duplicates = createDuplicateFilter(DEFAULT_CHUNKING.nearDuplicateJaccard);
    const passages = stored.flatMap((r) => splitReport(r, DEFAULT_CHUNKING, duplicates).passages);
    expect(passages.length).toBeGreaterThan(3);
    const write = async (file: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<number> => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data instanceof Uint8Array ? Buffer.from(data) : Buffer.concat([...data]);
      await writeFile(file, bytes);
      return bytes.byteLength;
    };
    const files = { ...(await writeCorpus(dir, stored, passages, write)), ...(await writeSearchFiles(dir, { words: ['attack'], ranks: [1] }, write)) };
    expect(Object.keys(files).sort()).toEqual([FILES.bm25, FILES.latent, FILES.passages, FILES.reports, FILES.terms, FILES.texts].sort());
    const written = decodeBm25(await readFile(path.join(dir, FILES.bm25)));
    const direct = buildBm25Data(passages.map((p) => p.text));
    expect(written.terms).toEqual(direct.terms);
    expect(written.surfaces).toEqual(direct.surfaces);
    expect([...written.postDocs]).toEqual([...direct.postDocs]);
    expect([...written.postTfs]).toEqual([...direct.postTfs]);
    expect([...written.lengths]).toEqual([...direct.lengths]);
    expect(written.terms).toContain('kharkiv');
  });
});
