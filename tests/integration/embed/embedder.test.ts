import { beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID, readOfflineBuildInfo } from '../../../src/embed/offline-model.js';
import type { Embedder } from '../../../src/embed/types.js';
import { getOfflineEmbedder, MODEL_CACHE_DIR } from '../../helpers/offline-embedder.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);
const norm = (vector: Float32Array) => Math.sqrt(dot(vector, vector));

const PARAPHRASES: [query: string, passage: string][] = [
  ['the army attacked the town', 'troops assaulted the city'],
  ['the company reported higher profits this quarter', 'the firm said its earnings rose in the last three months'],
  ['heavy rain caused flooding in the valley', 'storms brought floods to the region'],
  ['the president signed the new law', 'the leader approved the legislation'],
  ['prices of fuel increased sharply', 'gasoline costs went up a lot'],
  ['the minister resigned after the scandal', 'the official quit following the controversy'],
  ['scientists discovered a new species of frog', 'researchers found an unknown amphibian'],
  ['the ship sank near the coast', 'the vessel went down off the shore'],
  ['the police arrested two suspects', 'officers detained a pair of men'],
  ['the drought destroyed the crops', 'dry weather ruined the harvest'],
  ['the earthquake damaged many buildings', 'the quake wrecked houses'],
  ['the rebels seized the airport', 'insurgents captured the airfield'],
];

describe('offline embedder', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await getOfflineEmbedder();
  });

  it('describes the offline model', async () => {
    const info = await readOfflineBuildInfo(MODEL_CACHE_DIR);
    expect(embedder.info).toEqual({
      id: OFFLINE_MODEL_ID,
      dims: 100,
      pooling: 'mean',
      fingerprint: info?.fingerprint,
      offline: true,
    });
  });

  it('returns finite unit vectors, also for empty text, unknown words and emoji', async () => {
    for (const text of ['', 'zzzqqq', '😀🎉', '   ', 'the', 'Troops assaulted the city.']) {
      const vector = await embedder.embedQuery(text);
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(100);
      expect(vector.every(Number.isFinite), JSON.stringify(text)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it('places a paraphrase closer than an unrelated sentence', async () => {
    const anchor = await embedder.embedQuery('the army attacked the town');
    const [paraphrase, unrelated] = await embedder.embedPassages([
      'troops assaulted the city',
      'she baked a chocolate cake',
    ]);
    expect(dot(anchor, paraphrase as Float32Array)).toBeGreaterThan(dot(anchor, unrelated as Float32Array) + 0.2);
  });

  it('ranks the paraphrase first for at least 80% of queries', async () => {
    const passages = await embedder.embedPassages([
      ...PARAPHRASES.map(([, passage]) => passage),
      'she baked a chocolate cake for the party',
      'the orchestra played a symphony by mozart',
      'the new phone has a larger screen and a faster chip',
    ]);
    let correct = 0;
    for (const [index, [query]] of PARAPHRASES.entries()) {
      const vector = await embedder.embedQuery(query);
      const scores = passages.map((passage) => dot(vector, passage));
      if (scores.indexOf(Math.max(...scores)) === index) correct++;
    }
    expect(correct / PARAPHRASES.length).toBeGreaterThanOrEqual(0.8);
  });

  it('embeds passages in input order, in batches, reporting progress', async () => {
    const texts = Array.from({ length: 150 }, (_, i) =>
      i % 2 === 0 ? `report number ${i} about the harvest` : `a much longer passage number ${i} about the weather, the floods and the damaged roads in the north`,
    );
    const progress: [number, number][] = [];
    const vectors = await embedder.embedPassages(texts, (done, total) => progress.push([done, total]));

    expect(vectors).toHaveLength(texts.length);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([texts.length, texts.length]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    for (const i of [0, 1, 77, 149]) {
      const single = await embedder.embedQuery(texts[i] as string);
      expect(dot(single, vectors[i] as Float32Array)).toBeCloseTo(1, 5);
    }
  });

  it('returns independent copies, not views of a shared buffer', async () => {
    const vectors = await embedder.embedPassages(['first text', 'second text']);
    const [first, second] = vectors as [Float32Array, Float32Array];
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(100 * 4);
    const secondBefore = Float32Array.from(second);
    first.fill(0);
    expect(second).toEqual(secondBefore);
  });

  it('returns an empty list for no passages', async () => {
    await expect(embedder.embedPassages([])).resolves.toEqual([]);
  });
});
