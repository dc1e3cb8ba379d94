/**
 * A latent semantic model the corpus builds itself (LSI, Deerwester et al. 1990): the top right
 * singular vectors of the passages' tf-idf matrix, found by randomized subspace iteration (Halko,
 * Martinsson and Tropp 2011). Words that occur in the same passages land near each other, so a
 * question and a passage can match through words they do not share. Pure arithmetic on typed
 * arrays: no model file, no network, the same result for the same corpus.
 */

/** One passage as counts of term ids (any numbering the caller keeps). */
export interface TermCounts {
  terms: ArrayLike<number>;
  counts: ArrayLike<number>;
}

export interface LatentFitOptions {
  /** Latent dimensions. */
  dims?: number;
  /** Most terms kept, by how many sampled passages use them. */
  maxTerms?: number;
  /** Seed of the random start, so a corpus always gets the same model. */
  seed?: number;
}

/** A fitted model: a row of `dims` numbers per kept term. */
export interface LatentModel {
  readonly dims: number;
  /** Row of a caller's term id, or -1 for a term the model did not keep. */
  rowOf(term: number): number;
  /**
   * The unit latent vector of weighted terms (weights as the caller computes them, e.g. tf × idf),
   * or null when no term is kept.
   */
  project(terms: ArrayLike<number>, weights: ArrayLike<number>): Float32Array | null;
}

/** 100 dimensions: the range LSI work found best on collections of a few thousand documents (MED, Cranfield). */
export const LATENT_DIMS = 100;
/** Terms beyond the 30,000 most used add little to the main directions and cost V × l² per orthogonalisation. */
export const LATENT_MAX_TERMS = 30_000;
/** Columns beyond `dims` in the random start: Halko et al. recommend 5–10 for accurate leading vectors. */
const OVERSAMPLE = 10;
/** Subspace iterations: 2–3 make the leading singular vectors accurate when the spectrum decays slowly. */
const POWER_ITERATIONS = 3;
const JACOBI_SWEEPS = 30;

function randomNormal(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** Orthonormalises a list of columns in place (modified Gram-Schmidt; float64 keeps one pass accurate for a few columns). */
function orthonormalise(cols: Float64Array[]): void {
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j] as Float64Array;
    for (let i = 0; i < j; i++) {
      const q = cols[i] as Float64Array;
      let dot = 0;
      for (let r = 0; r < c.length; r++) dot += (q[r] as number) * (c[r] as number);
      for (let r = 0; r < c.length; r++) c[r] = (c[r] as number) - dot * (q[r] as number);
    }
    let norm = 0;
    for (let r = 0; r < c.length; r++) norm += (c[r] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) c.fill(0);
    else for (let r = 0; r < c.length; r++) c[r] = (c[r] as number) / norm;
  }
}

/** Eigen-decomposition of a symmetric l × l matrix (row-major) by cyclic Jacobi: eigenvalues and column eigenvectors. */
function symmetricEigen(a: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < JACOBI_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += (a[p * l + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p] as number;
        const aqq = a[q * l + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p] as number;
          const akq = a[k * l + q] as number;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k] as number;
          const aqk = a[q * l + k] as number;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p] as number;
          const vkq = v[k * l + q] as number;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i] as number;
  return { values, vectors: v };
}

/**
 * Fits the model on passages given as term counts, weighted (1 + ln tf) × idf(term); `idf` is the
 * caller's (computed over the whole corpus, which the passages may only sample).
 */
export function fitLatentModel(
  passages: readonly TermCounts[],
  idf: (term: number) => number,
  options: LatentFitOptions = {},
): { model: LatentModel; kept: number[]; projection: Float32Array } | null {
  const sampleDf = new Map<number, number>();
  for (const p of passages) for (let i = 0; i < p.terms.length; i++) sampleDf.set(p.terms[i] as number, (sampleDf.get(p.terms[i] as number) ?? 0) + 1);
  // A term in one sampled passage co-occurs with nothing else there: it cannot shape a direction.
  const kept = [...sampleDf.entries()].filter(([, df]) => df >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.maxTerms ?? LATENT_MAX_TERMS).map(([t]) => t).sort((a, b) => a - b);
  const v = kept.length;
  const dims = Math.min(options.dims ?? LATENT_DIMS, v - 1, passages.length - 1);
  if (dims < 2) return null;
  const rows = new Map<number, number>();
  kept.forEach((t, r) => rows.set(t, r));

  // The sampled tf-idf matrix, passages × kept terms, as compressed rows.
  const start = [0];
  const cols: number[] = [];
  const vals: number[] = [];
  for (const p of passages) {
    for (let i = 0; i < p.terms.length; i++) {
      const r = rows.get(p.terms[i] as number);
      if (r === undefined) continue;
      cols.push(r);
      vals.push((1 + Math.log(p.counts[i] as number)) * idf(p.terms[i] as number));
    }
    start.push(cols.length);
  }
  const col = Int32Array.from(cols);
  const val = Float64Array.from(vals);
  const n = passages.length;
  const l = Math.min(dims + OVERSAMPLE, v, n);

  /** A·X for X given as V-long columns: N-long columns. */
  const times = (basis: Float64Array[]): Float64Array[] =>
    basis.map((bc) => {
      const out = new Float64Array(n);
      for (let d = 0; d < n; d++) {
        let s = 0;
        for (let e = start[d] as number; e < (start[d + 1] as number); e++) s += (val[e] as number) * (bc[col[e] as number] as number);
        out[d] = s;
      }
      return out;
    });
  /** Aᵀ·Z for Z given as N-long columns: V-long columns. */
  const timesTransposed = (z: Float64Array[]): Float64Array[] =>
    z.map((zc) => {
      const out = new Float64Array(v);
      for (let d = 0; d < n; d++) {
        const w = zc[d] as number;
        if (w === 0) continue;
        for (let e = start[d] as number; e < (start[d + 1] as number); e++) out[col[e] as number] = (out[col[e] as number] as number) + (val[e] as number) * w;
      }
      return out;
    });
  const normal = randomNormal(options.seed ?? 20261202);
  // Subspace iteration on the passage side (the sample has fewer passages than terms): Y spans A·Aᵀ's leading eigenvectors.
  let y: Float64Array[] = Array.from({ length: l }, () => Float64Array.from({ length: n }, normal));
  orthonormalise(y);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    y = times(timesTransposed(y));
    orthonormalise(y);
  }
  // B = Aᵀ·Y; its Gram matrix Bᵀ·B = Yᵀ·A·Aᵀ·Y has the eigenvectors that turn B's columns into right singular vectors.
  const b = timesTransposed(y);
  const ab = times(b);
  const gram = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      const yi = y[i] as Float64Array;
      const abj = ab[j] as Float64Array;
      for (let d = 0; d < n; d++) s += (yi[d] as number) * (abj[d] as number);
      gram[i * l + j] = s;
      gram[j * l + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from(values.keys())
    .filter((e) => (values[e] as number) > 1e-9)
    .sort((x, z) => (values[z] as number) - (values[x] as number) || x - z)
    .slice(0, dims);
  if (order.length < 2) return null;
  const k = order.length;
  // Row r of the projection is Σ_j B[r, j] · M[j, ·], with M = the chosen eigenvectors over √eigenvalue.
  const mix = new Float64Array(l * k);
  order.forEach((e, c) => {
    const scale = 1 / Math.sqrt(values[e] as number);
    for (let j = 0; j < l; j++) mix[j * k + c] = (vectors[j * l + e] as number) * scale;
  });
  const projection = new Float32Array(v * k);
  const row = new Float64Array(k);
  for (let r = 0; r < v; r++) {
    row.fill(0);
    for (let j = 0; j < l; j++) {
      const x = (b[j] as Float64Array)[r] as number;
      if (x === 0) continue;
      for (let c = 0; c < k; c++) row[c] = (row[c] as number) + x * (mix[j * k + c] as number);
    }
    projection.set(row, r * k);
  }
  return { model: latentModelFrom(kept, projection, k), kept, projection };
}

/** A fitted model as stored with an index: the kept terms by row and their rows, `dims` numbers each. */
export interface StoredLatent {
  dims: number;
  terms: string[];
  projection: Float32Array;
}

/** What the fit reads of a corpus: its passages' distinct terms with counts, and each term's idf over all of it. */
export interface LatentCorpus {
  readonly docCount: number;
  termsOf(doc: number): { terms: ReadonlyArray<readonly [string, number]> };
  idf(term: string): number;
}

/**
 * Fits the model on up to `sample` passages spread evenly over the corpus; null when the corpus is
 * smaller than `minPassages` or too small to fit.
 */
export function fitCorpusLatent(corpus: LatentCorpus, options: { sample: number; minPassages: number; dims?: number }): StoredLatent | null {
  const n = corpus.docCount;
  if (n < options.minPassages) return null;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const passages: TermCounts[] = [];
  const size = Math.min(n, options.sample);
  for (let i = 0; i < size; i++) {
    const { terms } = corpus.termsOf(Math.floor((i * n) / size));
    const t = new Int32Array(terms.length);
    const c = new Float64Array(terms.length);
    terms.forEach(([term, count], j) => {
      let id = ids.get(term);
      if (id === undefined) {
        ids.set(term, (id = names.length));
        names.push(term);
      }
      t[j] = id;
      c[j] = count;
    });
    passages.push({ terms: t, counts: c });
  }
  const fitted = fitLatentModel(passages, (id) => corpus.idf(names[id] ?? ''), options.dims ? { dims: options.dims } : {});
  if (!fitted) return null;
  return { dims: fitted.model.dims, terms: fitted.kept.map((id) => names[id] ?? ''), projection: fitted.projection };
}

/** A model from its kept term ids (ascending) and their rows. */
export function latentModelFrom(terms: readonly number[], projection: Float32Array, dims: number): LatentModel {
  const rows = new Map<number, number>();
  terms.forEach((t, r) => rows.set(t, r));
  const rowOf = (term: number): number => rows.get(term) ?? -1;
  return { dims, rowOf, project: (termIds, weights) => foldIn(projection, dims, Array.from(termIds, rowOf), weights) };
}

/**
 * The unit latent vector of weighted projection rows (a row < 0 or a weight ≤ 0 is skipped), or null
 * when nothing is left.
 */
export function foldIn(projection: Float32Array, dims: number, rows: ArrayLike<number>, weights: ArrayLike<number>): Float32Array | null {
  const out = new Float64Array(dims);
  let any = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const w = weights[i] as number;
    if (r < 0 || !(w > 0)) continue;
    any = true;
    for (let k = 0; k < dims; k++) out[k] = (out[k] as number) + w * (projection[r * dims + k] as number);
  }
  let norm = 0;
  for (let k = 0; k < dims; k++) norm += (out[k] as number) ** 2;
  if (!any || norm === 0) return null;
  norm = Math.sqrt(norm);
  return Float32Array.from(out, (x) => x / norm);
}
