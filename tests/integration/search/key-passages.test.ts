import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { loadIndex } from '../../../src/store/load-index';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

/** Words every report uses: they say little about any one of them. */
const generic = (n: number): string =>
  `Officials said the situation remained difficult but stable, and people in the region continued their daily life despite the war, ` +
  `the daily alerts and the long nights, as officials said again on day ${n} of the week in the region where people live.`;

const specific = [
  'Sappers of the 35th marine brigade cleared 412 anti-tank mines from fields near Robotyne and Verbove, handing the land back to farmers from Orikhiv.',
  'Engineers restored the Kremenchuk dam road bridge after Kh-101 cruise missiles damaged two spans; trucks with Ukrzaliznytsia rails crossed it on Tuesday.',
  'Volunteers from Chernihiv delivered 19 Starlink terminals and 7 Mavic drones to the border guards in Novhorod-Siverskyi, near the Bryansk frontier.',
];

describe('Searcher.keyPassages', () => {
  it("returns a report's most informative passages (rare names and numbers) in reading order, verbatim, without highlights", async () => {
    const reports = await tempDir('key-reports-');
    const paragraphs = [generic(1), specific[0]!, generic(2), specific[1]!, specific[2]!, generic(3)];
    await writeFile(path.join(reports, 'week.txt'), paragraphs.join('\n\n'));
    for (const n of [4, 5, 6]) await writeFile(path.join(reports, `other-${n}.txt`), `${generic(n)} Report ${n} adds nothing else.`);
    const indexDir = await tempDir('key-index-');
    const embedder = await getOfflineEmbedder();
    await buildIndex({ reportsDir: reports, indexDir, embedder, chunking: { minWords: 5, targetWords: 100, maxWords: 150, shortLineWords: 4, nearDuplicateJaccard: 0.99 } });
    const index = await loadIndex(indexDir);
    const searcher = createSearcher({ index, embedder });

    const hits = searcher.keyPassages('week.txt', 3);
    expect(hits.map((h) => h.text)).toEqual(specific);
    const report = index.reports.toArray().find((r) => r.path === 'week.txt')!;
    for (const h of hits) {
      expect(report.text.slice(h.start, h.end)).toBe(h.text);
      expect(h.highlights).toEqual([]);
    }
    expect(searcher.keyPassages('no-such-report.txt', 3)).toEqual([]);
  });
});
