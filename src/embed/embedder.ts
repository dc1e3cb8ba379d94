/**
 * Creates an Embedder on top of the transformers.js `feature-extraction` pipeline, for hub models
 * and for the locally built offline model alike, with a fallback to the offline model when the
 * configured hub model cannot be loaded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@xenova/transformers';
import { ModelError } from '../errors.js';
import { resolveModel, type ModelSpec } from './models.js';
import { normaliseRows } from './normalise-rows.js';
import { cacheWordPieces, wordPieceModelOf } from './wordpiece-cache.js';
import { createFastBertTokenizer } from './offline-tokenizer.js';
import { ensureOfflineModel, OFFLINE_MODEL_ID, readOfflineBuildInfo } from './offline-model.js';
import type { Embedder, ModelInfo } from './types.js';

export interface EmbedderOptions {
  /** A model id (hub id or `offline/glove-sif-100d`) or the alias `offline`. */
  model: string;
  /** Where hub downloads are cached and the offline model is built. */
  cacheDir: string;
  /** Use the offline model if the hub model cannot be loaded (default true). */
  allowFallback?: boolean;
  /** Receives a one-line message when the fallback is taken. */
  onWarning?: (message: string) => void;
  /** Receives a one-line message before a slow step (building the offline model on first use) and after it. */
  onNotice?: (message: string) => void;
  /** Upper bound for loading a hub model, so an unreachable network cannot hang start-up. */
  loadTimeoutMs?: number;
}

/** Long enough for a first download of a small model on a slow line, short enough for start-up. */
const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
/** Texts per pipeline call: big enough to amortise call overhead, small enough to limit padding. */
const HUB_BATCH_SIZE = 32;
const OFFLINE_BATCH_SIZE = 64;

interface LoadedModel {
  spec: ModelSpec;
  extractor: FeatureExtractionPipeline;
  fingerprint: string;
}

/** transformers.js reads its settings from the global `env`, so loads must not interleave. */
let loadQueue: Promise<unknown> = Promise.resolve();

function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

/**
 * Loads the configured embedding model and returns an Embedder for it. If a hub model fails
 * to load (network, timeout, missing files) and `allowFallback` is not false, the offline
 * model is used instead and `onWarning` is called once; otherwise a ModelError
 * (`MODEL_LOAD_FAILED`) is thrown.
 */
export async function createEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const cacheDir = resolve(options.cacheDir);
  const spec = resolveModel(options.model);
  if (spec.offline) return wrap(await loadOffline(cacheDir, options.onNotice));

  try {
    return await wrap(await loadHub(spec, cacheDir, options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS));
  } catch (err) {
    const reason = describeCause(err);
    if (options.allowFallback === false) {
      throw new ModelError('MODEL_LOAD_FAILED', `Could not load embedding model ${spec.id} (${reason}).`, {
        cause: err,
        hint: 'Check the network connection and the model id, or use the offline model: set EMBEDDING_MODEL=offline or pass --model offline.',
      });
    }
    options.onWarning?.(
      `Embedding model ${spec.id} could not be loaded (${reason}); using the offline model ${OFFLINE_MODEL_ID}. Set EMBEDDING_MODEL=offline to skip this attempt.`,
    );
    const fallback = await loadOffline(cacheDir, options.onNotice);
    return wrap(fallback);
  }
}

function loadOffline(cacheDir: string, onNotice?: (message: string) => void): Promise<LoadedModel> {
  return serialised(async () => {
    const id = await ensureOfflineModel(cacheDir, {
      onBuildStart: () => onNotice?.(`Building the offline embedding model in ${cacheDir} (first run only, about 10 s)…`),
      onBuilt: (seconds) => onNotice?.(`Offline embedding model built in ${seconds.toFixed(1)} s.`),
    });
    const spec = resolveModel(id);
    try {
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = cacheDir;
      env.cacheDir = cacheDir;
      const extractor = await pipeline('feature-extraction', id, {
        quantized: spec.quantized,
        local_files_only: true,
      });
      const info = await readOfflineBuildInfo(cacheDir);
      return { spec, extractor, fingerprint: info?.fingerprint ?? hashModelFiles(cacheDir, spec) };
    } catch (err) {
      throw new ModelError('MODEL_LOAD_FAILED', `Could not load the offline embedding model ${id} (${describeCause(err)}).`, {
        cause: err,
        hint: `Delete ${join(cacheDir, 'offline')} so it is rebuilt on the next start.`,
      });
    }
  });
}

function loadHub(spec: ModelSpec, cacheDir: string, timeoutMs: number): Promise<LoadedModel> {
  return serialised(async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = true;
    env.localModelPath = cacheDir;
    env.cacheDir = cacheDir;
    const loading = pipeline('feature-extraction', spec.id, { quantized: spec.quantized, cache_dir: cacheDir });
    const extractor = await withTimeout(loading, timeoutMs, (late) => void late.dispose());
    return { spec, extractor, fingerprint: hashModelFiles(cacheDir, spec) };
  });
}

/** Races `work` against a timer; a result that arrives after the timeout is handed to `discard`. */
function withTimeout<T>(work: Promise<T>, timeoutMs: number, discard: (late: T) => void): Promise<T> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`timed out after ${(timeoutMs / 1000).toFixed(1)} s`));
    }, timeoutMs);
    timer.unref();
  });
  work.then(
    (value) => {
      if (timedOut) discard(value);
    },
    () => undefined,
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** sha256 over the model's config and tokenizer JSON plus the ONNX file size, as 16 hex chars. */
function hashModelFiles(cacheDir: string, spec: ModelSpec): string {
  const dir = join(cacheDir, ...spec.id.split('/'));
  const hash = createHash('sha256').update(spec.id);
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    const path = join(dir, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  const onnxPath = join(dir, 'onnx', spec.quantized ? 'model_quantized.onnx' : 'model.onnx');
  if (existsSync(onnxPath)) hash.update(`onnx:${statSync(onnxPath).size}`);
  return hash.digest('hex').slice(0, 16);
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  const message = err.message.split('\n')[0] ?? err.message;
  return typeof code === 'string' && !message.includes(code) ? `${message}: ${code}` : message;
}

async function wrap(loaded: LoadedModel): Promise<Embedder> {
  const { spec, extractor } = loaded;
  const wordPiece = wordPieceModelOf(extractor.tokenizer);
  if (wordPiece) cacheWordPieces(wordPiece);
  const batchSize = spec.offline ? OFFLINE_BATCH_SIZE : HUB_BATCH_SIZE;
  // The offline model's vectors are a lookup-and-sum: tokenizing is most of their cost, so it takes the fast path.
  const fastTokenize = spec.offline && spec.pipelinePooling === 'cls' ? createFastBertTokenizer(extractor.tokenizer) : null;
  const run = async (texts: string[]): Promise<{ dims: number[]; data: unknown }> => {
    if (!fastTokenize) return extractor(texts, { pooling: spec.pipelinePooling, normalize: false });
    // What the pipeline does with CLS pooling, after its tokenizer call.
    const outputs = (await extractor.model(fastTokenize(texts))) as Record<string, Tensor | undefined>;
    const hidden = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
    if (!hidden) throw new Error('the model returned no hidden state');
    // The offline graph pools to one position: position 0 of [batch, 1, dims] is the data as it is, without a generic slice.
    const [rows, positions, dims] = hidden.dims;
    if (hidden.dims.length === 3 && positions === 1 && rows !== undefined && dims !== undefined) return { dims: [rows, dims], data: hidden.data };
    return hidden.slice(null, 0);
  };

  const embedBatch = async (texts: string[]): Promise<Float32Array[]> => {
    let output;
    try {
      output = await run(texts);
    } catch (err) {
      throw new ModelError('EMBEDDING_FAILED', `Embedding with ${spec.id} failed (${describeCause(err)}).`, {
        cause: err,
      });
    }
    const dims = output.dims[1] ?? 0;
    const data = output.data as Float32Array;
    normaliseRows(data, dims);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      const vector = data.slice(i * dims, (i + 1) * dims);
      if (vector.length !== dims || dims === 0 || !vector.every(Number.isFinite)) {
        throw new ModelError('EMBEDDING_FAILED', `Embedding with ${spec.id} produced an invalid vector.`, {
          hint: 'The model files may be damaged; delete the model cache folder and start again.',
        });
      }
      vectors.push(vector);
    }
    return vectors;
  };

  const [probe] = await embedBatch(['']);
  const info: ModelInfo = {
    id: spec.id,
    dims: probe?.length ?? 0,
    pooling: spec.pooling,
    fingerprint: loaded.fingerprint,
    offline: spec.offline,
  };

  return {
    info,
    async embedQuery(text: string): Promise<Float32Array> {
      const [vector] = await embedBatch([spec.queryPrefix + text]);
      return vector as Float32Array;
    },
    async embedPassages(texts, onProgress) {
      // Batching texts of similar length keeps padding (wasted work) small.
      const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
      const result = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += batchSize) {
        const indices = order.slice(start, start + batchSize);
        const vectors = await embedBatch(indices.map((i) => spec.passagePrefix + (texts[i] as string)));
        indices.forEach((index, k) => (result[index] = vectors[k] as Float32Array));
        onProgress?.(Math.min(start + batchSize, texts.length), texts.length);
      }
      return result;
    },
  };
}
