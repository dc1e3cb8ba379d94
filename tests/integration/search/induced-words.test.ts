import { describe, expect, it } from 'vitest';
import { seedIndex } from '../../helpers/seed-index';

/** Words of the seed reports the offline model's GloVe vocabulary lacks. */
const UNKNOWN_TO_GLOVE = ['ukrzaliznytsia', 'umerov', 'bakhmut'];

describe('vectors induced for words the offline model lacks', () => {
  it('stores induced vectors for report words GloVe does not know', async () => {
    const { index } = await seedIndex();
    const induced = new Set((index.terms.induced ?? []).map((i) => index.terms.words[i]));
    for (const word of UNKNOWN_TO_GLOVE) expect(induced, word).toContain(word);
    // Everyday words keep the model's own vectors.
    for (const word of ['railway', 'president', 'drones']) expect(induced.has(word), word).toBe(false);
  });

  it('places an induced word near the words it is used with', async () => {
    const { index } = await seedIndex();
    const { words, vectors } = index.terms;
    const dims = index.manifest.model.dims;
    const row = (w: string) => vectors.subarray(words.indexOf(w) * dims, (words.indexOf(w) + 1) * dims);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    // Rustem Umerov: the induced "umerov" is closer to his first name than to an unrelated word.
    expect(cos(row('umerov'), row('rustem'))).toBeGreaterThan(cos(row('umerov'), row('railway')) + 0.2);
  });

  it('finds a name by meaning alone (dense search) when the name has no GloVe vector', async () => {
    const { searcher } = await seedIndex();
    const result = await searcher.search('ukrzaliznytsia', { k: 3, mode: 'dense' });
    expect(result.hits[0]?.text.toLowerCase()).toContain('ukrzaliznytsia');
  });
});
