/**
 * "What's the latest on X?" prefers newer reports among the relevant ones; the same question
 * without a recency word keeps the most relevant report first. Dates come from front matter.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { loadIndex } from '../../../src/store/load-index';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

function md(date: string, title: string, paragraphs: string[]): string {
  return `---\ntitle: ${title}\ndate: ${date}\n---\n${paragraphs.join('\n\n')}\n`;
}

describe('time-aware answers', () => {
  it('answers a question about the latest state from the newest relevant report', async () => {
    const reports = await tempDir('recency-reports-');
    await writeFile(
      path.join(reports, 'july.md'),
      md('2024-07-01', 'July on the Pokrovsk axis', [
        'Russian forces shelled Pokrovsk and the villages around Pokrovsk all week; in Pokrovsk the hospital and the railway station were hit, and Pokrovsk officials asked families with children to leave.',
        'Farmers west of the city harvested barley early because of the fires started by cluster munitions in the fields.',
      ]),
    );
    await writeFile(
      path.join(reports, 'august.md'),
      md('2024-08-25', 'Late August update', [
        'Evacuation of Pokrovsk became mandatory for families with children as Russian troops advanced to within eight kilometres of the city.',
        'Power engineers rebuilt two transformer stations in Dnipro after the missile strike earlier in the month.',
      ]),
    );
    await writeFile(
      path.join(reports, 'september.md'),
      md('2024-09-30', 'Odesa port in September', [
        'The grain corridor from Odesa carried a record volume of wheat in September, the port authority said, despite two drone attacks on the terminals.',
      ]),
    );
    const indexDir = await tempDir('recency-index-');
    const embedder = await getOfflineEmbedder();
    await buildIndex({ reportsDir: reports, indexDir, embedder });
    const searcher = createSearcher({ index: await loadIndex(indexDir), embedder });

    const plain = await searcher.search('What happened in Pokrovsk?', { k: 3 });
    expect(plain.answered).toBe(true);
    expect(plain.hits[0]?.source).toBe('july.md');

    const latest = await searcher.search("What's the latest on Pokrovsk?", { k: 3 });
    expect(latest.answered).toBe(true);
    expect(latest.hits[0]).toMatchObject({ source: 'august.md', date: '2024-08-25' });
    expect(latest.hits[0]?.text).toContain('Evacuation of Pokrovsk became mandatory');
    expect(latest.hits.map((h) => h.source)).toContain('july.md');
    // The newest report of all says nothing about Pokrovsk: it never comes first.
    expect(latest.hits[0]?.source).not.toBe('september.md');
  });
});
