import type { Embedder } from '../embed/types';
import { IndexError, QueryError } from '../errors';
import { createDuplicateFilter } from '../ingest/dedupe';
import { type Span, splitSentences } from '../ingest/sentences';
import type { Passage } from '../ingest/types';
import { clipText } from '../text/clip';
import type { LoadedIndex } from '../store/load-index';
import { judgeAnswer } from './answerability';
import { createBm25Index } from './bm25';
import { DEFAULT_FUSION, type FusionMethod, fuse } from './fusion';
import { chooseHighlights, scoreSentences } from './highlight';
import { type AnalyzedQuery, analyzeQuery, coverage } from './query';
import { contentTerms } from './text';
import { transliterateNames } from './transliterate';
import { createTypoIndex } from './typos';
import type { IndexStats, PassageContext, ReportSummary, SearchHit, SearchMode, SearchOptions, SearchResult, Searcher } from './types';

/** Questions are cut here for search; longer text is rarely a question and slows every stage. */
export const MAX_QUESTION_CHARS = 300;
/** Candidates fetched from each retriever before fusion; enough headroom for pagination and dedupe. */
const MIN_CANDIDATES = 50;
/** Hits whose texts are this similar (word 3-shingle Jaccard) to a better hit are dropped. */
const RESULT_DUPLICATE_JACCARD = 0.8;
/** "Show context" adds neighbouring passages while the window stays under this many characters. */
const CONTEXT_MAX_CHARS = 3000;

interface PassageSentences {
  spans: Span[];
  terms: Array<Set<string>>;
}

export interface SearcherDeps {
  index: LoadedIndex;
  embedder: Embedder;
  fusion?: FusionMethod;
  /** Weight of corpus-misspelling expansion for known words (0 disables). */
  misspellingWeight?: number;
}

function dot(a: Float32Array, b: Float32Array, offset: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[offset + i] ?? 0);
  return s;
}

/** Cleans a question for search: collapses whitespace and cuts overly long text at a word boundary. */
export function normaliseQuestion(raw: string): { question: string; truncated: boolean } {
  const { text, cut } = clipText(raw, MAX_QUESTION_CHARS, '');
  return { question: text, truncated: cut };
}

/**
 * Creates the hybrid searcher over a loaded index. Throws INDEX_MODEL_MISMATCH when the embedder
 * is not the model that built the index, since its vectors would be meaningless against it.
 */
export function createSearcher(deps: SearcherDeps): Searcher {
  const { index, embedder } = deps;
  const built = index.manifest.model;
  if (built.id !== embedder.info.id || built.dims !== embedder.info.dims || built.fingerprint !== embedder.info.fingerprint) {
    throw new IndexError(
      'INDEX_MODEL_MISMATCH',
      `The index was built with model ${built.id} (${built.dims} dims, fingerprint ${built.fingerprint}) but search uses ${embedder.info.id} (${embedder.info.dims} dims, fingerprint ${embedder.info.fingerprint}).`,
      { hint: `Rebuild the index with this model (npm run build-index -- --model ${embedder.info.id}) or search with ${built.id}.` },
    );
  }
  const fusion = deps.fusion ?? DEFAULT_FUSION;
  const dims = built.dims;
  const { passages, vectors, hnsw } = index;
  const bm25 = createBm25Index(passages.map((p) => p.text));
  const typos = createTypoIndex(bm25.surfaceForms().keys());
  const reportsByPath = new Map(index.reports.map((r) => [r.path, r]));
  const passageIndex = new Map(passages.map((p, i) => [p.id, i]));
  const denseNull = index.manifest.calibration.denseNull;

  /** A passage's sentences (report offsets) with their content terms. */
  function analyseSentences(p: Passage): PassageSentences {
    const text = reportsByPath.get(p.source)?.text ?? '';
    const spans = splitSentences(text, p.start, p.end);
    return { spans, terms: spans.map((s) => new Set(contentTerms(text.slice(s.start, s.end)))) };
  }

  /**
   * Coverage of the question by a passage, averaged with that of its best sentence: an answering
   * passage usually has the question's key words together in one sentence, not scattered.
   */
  function answerCoverage(query: AnalyzedQuery, doc: number, sentences: PassageSentences): number {
    const passageCoverage = coverage(query, (term) => bm25.contains(doc, term));
    let best = 0;
    for (const terms of sentences.terms) best = Math.max(best, coverage(query, (term) => terms.has(term)));
    return (passageCoverage + best) / 2;
  }

  async function search(raw: string, options: SearchOptions = {}): Promise<SearchResult> {
    const k = Math.max(1, Math.floor(options.k ?? 5));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const mode: SearchMode = options.mode ?? 'hybrid';
    const { question, truncated } = normaliseQuestion(raw);
    if (question.length === 0) throw new QueryError('The question is empty.');
    const wanted = offset + k + 1;
    const depth = Math.min(passages.length, Math.max(MIN_CANDIDATES, wanted * 3));

    // The reports are English: Cyrillic names are searched in Latin spelling ("Покровськ" → "Pokrovsk").
    const searchText = transliterateNames(question);
    const query = analyzeQuery(searchText, bm25, typos, deps.misspellingWeight);
    const useLexical = mode !== 'dense';
    const useDense = mode !== 'lexical';
    const queryVector = useDense ? await embedder.embedQuery(searchText) : null;

    const lexical = new Map<number, number>();
    const dense = new Map<number, number>();
    if (useLexical) for (const { doc, score } of bm25.search(query.terms, depth)) lexical.set(doc, score);
    if (queryVector && passages.length > 0) {
      const { neighbors, distances } = hnsw.searchKnn(Array.from(queryVector), depth);
      neighbors.forEach((doc, i) => dense.set(doc, 1 - (distances[i] ?? 1)));
    }
    // Score every candidate on both sides so fusion compares like with like.
    if (useLexical && useDense) {
      for (const doc of dense.keys()) if (!lexical.has(doc)) lexical.set(doc, bm25.scoreDoc(query.terms, doc));
      for (const doc of lexical.keys()) if (!dense.has(doc) && queryVector) dense.set(doc, dot(queryVector, vectors, doc * dims));
    }
    const ranked =
      useLexical && useDense
        ? fuse(lexical, dense, fusion)
        : [...(useLexical ? lexical : dense)].map(([doc, score]) => ({ doc, score })).sort((a, b) => b.score - a.score || a.doc - b.doc);

    const unique: Array<{ doc: number; score: number }> = [];
    const duplicates = createDuplicateFilter(RESULT_DUPLICATE_JACCARD);
    for (const r of ranked) {
      if (useLexical && !useDense && r.score <= 0) continue;
      if (duplicates.isDuplicate(passages[r.doc]?.text ?? '')) continue;
      unique.push(r);
      if (unique.length >= wanted) break;
    }

    // Sentence analysis is shared by the answer decision (top hit) and highlighting (page hits).
    const analysed = new Map<number, PassageSentences>();
    const sentencesOf = (doc: number, p: Passage): PassageSentences => {
      let s = analysed.get(doc);
      if (!s) analysed.set(doc, (s = analyseSentences(p)));
      return s;
    };
    const top = unique[0];
    const topPassage = top ? passages[top.doc] : undefined;
    const signals = {
      coverage: top && topPassage && useLexical ? answerCoverage(query, top.doc, sentencesOf(top.doc, topPassage)) : useLexical ? 0 : null,
      denseZ: top && queryVector ? (dot(queryVector, vectors, top.doc * dims) - denseNull.mean) / denseNull.std : useDense ? -10 : null,
    };
    const { answered, confidence } = judgeAnswer(signals);

    const page = unique.slice(offset, offset + k);
    const hits: SearchHit[] = [];
    for (const { doc, score } of page) {
      const p = passages[doc];
      const report = p ? reportsByPath.get(p.source) : undefined;
      if (!p || !report) continue;
      const { spans: sentences, terms } = sentencesOf(doc, p);
      let scores = scoreSentences(terms, query);
      // No sentence shares a word with the question (a purely semantic match): rank sentences by meaning.
      if (queryVector && sentences.length > 0 && Math.max(...scores) <= 0) {
        const sv = await embedder.embedPassages(sentences.map((s) => report.text.slice(s.start, s.end)));
        scores = sv.map((v) => Math.max(0, dot(queryVector, v, 0)) + 1e-9);
      }
      const highlights = chooseHighlights(sentences, scores);
      hits.push({
        passageId: p.id,
        source: p.source,
        title: report.title,
        heading: p.heading,
        paragraph: p.paragraph,
        start: p.start,
        end: p.end,
        text: p.text,
        score: Number(score.toFixed(6)),
        highlights,
      });
    }
    return { question, truncated, answered, confidence: Number(confidence.toFixed(4)), hits, hasMore: unique.length > offset + k, signals };
  }

  function context(passageId: string): PassageContext | null {
    const i = passageIndex.get(passageId);
    if (i === undefined) return null;
    const p = passages[i];
    const report = p ? reportsByPath.get(p.source) : undefined;
    if (!p || !report) return null;
    let start = p.start;
    let end = p.end;
    const prev = passages[i - 1];
    const next = passages[i + 1];
    if (prev && prev.source === p.source && end - prev.start <= CONTEXT_MAX_CHARS) start = prev.start;
    if (next && next.source === p.source && next.end - start <= CONTEXT_MAX_CHARS) end = next.end;
    return { passageId, source: p.source, title: report.title, paragraph: p.paragraph, start, end, text: report.text.slice(start, end), focus: [p.start, p.end] };
  }

  function reports(): ReportSummary[] {
    return index.manifest.corpus.reports.map((r) => ({ source: r.path, title: r.title, passages: r.passages }));
  }

  function stats(): IndexStats {
    const m = index.manifest;
    return {
      buildId: m.buildId,
      reports: m.counts.reports,
      passages: m.counts.passages,
      modelId: m.model.id,
      dims: m.model.dims,
      offlineModel: m.model.offline,
      builtAt: m.builtAt,
      indexDir: index.dir,
    };
  }

  const searcher: Searcher = { search, context, reports, stats, snapshot: () => searcher };
  return searcher;
}
