import { isStopword, stem, tokenize } from '../text/tokens';
import { createLruCache } from '../cache/lru-cache';

/** Standard BM25 saturation and length normalisation (Robertson/Sparck Jones defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Postings per block for block maxima: small enough to skip precisely, large enough that maxima cost ~1% of postings. */
export const BM25_BLOCK = 64;
/** Documents per window of the pruned search: bounds stay local enough to prune, and per-window work stays small next to the postings. */
export const BM25_WINDOW = 4096;
/** Past-the-end document of an exhausted posting list. */
const NO_DOC = 2147483647;
/** Relative slack on pruning bounds, so that float rounding in a different summation order never prunes a true hit. */
const BOUND_SLACK = 1e-9;

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface ScoredDoc {
  doc: number;
  score: number;
}

export interface Bm25Index {
  readonly docCount: number;
  vocabulary(): IterableIterator<string>;
  /** Every indexed word as written (lower-cased), with its stem: typo correction works on these. */
  surfaceForms(): ReadonlyMap<string, string>;
  has(term: string): boolean;
  /** Number of documents containing the term. */
  df(term: string): number;
  /** Inverse document frequency; unseen terms get the largest possible value. */
  idf(term: string): number;
  /**
   * Top `limit` documents for the weighted terms, best first (ties by lower doc). Pruned with block-max
   * MaxScore; the result is identical to `searchExhaustive`.
   */
  search(terms: WeightedTerm[], limit: number): ScoredDoc[];
  /** The same ranking computed by scoring every matching document (the reference `search` must equal). */
  searchExhaustive(terms: WeightedTerm[], limit: number): ScoredDoc[];
  /** BM25 score of one document (for fusing candidates found by another retriever). */
  scoreDoc(terms: WeightedTerm[], doc: number): number;
  /** `scoreDoc` of each of `docs` (the same floats), reading each term's postings once in document order. */
  scoreDocs(terms: WeightedTerm[], docs: readonly number[]): Float64Array;
  /** True when the document contains the term. */
  contains(doc: number, term: string): boolean;
  /** The document's distinct terms (in order of first use) with their frequencies, and its length in terms. */
  termsOf(doc: number): { terms: ReadonlyArray<readonly [string, number]>; length: number };
  /** Bytes held by the typed arrays (postings, lengths, block maxima). */
  readonly arrayBytes: number;
}

/**
 * First position in (p, e) whose document is ≥ doc, given postDocs[p] < doc (documents ascend):
 * gallop, then binary search. `e` when there is none.
 */
function gallopTo(postDocs: Int32Array, p: number, e: number, doc: number): number {
  let step = 1;
  let lo = p + 1;
  while (lo + step < e && postDocs[lo + step]! < doc) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(e, lo + step + 1);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (postDocs[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A growable Int32 buffer: per-document term lists are appended without per-document JS arrays. */
class IntBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Min-heap of the current top k by (score asc, doc desc): the root is the hit a better one evicts. */
class TopK {
  readonly docs: Int32Array;
  readonly scores: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  private worse(i: number, j: number): boolean {
    const a = this.scores[i] ?? 0;
    const b = this.scores[j] ?? 0;
    return a < b || (a === b && (this.docs[i] ?? 0) > (this.docs[j] ?? 0));
  }
  private swap(i: number, j: number): void {
    const d = this.docs[i] ?? 0;
    this.docs[i] = this.docs[j] ?? 0;
    this.docs[j] = d;
    const s = this.scores[i] ?? 0;
    this.scores[i] = this.scores[j] ?? 0;
    this.scores[j] = s;
  }
  get full(): boolean {
    return this.size === this.k;
  }
  /** Score a document must beat to enter (documents arrive in ascending id, so ties lose). */
  get threshold(): number {
    return this.full ? (this.scores[0] ?? 0) : -Infinity;
  }
  offer(doc: number, score: number): void {
    if (this.full) {
      if (!(score > (this.scores[0] ?? 0))) return;
      this.docs[0] = doc;
      this.scores[0] = score;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.worse(l, m)) m = l;
        if (r < this.size && this.worse(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
      return;
    }
    let i = this.size++;
    this.docs[i] = doc;
    this.scores[i] = score;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  sorted(): ScoredDoc[] {
    const out: ScoredDoc[] = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i] ?? 0, score: this.scores[i] ?? 0 });
    return out.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

/**
 * Everything a BM25 index holds, as plain typed arrays and string lists: what a build writes to disk
 * and a load reads back. Terms are stems numbered by first use; `surfaces` are the words as written
 * (in order of first use), each with the id of its stem.
 */
export interface Bm25Data {
  docCount: number;
  /** Stems by term id. */
  terms: string[];
  /** Lower-cased words as written, in order of first use. */
  surfaces: string[];
  /** Term id of each surface form's stem. */
  surfaceTerms: Uint32Array;
  /** Document lengths in terms (stopwords excluded). */
  lengths: Uint32Array;
  /** Postings of term t are postDocs/postTfs[postStart[t], postStart[t + 1]), documents ascending. */
  postStart: Uint32Array;
  postDocs: Int32Array;
  postTfs: Uint16Array;
  /** Blocks of term t are [blockStart[t], blockStart[t + 1]); each covers BM25_BLOCK postings. */
  blockStart: Uint32Array;
  /** Largest tf part of a block (the per-term weight × idf is applied at query time). */
  blockMax: Float64Array;
  /** Last document of a block. */
  blockLast: Int32Array;
  /** Largest tf part of each term's postings. */
  termMax: Float64Array;
}

/** Documents whose recounted terms `termsOf` keeps: a few hundred searches' feedback passages, about 2 KB each. */
const TERMS_OF_CACHE = 2048;

/** Forward-index entries per chunk while BM25 arrays are built: 1M entries (6 MB) bounds the unused tail. */
const FORWARD_CHUNK = 1 << 20;

/** Term frequencies are stored as Uint16: a term repeated more often in one passage counts this much. */
const MAX_TF = 65535;

/** Distinct terms of a text in order of first use with their frequencies, and its length; `stemOf` maps a word to its stem. */
function countTerms(text: string, stemOf: (token: string) => string): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  let length = 0;
  for (const token of tokenize(text)) {
    if (isStopword(token)) continue;
    const s = stemOf(token);
    counts.set(s, (counts.get(s) ?? 0) + 1);
    length++;
  }
  return { counts, length };
}

/**
 * Indexes `texts` (one document each) into BM25 arrays. Texts are read once, in order, so they can
 * be produced lazily.
 */
export function buildBm25Data(texts: Iterable<string>): Bm25Data {
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  const surface = new Map<string, string>();
  const lengthBuf = new IntBuffer();
  const fwdStartBuf = new IntBuffer();
  fwdStartBuf.push(0);
  // The forward index in fixed-size chunks: no doubling slack and no copy when it grows (it is the largest array of a build).
  const fwdTerms: Int32Array[] = [];
  const fwdTfs: Uint16Array[] = [];
  let total = 0;
  /** Term id of each surface form met so far (one lookup per token); stopwords map to -1. */
  const surfaceIds = new Map<string, number>();
  // A document's term counts: `count` by term id, `used` lists its terms in order of first use.
  let count = new Int32Array(1024);
  const used = new IntBuffer();
  let n = 0;
  for (const text of texts) {
    used.length = 0;
    let length = 0;
    for (const token of tokenize(text)) {
      let id = surfaceIds.get(token);
      if (id === undefined) {
        if (isStopword(token)) id = -1;
        else {
          const s = stem(token);
          surface.set(token, s);
          id = termIds.get(s);
          if (id === undefined) {
            id = termList.length;
            termIds.set(s, id);
            termList.push(s);
            if (id >= count.length) {
              const next = new Int32Array(count.length * 2);
              next.set(count);
              count = next;
            }
          }
        }
        surfaceIds.set(token, id);
      }
      if (id < 0) continue;
      if (count[id] === 0) used.push(id);
      count[id] = (count[id] as number) + 1;
      length++;
    }
    lengthBuf.push(length);
    for (let k = 0; k < used.length; k++) {
      const id = used.data[k] as number;
      const chunk = Math.floor(total / FORWARD_CHUNK);
      if (chunk === fwdTerms.length) {
        fwdTerms.push(new Int32Array(FORWARD_CHUNK));
        fwdTfs.push(new Uint16Array(FORWARD_CHUNK));
      }
      (fwdTerms[chunk] as Int32Array)[total % FORWARD_CHUNK] = id;
      (fwdTfs[chunk] as Uint16Array)[total % FORWARD_CHUNK] = Math.min(count[id] as number, MAX_TF);
      total++;
      count[id] = 0;
    }
    fwdStartBuf.push(total);
    n++;
  }
  const lengths = Uint32Array.from(lengthBuf.data.subarray(0, n));
  const fwdStart = fwdStartBuf.data;
  const terms = termList.length;

  // Inverted lists by counting sort of the forward index: documents come out ascending per term.
  const postStart = new Uint32Array(terms + 1);
  fwdTerms.forEach((chunk, c) => {
    const filled = Math.min(FORWARD_CHUNK, total - c * FORWARD_CHUNK);
    for (let i = 0; i < filled; i++) postStart[(chunk[i] as number) + 1]!++;
  });
  for (let t = 0; t < terms; t++) postStart[t + 1]! += postStart[t] ?? 0;
  const postDocs = new Int32Array(total);
  const postTfs = new Uint16Array(total);
  const fill = postStart.slice(0, terms);
  for (let doc = 0; doc < n; doc++) {
    for (let i = fwdStart[doc] ?? 0; i < (fwdStart[doc + 1] ?? 0); i++) {
      const c = Math.floor(i / FORWARD_CHUNK);
      const t = (fwdTerms[c] as Int32Array)[i % FORWARD_CHUNK] as number;
      const at = fill[t]!++;
      postDocs[at] = doc;
      postTfs[at] = (fwdTfs[c] as Uint16Array)[i % FORWARD_CHUNK] as number;
    }
  }

  const tfPart = tfPartOf(lengths, averageLength(lengths));
  const blockStart = new Uint32Array(terms + 1);
  for (let t = 0; t < terms; t++) blockStart[t + 1] = (blockStart[t] ?? 0) + Math.ceil(((postStart[t + 1] ?? 0) - (postStart[t] ?? 0)) / BM25_BLOCK);
  const blocks = blockStart[terms] ?? 0;
  const blockMax = new Float64Array(blocks);
  const blockLast = new Int32Array(blocks);
  const termMax = new Float64Array(terms);
  for (let t = 0; t < terms; t++) {
    const start = postStart[t] ?? 0;
    const end = postStart[t + 1] ?? 0;
    let b = blockStart[t] ?? 0;
    let best = 0;
    for (let i = start; i < end; i += BM25_BLOCK) {
      const stop = Math.min(end, i + BM25_BLOCK);
      let m = 0;
      for (let j = i; j < stop; j++) m = Math.max(m, tfPart(postTfs[j] ?? 0, postDocs[j] ?? 0));
      blockMax[b] = m;
      blockLast[b] = postDocs[stop - 1] ?? 0;
      best = Math.max(best, m);
      b++;
    }
    termMax[t] = best;
  }
  const surfaces = [...surface.keys()];
  const surfaceTerms = Uint32Array.from(surface.values(), (s) => termIds.get(s) ?? 0);
  return { docCount: n, terms: termList, surfaces, surfaceTerms, lengths, postStart, postDocs, postTfs, blockStart, blockMax, blockLast, termMax };
}

function averageLength(lengths: Uint32Array): number {
  let lengthSum = 0;
  for (let d = 0; d < lengths.length; d++) lengthSum += lengths[d] ?? 0;
  return lengthSum / Math.max(1, lengths.length) || 1;
}

/** The BM25 tf part of a posting: saturation and length normalisation. */
function tfPartOf(lengths: Uint32Array, avgLength: number): (tf: number, doc: number) => number {
  return (tf, doc) => (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[doc] ?? 0)) / avgLength));
}

/** Builds an in-memory BM25 index over `texts` (one document each). */
export function createBm25Index(texts: readonly string[]): Bm25Index {
  return bm25FromData(buildBm25Data(texts), (doc) => texts[doc] ?? '');
}

/**
 * A BM25 index over arrays built by `buildBm25Data` (or read back from disk). `textOf` gives a
 * document's text: a document's terms are recounted from it on demand rather than kept in a forward index.
 */
export function bm25FromData(data: Bm25Data, textOf: (doc: number) => string): Bm25Index {
  const n = data.docCount;
  const { lengths, postStart, postDocs, postTfs, blockStart, blockMax, blockLast, termMax } = data;
  const termIds = new Map<string, number>();
  data.terms.forEach((term, id) => termIds.set(term, id));
  const surface = new Map<string, string>();
  data.surfaces.forEach((word, i) => surface.set(word, data.terms[data.surfaceTerms[i] ?? 0] ?? ''));
  const avgLength = averageLength(lengths);
  const idfOf = (df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const maxIdf = idfOf(0);
  // The length part of every document's BM25 denominator, computed once (the same floats as tfPartOf).
  const norm = new Float64Array(n);
  for (let d = 0; d < n; d++) norm[d] = BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[d] ?? 0)) / avgLength);
  const tfPart = (tf: number, doc: number): number => (tf * (BM25_K1 + 1)) / (tf + (norm[doc] ?? 0));

  // Documents recounted by `termsOf` (feedback reads the first pass's best few, often the same ones), oldest dropped first.
  const forward = createLruCache<number, { terms: ReadonlyArray<readonly [string, number]>; length: number }>(TERMS_OF_CACHE);
  const dfOf = (t: number): number => (postStart[t + 1] ?? 0) - (postStart[t] ?? 0);
  /** Position of `doc` in term t's postings, or -1. */
  const findDoc = (t: number, doc: number): number => {
    let lo = postStart[t] ?? 0;
    let hi = (postStart[t + 1] ?? 0) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = postDocs[mid] ?? 0;
      if (d === doc) return mid;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  // Scratch accumulator reused by every exhaustive search (searches are synchronous); reset via `touched`.
  let scores: Float64Array | null = null;
  function searchExhaustive(query: WeightedTerm[], limit: number): ScoredDoc[] {
    scores ??= new Float64Array(n);
    const acc = scores;
    const touched: number[] = [];
    for (const { term, weight } of query) {
      const t = termIds.get(term);
      if (t === undefined) continue;
      const w = weight * idfOf(dfOf(t));
      for (let i = postStart[t] ?? 0; i < (postStart[t + 1] ?? 0); i++) {
        const doc = postDocs[i] ?? 0;
        if (acc[doc] === 0) touched.push(doc);
        acc[doc] = (acc[doc] ?? 0) + w * tfPart(postTfs[i] ?? 0, doc);
      }
    }
    const hits = touched.map((doc) => ({ doc, score: acc[doc] ?? 0 }));
    for (const doc of touched) acc[doc] = 0;
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, limit);
  }

  // Scratch for the pruned search's window (searches are synchronous): partial scores, a bit per document holding one, candidates.
  let windowScores: Float64Array | null = null;
  let windowHit: Int32Array | null = null;
  let windowCandidates: Int32Array | null = null;

  /**
   * Block-max MaxScore over windows of BM25_WINDOW documents, as in Lucene's MaxScoreBulkScorer. Per
   * window, each list's bound is its largest block maximum inside the window; lists whose summed
   * bounds cannot beat the k-th score are "non-essential". The essential lists are added up term at a
   * time into a window accumulator; each accumulated document is then checked against the
   * non-essential bounds, probing those lists (block maxima first) only while it can still enter.
   * Entering scores are summed in query order exactly as the exhaustive pass does, so both return the
   * same floats. Documents are visited in ascending order, so every list keeps cursors that only move forward.
   */
  function searchPruned(query: WeightedTerm[], limit: number): ScoredDoc[] {
    const ts: number[] = [];
    const ws: number[] = [];
    for (const { term, weight } of query) {
      const t = termIds.get(term);
      if (t === undefined) continue;
      if (!(weight > 0)) return searchExhaustive(query, limit);
      ts.push(t);
      ws.push(weight * idfOf(dfOf(t)));
    }
    const m = ts.length;
    if (m === 0 || limit <= 0) return [];
    // Per list, in query order: posting cursor and end, its current document, weight, block cursor.
    const pos = new Int32Array(m);
    const end = new Int32Array(m);
    const cur = new Int32Array(m);
    const w = Float64Array.from(ws);
    const blk = new Int32Array(m);
    const blk0 = new Int32Array(m);
    const blkEnd = new Int32Array(m);
    const first = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const t = ts[i] ?? 0;
      pos[i] = first[i] = postStart[t] ?? 0;
      end[i] = postStart[t + 1] ?? 0;
      cur[i] = pos[i]! < end[i]! ? (postDocs[pos[i]!] ?? 0) : NO_DOC;
      blk[i] = blk0[i] = blockStart[t] ?? 0;
      blkEnd[i] = blockStart[t + 1] ?? 0;
    }
    const top = new TopK(limit);
    const slack = 1 + BOUND_SLACK;
    const acc = (windowScores ??= new Float64Array(BM25_WINDOW));
    const hit = (windowHit ??= new Int32Array(BM25_WINDOW >> 5));
    // Per window: each list's bound, the lists with postings in it by ascending bound, and prefix sums of those bounds.
    const bound = new Float64Array(m);
    const order = new Int32Array(m);
    const prefix = new Float64Array(m);
    // Each list's first posting in the current window, then the exact scoring's cursor.
    const winPos = new Int32Array(m);
    const cand = (windowCandidates ??= new Int32Array(BM25_WINDOW));
    /** Moves list i's block cursor to the first block whose last document is ≥ doc; false when none is. */
    const toBlock = (i: number, doc: number): boolean => {
      let b = blk[i]!;
      const e = blkEnd[i]!;
      while (b < e && blockLast[b]! < doc) b++;
      blk[i] = b;
      return b < e;
    };
    /** Moves list i to its first posting ≥ doc, inside the block its block cursor is at. */
    const seekInBlock = (i: number, doc: number): void => {
      const blockFirst = first[i]! + (blk[i]! - blk0[i]!) * BM25_BLOCK;
      let lo = Math.max(pos[i]!, blockFirst);
      let hi = Math.min(end[i]!, blockFirst + BM25_BLOCK);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (postDocs[mid]! < doc) lo = mid + 1;
        else hi = mid;
      }
      pos[i] = lo;
      cur[i] = lo < end[i]! ? postDocs[lo]! : NO_DOC;
    };
    /** Moves list i to its first posting ≥ doc. */
    const seek = (i: number, doc: number): void => {
      if (cur[i]! >= doc) return;
      if (!toBlock(i, doc)) {
        pos[i] = end[i]!;
        cur[i] = NO_DOC;
        return;
      }
      seekInBlock(i, doc);
    };

    for (;;) {
      let from = NO_DOC;
      for (let i = 0; i < m; i++) if (cur[i]! < from) from = cur[i]!;
      if (from === NO_DOC) break;
      const to = from + BM25_WINDOW;
      const threshold = top.threshold;
      // Each list's bound in [from, to): the largest maximum of its blocks that overlap the window.
      let live = 0;
      winPos.set(pos);
      for (let i = 0; i < m; i++) {
        if (cur[i]! >= to) continue;
        toBlock(i, cur[i]!);
        let b = blk[i]!;
        let mx = 0;
        for (; b < blkEnd[i]!; b++) {
          if (blockMax[b]! > mx) mx = blockMax[b]!;
          if (blockLast[b]! >= to - 1) break;
        }
        bound[i] = w[i]! * mx;
        let j = live++;
        while (j > 0 && bound[order[j - 1]!]! > bound[i]!) {
          order[j] = order[j - 1]!;
          j--;
        }
        order[j] = i;
      }
      let run = 0;
      for (let j = 0; j < live; j++) prefix[j] = run += bound[order[j]!]!;
      let essential = 0;
      while (essential < live && !(prefix[essential]! * slack >= threshold)) essential++;
      let c = 0;
      if (essential < live) {
        // The essential lists' partial scores, term at a time.
        for (let j = essential; j < live; j++) {
          const i = order[j]!;
          const wi = w[i]!;
          const e = end[i]!;
          let p = pos[i]!;
          let d = cur[i]!;
          for (; d < to; d = p < e ? postDocs[p]! : NO_DOC) {
            const tf = postTfs[p]!;
            acc[d - from]! += wi * ((tf * (BM25_K1 + 1)) / (tf + norm[d]!));
            hit[(d - from) >> 5]! |= 1 << ((d - from) & 31);
            p++;
          }
          pos[i] = p;
          cur[i] = d;
        }
        // Candidates: documents of the essential lists that the non-essential bounds could lift in.
        const rest0 = essential > 0 ? prefix[essential - 1]! : 0;
        for (let word = 0; word < hit.length; word++) {
          let bits = hit[word]!;
          if (bits === 0) continue;
          hit[word] = 0;
          while (bits !== 0) {
            const low = bits & -bits;
            const k = (word << 5) | (31 - Math.clz32(low));
            bits ^= low;
            if ((acc[k]! + rest0) * slack >= threshold) cand[c++] = k;
            else acc[k] = 0;
          }
        }
        // The non-essential lists from the largest bound down, each merged with the candidates left;
        // a candidate is dropped once what it holds plus the remaining bounds cannot enter.
        for (let j = essential - 1; j >= 0 && c > 0; j--) {
          const i = order[j]!;
          const rest = j > 0 ? prefix[j - 1]! : 0;
          const wi = w[i]!;
          const e = end[i]!;
          const be = blkEnd[i]!;
          const base = first[i]! - blk0[i]! * BM25_BLOCK;
          let b = blk[i]!;
          let p = pos[i]!;
          let kept = 0;
          for (let q = 0; q < c; q++) {
            const k = cand[q]!;
            const doc = from + k;
            let s = acc[k]!;
            if (p < e && postDocs[p]! < doc) {
              while (b < be && blockLast[b]! < doc) b++;
              if (b === be) p = e;
              else {
                const blockFirst = base + b * BM25_BLOCK;
                if (p < blockFirst) p = blockFirst;
                if ((s + rest + wi * blockMax[b]!) * slack < threshold) {
                  acc[k] = 0;
                  continue;
                }
                while (postDocs[p]! < doc) p++;
              }
            }
            if (p < e && postDocs[p] === doc) {
              const tf = postTfs[p]!;
              s += wi * ((tf * (BM25_K1 + 1)) / (tf + norm[doc]!));
            }
            if ((s + rest) * slack >= threshold) {
              acc[k] = s;
              cand[kept++] = k;
            } else acc[k] = 0;
          }
          c = kept;
          blk[i] = b;
          pos[i] = p;
          cur[i] = p < e ? postDocs[p]! : NO_DOC;
        }
        // Survivors in ascending order: scored exactly, in query order, while they can still enter.
        for (let q = 0; q < c; q++) {
          const k = cand[q]!;
          const s = acc[k]!;
          acc[k] = 0;
          if (!(s * slack >= top.threshold)) continue;
          const doc = from + k;
          let score = 0;
          for (let i = 0; i < m; i++) {
            let p = winPos[i]!;
            const e = end[i]!;
            if (p < e && postDocs[p]! < doc) {
              p = gallopTo(postDocs, p, e, doc);
              winPos[i] = p;
            }
            if (p < e && postDocs[p] === doc) {
              const tf = postTfs[p]!;
              score += w[i]! * ((tf * (BM25_K1 + 1)) / (tf + norm[doc]!));
            }
          }
          top.offer(doc, score);
        }
      }
      for (let i = 0; i < m; i++) seek(i, to);
    }
    return top.sorted();
  }

  return {
    docCount: n,
    vocabulary: () => termIds.keys(),
    surfaceForms: () => surface,
    has: (term) => termIds.has(term),
    df: (term) => {
      const t = termIds.get(term);
      return t === undefined ? 0 : dfOf(t);
    },
    idf: (term) => {
      const t = termIds.get(term);
      return t === undefined ? maxIdf : idfOf(dfOf(t));
    },
    search: searchPruned,
    searchExhaustive,
    scoreDoc(query, doc) {
      let score = 0;
      for (const { term, weight } of query) {
        const t = termIds.get(term);
        if (t === undefined) continue;
        const i = findDoc(t, doc);
        if (i >= 0) score += weight * idfOf(dfOf(t)) * tfPart(postTfs[i] ?? 0, doc);
      }
      return score;
    },
    scoreDocs(query, docs) {
      const out = new Float64Array(docs.length);
      const order = Array.from(docs.keys()).sort((a, b) => (docs[a] ?? 0) - (docs[b] ?? 0));
      for (const { term, weight } of query) {
        const t = termIds.get(term);
        if (t === undefined) continue;
        const w = weight * idfOf(dfOf(t));
        const e = postStart[t + 1] ?? 0;
        let p = postStart[t] ?? 0;
        for (const i of order) {
          const doc = docs[i] ?? 0;
          if (p < e && postDocs[p]! < doc) p = gallopTo(postDocs, p, e, doc);
          if (p >= e) break;
          if (postDocs[p] === doc) out[i] = out[i]! + w * tfPart(postTfs[p] ?? 0, doc);
        }
      }
      return out;
    },
    termsOf(doc) {
      return forward.getOrSet(doc, () => {
        const { counts, length } = countTerms(textOf(doc), (token) => surface.get(token) ?? stem(token));
        return { terms: [...counts].map(([t, c]) => [t, Math.min(c, MAX_TF)] as const), length: lengths[doc] ?? length };
      });
    },
    contains(doc, term) {
      const t = termIds.get(term);
      return t === undefined ? false : findDoc(t, doc) >= 0;
    },
    arrayBytes:
      lengths.byteLength + postStart.byteLength + postDocs.byteLength + postTfs.byteLength + blockStart.byteLength + blockMax.byteLength + blockLast.byteLength + termMax.byteLength,
  };
}
