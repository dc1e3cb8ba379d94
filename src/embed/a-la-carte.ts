/**
 * "À la carte" vectors (Khodak et al., 2018) for corpus words a static word-vector model lacks
 * (Bakhmut, HIMARS, Ukrzaliznytsia): a word's vector is induced from the average vector of the
 * words around it, through a linear map learned on the corpus words the model does know.
 */
import { isStopword, tokenize } from '../text/tokens';
import type { Embedder } from './types';

/** Content words on each side that make a word's context; the paper's window. */
const CONTEXT_WINDOW = 5;
/** Occurrences of one word that enter its context average: more barely moves the mean but costs time at scale. */
const MAX_OCCURRENCES = 50;
/** A known word needs this many occurrences to teach the map; rarer ones have noisy contexts. */
const MIN_TRAINING_OCCURRENCES = 2;
/** Known words the map is fitted on, most frequent first; enough for a dims × dims map, bounded at scale. */
const MAX_TRAINING_WORDS = 20_000;
/** Ridge penalty of the least-squares fit, relative to the mean squared context norm. */
const RIDGE = 0.1;

export interface InductionInput {
  /** The corpus, one text per passage. */
  texts: Iterable<string>;
  /** Unit vectors of the words the model knows; a word missing here is a candidate for induction. */
  known: ReadonlyMap<string, Float32Array>;
  /** Words to induce vectors for. */
  unknown: ReadonlySet<string>;
  dims: number;
}

/**
 * Induced unit vectors for `unknown` words that occur next to known ones. Returns an empty map
 * when the corpus has too few known words to fit the map (fewer than twice the dimensions).
 */
export function induceVectors({ texts, known, unknown, dims }: InductionInput): Map<string, Float32Array> {
  const sums = new Map<string, { sum: Float64Array; n: number }>();
  // One scratch context and each word's known vector looked up once per text: same sums, no allocation per occurrence.
  const context = new Float64Array(dims);
  const words: string[] = [];
  const vecs: Array<Float32Array | undefined> = [];
  for (const text of texts) {
    words.length = 0;
    vecs.length = 0;
    for (const t of tokenize(text)) {
      const v = known.get(t);
      if (v || unknown.has(t)) {
        words.push(t);
        vecs.push(v);
      }
    }
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      let acc = sums.get(w);
      if (acc && acc.n >= MAX_OCCURRENCES) continue;
      context.fill(0);
      let used = 0;
      for (let j = Math.max(0, i - CONTEXT_WINDOW); j <= Math.min(words.length - 1, i + CONTEXT_WINDOW); j++) {
        const v = j === i ? undefined : vecs[j];
        if (!v) continue;
        for (let d = 0; d < dims; d++) context[d] = (context[d] as number) + (v[d] as number);
        used++;
      }
      if (used === 0) continue;
      if (!acc) sums.set(w, (acc = { sum: new Float64Array(dims), n: 0 }));
      for (let d = 0; d < dims; d++) acc.sum[d] = (acc.sum[d] as number) + (context[d] as number) / used;
      acc.n++;
    }
  }

  const training = [...sums]
    .filter(([w, s]) => known.has(w) && s.n >= MIN_TRAINING_OCCURRENCES)
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TRAINING_WORDS);
  if (training.length < 2 * dims) return new Map();
  const map = fitLinearMap(
    training.map(([, s]) => mean(s.sum, s.n)),
    training.map(([w]) => known.get(w) as Float32Array),
    dims,
  );

  const out = new Map<string, Float32Array>();
  for (const [w, s] of sums) {
    if (!unknown.has(w)) continue;
    const v = apply(map, mean(s.sum, s.n), dims);
    if (v) out.set(w, v);
  }
  return out;
}

function mean(sum: Float64Array, n: number): Float64Array {
  return sum.map((x) => x / n);
}

/** X minimising Σ‖u X − v‖² + λ‖X‖² (ridge least squares), row-major dims × dims. */
function fitLinearMap(us: Float64Array[], vs: Float32Array[], dims: number): Float64Array {
  const m = new Float64Array(dims * dims);
  const b = new Float64Array(dims * dims);
  let norm = 0;
  us.forEach((u, k) => {
    const v = vs[k] as Float32Array;
    for (let i = 0; i < dims; i++) {
      const ui = u[i] as number;
      norm += ui * ui;
      for (let j = 0; j < dims; j++) {
        m[i * dims + j] = (m[i * dims + j] as number) + ui * (u[j] as number);
        b[i * dims + j] = (b[i * dims + j] as number) + ui * (v[j] as number);
      }
    }
  });
  const lambda = RIDGE * norm / us.length;
  for (let i = 0; i < dims; i++) m[i * dims + i] = (m[i * dims + i] as number) + lambda;
  return solve(m, b, dims);
}

/** Solves M X = B for symmetric positive definite M by Cholesky; all dims × dims, row-major. */
function solve(m: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (l[j * n + j] as number);
    }
  }
  const x = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i * n + col] as number;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
      y[i] = s / (l[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k * n + col] as number);
      x[i * n + col] = s / (l[i * n + i] as number);
    }
  }
  return x;
}

function apply(x: Float64Array, u: Float64Array, dims: number): Float32Array | null {
  const out = new Float32Array(dims);
  let norm = 0;
  for (let j = 0; j < dims; j++) {
    let s = 0;
    for (let i = 0; i < dims; i++) s += (u[i] as number) * (x[i * dims + j] as number);
    out[j] = s;
    norm += s * s;
  }
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < dims; j++) out[j] = (out[j] as number) * inv;
  return out;
}

/** How much one induced word weighs against the model's vector of the rest of the text; 1 = as one more word. */
export const INDUCED_WORD_WEIGHT = 1;

/**
 * Adds the induced vectors of the words in `text` to the model's unit vector `vector`. The model's
 * vector stands for the sum of its words, whose length grows about as √n; each induced word adds
 * one unit vector, scaled by `weight`.
 */
export function addInducedWords(
  vector: Float32Array,
  text: string,
  induced: ReadonlyMap<string, Float32Array>,
  weight = INDUCED_WORD_WEIGHT,
): Float32Array {
  if (induced.size === 0 || weight <= 0) return vector;
  const tokens = tokenize(text);
  let content = 0;
  const found: Float32Array[] = [];
  for (const t of tokens) {
    if (isStopword(t)) continue;
    const v = induced.get(t);
    if (v) found.push(v);
    else content++;
  }
  if (found.length === 0) return vector;
  const scale = Math.sqrt(Math.max(1, content));
  const out = new Float32Array(vector.length);
  for (let d = 0; d < vector.length; d++) {
    let s = (vector[d] as number) * scale * (content > 0 ? 1 : 0);
    for (const v of found) s += weight * (v[d] as number);
    out[d] = s;
  }
  let norm = 0;
  for (let d = 0; d < out.length; d++) norm += (out[d] as number) ** 2;
  if (!(norm > 0)) return vector;
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < out.length; d++) out[d] = (out[d] as number) * inv;
  return out;
}

/** An embedder whose vectors also carry the induced vectors of the words the model lacks. */
export function withInducedWords(base: Embedder, induced: ReadonlyMap<string, Float32Array>, weight = INDUCED_WORD_WEIGHT): Embedder {
  if (induced.size === 0 || weight <= 0) return base;
  return {
    info: base.info,
    async embedQuery(text) {
      return addInducedWords(await base.embedQuery(text), text, induced, weight);
    },
    async embedPassages(texts, onProgress) {
      const vectors = await base.embedPassages(texts, onProgress);
      return vectors.map((v, i) => addInducedWords(v, texts[i] as string, induced, weight));
    },
  };
}
