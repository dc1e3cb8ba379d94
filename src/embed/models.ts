/**
 * Known embedding models and how to use them: pooling, query/passage prefixes and which ONNX
 * file transformers.js should load.
 */
import type { Pooling } from './types.js';
import { OFFLINE_MODEL_ID } from './offline-model.js';

/** The hub model used when none is configured and the hub is reachable. */
export const DEFAULT_HUB_MODEL = 'Xenova/bge-small-en-v1.5';
/** Short name accepted for the offline model. */
export const OFFLINE_MODEL_ALIAS = 'offline';

const BGE_QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

/** How to run one model. */
export interface ModelSpec {
  /** The id transformers.js loads. */
  id: string;
  /** How token vectors become one vector (recorded in ModelInfo). */
  pooling: Pooling;
  /**
   * The `pooling` option passed to the feature-extraction pipeline. The offline graph already
   * pools in ONNX (transformers.js' JavaScript mean pooling is ~30x slower than the lookup) and
   * emits the pooled vector at position 0, so it is read with `cls`.
   */
  pipelinePooling: Pooling;
  /** Prepended to every query. */
  queryPrefix: string;
  /** Prepended to every passage. */
  passagePrefix: string;
  /** True for the locally built model; it is never fetched from the hub. */
  offline: boolean;
  /** Load `onnx/model_quantized.onnx` (true) or `onnx/model.onnx` (false). */
  quantized: boolean;
}

const hub = (id: string, pooling: Pooling, queryPrefix = '', passagePrefix = ''): ModelSpec => ({
  id,
  pooling,
  pipelinePooling: pooling,
  queryPrefix,
  passagePrefix,
  offline: false,
  // Xenova's hub exports ship an int8 model_quantized.onnx, which transformers.js loads by default.
  quantized: true,
});

const OFFLINE_SPEC: ModelSpec = {
  id: OFFLINE_MODEL_ID,
  pooling: 'mean',
  pipelinePooling: 'cls',
  queryPrefix: '',
  passagePrefix: '',
  offline: true,
  // The offline build writes only a float32 onnx/model.onnx.
  quantized: false,
};

const KNOWN_MODELS: readonly ModelSpec[] = [
  hub('Xenova/bge-small-en-v1.5', 'cls', BGE_QUERY_INSTRUCTION),
  hub('Xenova/bge-base-en-v1.5', 'cls', BGE_QUERY_INSTRUCTION),
  hub('Xenova/bge-large-en-v1.5', 'cls', BGE_QUERY_INSTRUCTION),
  hub('Xenova/e5-small-v2', 'mean', 'query: ', 'passage: '),
  hub('Xenova/e5-base-v2', 'mean', 'query: ', 'passage: '),
  hub('Xenova/e5-large-v2', 'mean', 'query: ', 'passage: '),
  hub('Xenova/multilingual-e5-small', 'mean', 'query: ', 'passage: '),
  hub('Xenova/multilingual-e5-base', 'mean', 'query: ', 'passage: '),
  hub('Xenova/multilingual-e5-large', 'mean', 'query: ', 'passage: '),
  hub('Xenova/all-MiniLM-L6-v2', 'mean'),
  hub('Xenova/all-MiniLM-L12-v2', 'mean'),
  hub('Xenova/paraphrase-multilingual-MiniLM-L12-v2', 'mean'),
  hub('Xenova/gte-small', 'mean'),
  hub('Xenova/gte-base', 'mean'),
  OFFLINE_SPEC,
];

/** True if `model` names the offline model (its id or the alias `offline`). */
export function isOfflineModel(model: string): boolean {
  const name = model.trim();
  return name === OFFLINE_MODEL_ALIAS || name === OFFLINE_MODEL_ID;
}

/**
 * Resolves a model id or alias to how it is used. Unknown ids are guessed from their name:
 * `bge` → CLS pooling with the BGE query instruction, `e5` → `query: `/`passage: ` prefixes,
 * anything else → mean pooling without prefixes.
 */
export function resolveModel(model: string): ModelSpec {
  const id = model.trim();
  if (isOfflineModel(id)) return OFFLINE_SPEC;
  const known = KNOWN_MODELS.find((spec) => spec.id.toLowerCase() === id.toLowerCase());
  if (known) return known;
  const name = id.toLowerCase();
  if (/bge/.test(name)) return hub(id, 'cls', BGE_QUERY_INSTRUCTION);
  if (/(^|[^a-z0-9])e5([^a-z0-9]|$)/.test(name)) return hub(id, 'mean', 'query: ', 'passage: ');
  return hub(id, 'mean');
}
