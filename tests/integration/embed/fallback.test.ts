import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src/embed/embedder.js';
import { OFFLINE_MODEL_ID, offlineModelDir } from '../../../src/embed/offline-model.js';
import { ModelError } from '../../../src/errors.js';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder.js';

/** A hub id that exists nowhere; loading it fails with or without network. */
const MISSING_HUB_MODEL = 'Xenova/does-not-exist';
const SHORT_TIMEOUT_MS = 3_000;

describe('hub model that cannot be loaded', () => {
  it('falls back to the offline model and warns exactly once', async () => {
    const warnings: string[] = [];
    const embedder = await createEmbedder({
      model: MISSING_HUB_MODEL,
      cacheDir: MODEL_CACHE_DIR,
      loadTimeoutMs: SHORT_TIMEOUT_MS,
      onWarning: (message) => warnings.push(message),
    });

    expect(embedder.info).toMatchObject({ id: OFFLINE_MODEL_ID, offline: true, dims: 100 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`Embedding model ${MISSING_HUB_MODEL} could not be loaded`);
    expect(warnings[0]).toContain(`using the offline model ${OFFLINE_MODEL_ID}`);
    expect(warnings[0]).toContain('EMBEDDING_MODEL=offline');
    expect(warnings[0]).not.toContain('\n');

    await embedder.embedQuery('the army attacked the town');
    expect(warnings).toHaveLength(1);
  });

  it('throws ModelError MODEL_LOAD_FAILED when fallback is not allowed', async () => {
    const warnings: string[] = [];
    const attempt = createEmbedder({
      model: MISSING_HUB_MODEL,
      cacheDir: MODEL_CACHE_DIR,
      allowFallback: false,
      loadTimeoutMs: SHORT_TIMEOUT_MS,
      onWarning: (message) => warnings.push(message),
    });

    const error = await attempt.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect((error as ModelError).message).toContain(MISSING_HUB_MODEL);
    expect((error as ModelError).hint).toBeTruthy();
    expect((error as ModelError).cause).toBeDefined();
    expect(warnings).toEqual([]);
  });
});

describe('hub model found in the local cache', () => {
  // A stand-in for a downloaded BGE model, made from the offline model's files, so the hub code
  // path (prefixes, pooling, fingerprint) runs without network.
  const cacheDir = mkdtempSync(join(tmpdir(), 'embed-hub-cache-'));
  const modelId = 'test/fake-bge-model';
  const modelDir = join(cacheDir, 'test', 'fake-bge-model');
  mkdirSync(join(modelDir, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    cpSync(join(offlineModelDir(MODEL_CACHE_DIR), file), join(modelDir, file));
  }
  cpSync(join(offlineModelDir(MODEL_CACHE_DIR), 'onnx', 'model.onnx'), join(modelDir, 'onnx', 'model_quantized.onnx'));

  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('loads without fallback, applies the BGE query instruction and fingerprints the files', async () => {
    const warnings: string[] = [];
    const embedder = await createEmbedder({
      model: modelId,
      cacheDir,
      loadTimeoutMs: 20_000,
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([]);
    expect(embedder.info).toMatchObject({ id: modelId, offline: false, pooling: 'cls', dims: 100 });
    expect(embedder.info.fingerprint).toMatch(/^[0-9a-f]{16}$/);

    const query = await embedder.embedQuery('army');
    const [withInstruction, plain] = await embedder.embedPassages([
      'Represent this sentence for searching relevant passages: army',
      'army',
    ]);
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);
    expect(cosine(query, withInstruction as Float32Array)).toBeCloseTo(1, 5);
    expect(cosine(query, plain as Float32Array)).toBeLessThan(0.99);

    const again = await createEmbedder({ model: modelId, cacheDir, allowFallback: false });
    expect(again.info.fingerprint).toBe(embedder.info.fingerprint);
  });
});
