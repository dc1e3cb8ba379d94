import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src/embed/embedder.js';
import { normaliseRows } from '../../../src/embed/normalise-rows.js';
import { createFastBertTokenizer, type BatchTokenizer } from '../../../src/embed/offline-tokenizer.js';
import { ensureOfflineModel } from '../../../src/embed/offline-model.js';
import type { Embedder } from '../../../src/embed/types.js';
import { syntheticParagraphs } from '../../../scripts/synthetic-corpus.js';
import { anyText, nastyText } from '../../helpers/fuzz.js';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder.js';

const ids = (tensor: { data: unknown }): number[] => Array.from(tensor.data as BigInt64Array, Number);

/** Every paragraph of the seed reports, plus texts that exercise the fallback and odd characters. */
async function sampleTexts(): Promise<string[]> {
  const texts: string[] = [];
  for (const name of (await readdir('seeds')).filter((f) => f.endsWith('.txt')).sort()) {
    for (const p of (await readFile(path.join('seeds', name), 'utf8')).split(/\n\s*\n/)) texts.push(p);
  }
  texts.push(...(await syntheticParagraphs(300)));
  texts.push(
    'ΣΟΦΙΑ and ΟΔΟΣ', 'naïve cafe\u0301 coöperate', '北京 and 東京 text', 'a [CLS] b [SEP] c [MASK]', 'İstanbul ǅ ß ﬁ',
    'x'.repeat(150), 'word '.repeat(2100), '\u0000\ufffd\u0085\u000b\u000c', '\ud800 lone \udc00 surrogates', '',
  );
  return texts;
}

describe('fast offline tokenizer', () => {
  let extractor: FeatureExtractionPipeline;
  let fast: BatchTokenizer;
  let embedder: Embedder;
  let texts: string[];

  beforeAll(async () => {
    const id = await ensureOfflineModel(MODEL_CACHE_DIR);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = MODEL_CACHE_DIR;
    env.cacheDir = MODEL_CACHE_DIR;
    extractor = await pipeline('feature-extraction', id, { quantized: false, local_files_only: true });
    const created = createFastBertTokenizer(extractor.tokenizer);
    if (!created) throw new Error('the offline tokenizer should take the fast path');
    fast = created;
    embedder = await createEmbedder({ model: id, cacheDir: MODEL_CACHE_DIR, allowFallback: false });
    texts = await sampleTexts();
  }, 120_000);

  it('gives the generic tokenizer’s model inputs for seed, synthetic and odd texts, batched as the embedder batches', () => {
    for (let start = 0; start < texts.length; start += 64) {
      const batch = texts.slice(start, start + 64);
      const want = extractor.tokenizer(batch, { padding: true, truncation: true });
      const got = fast(batch);
      expect(got.input_ids.dims).toEqual(want.input_ids.dims);
      expect(ids(got.input_ids)).toEqual(ids(want.input_ids));
      expect(ids(got.attention_mask)).toEqual(ids(want.attention_mask));
      expect(ids(got.token_type_ids ?? { data: [] })).toEqual(ids(want.token_type_ids ?? { data: [] }));
    }
  });

  it('gives the same ids as the generic tokenizer on hostile text', () => {
    fc.assert(
      fc.property(fc.oneof(nastyText(20, false), anyText(20), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const want = extractor.tokenizer([text], { padding: true, truncation: true });
        expect(ids(fast([text]).input_ids)).toEqual(ids(want.input_ids));
      }),
      { numRuns: 400, seed: 10 },
    );
  });

  it('embeds to vectors bit-identical to the generic pipeline’s', async () => {
    const sample = texts.slice(0, 400);
    const got = await embedder.embedPassages(sample);
    // The embedder's own path: batches of 64 by length, CLS pooling, rows normalised.
    const order = sample.map((_, i) => i).sort((a, b) => (sample[a] as string).length - (sample[b] as string).length);
    for (let start = 0; start < order.length; start += 64) {
      const rows = order.slice(start, start + 64);
      const out = await extractor(rows.map((i) => sample[i] as string), { pooling: 'cls', normalize: false });
      const data = Float32Array.from(out.data as Float32Array);
      const dims = out.dims[1] as number;
      normaliseRows(data, dims);
      rows.forEach((row, k) => {
        const want = data.slice(k * dims, (k + 1) * dims);
        expect(Buffer.from((got[row] as Float32Array).buffer).equals(Buffer.from(want.buffer))).toBe(true);
      });
    }
  });
});
