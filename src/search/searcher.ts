import { withInducedWords } from '../embed/a-la-carte';
import type { Embedder } from '../embed/types';
import { IndexError, QueryError } from '../errors';
import { createDuplicateFilter } from '../ingest/dedupe';
import { type Span, splitSentences } from '../ingest/sentences';
import { pageAt } from '../ingest/pages';
import { clipText } from '../text/clip';
import type { LoadedIndex } from '../store/load-index';
import { inducedWords } from '../store/term-vectors';
import { type AnswerSignals, judgeAnswer, type LevelModels } from './answerability';
import { answerTypeOf, holdsAnswerType } from './answer-type';
import { createLatentScorer, fitLatent } from './latent-scorer';
import { bm25FromData, buildBm25Data, type WeightedTerm } from './bm25';
import { frequentNames } from './names';
import { createTermExpander, EXPANSION_WEIGHT, type Neighbour, pickNeighbours } from './expansion';
import { expandWithFeedback, FEEDBACK_WEIGHT } from './feedback';
import { DEFAULT_FUSION, type FusionMethod, fuse } from './fusion';
import { chooseHighlights, scoreSentences } from './highlight';
import { type AnalyzedQuery, analyzeQuery, coverage, missingShare, unknownShare } from './query';
import { contentTerms, stem, tokenize } from '../text/tokens';
import { ENGLISH_RANK_WORDS } from '../embed/english-ranks';
import { transliterateNames } from './transliterate';
import { mostInformative } from './key-passages';
import { asksForRecent, preferRecent, withoutRecencyWords } from './recency';
import { rankFeatures, rankScore, type RankerModel } from './ranker';
import { chooseProfile, isFittedFor, readProfiles, type SearchProfile } from './profiles';
import { createTypoIndex } from './typos';
import type { IndexStats, PassageContext, ReportSummary, SearchHit, SearchMode, SearchOptions, SearchResult, Searcher } from './types';
import { createLruCache } from '../cache/lru-cache';

/** Questions are cut here for search; longer text is rarely a question and slows every stage. */
export const MAX_QUESTION_CHARS = 300;
/** Candidates fetched from each retriever before fusion; enough headroom for pagination and dedupe. */
const MIN_CANDIDATES = 50;
/** Hits whose texts are this similar (word 3-shingle Jaccard) to a better hit are dropped. */
const RESULT_DUPLICATE_JACCARD = 0.8;
/** "Show context" adds neighbouring passages while the window stays under this many characters. */
const CONTEXT_MAX_CHARS = 3000;
/** Names offered in the "they cover …" hint: enough to show the range, short enough to read. */
const TOPIC_COUNT = 6;
/** Score factor for reader-comment passages: they answer only when the report itself does not. */
const COMMENT_FACTOR = 0.7;
/** Fused candidates the learned ranker reorders: deeper costs time and rarely lifts a hit into the top 3. */
const RERANK_DEPTH = 30;
/** Unknown question words whose nearest report words are kept (least recently used dropped first). */
const NEAREST_WORDS_CACHE = 1024;
/** Passages whose sentences and terms the ranker and highlighting keep between questions (least recently used dropped first). */
const RANK_CACHE_PASSAGES = 20_000;
/** Passages whose sentence vectors (for highlighting a purely semantic match) are kept: a few KB each. */
const SENTENCE_VECTOR_PASSAGES = 1024;
/** Hits scoring below this share of the best hit are not shown (tuned on the dev questions). */
export const RELATIVE_FLOOR = 0.6;

interface PassageSentences {
  spans: Span[];
  terms: Array<Set<string>>;
}

/** What a passage's text yields for ranking and highlighting: its sentences, and its content terms in reading order once the ranker asked. */
interface PassageAnalysis {
  sentences: PassageSentences;
  terms?: string[];
}

export interface SearcherDeps {
  index: LoadedIndex;
  embedder: Embedder;
  fusion?: FusionMethod;
  /** Weight of corpus-misspelling expansion for known words (0 disables). */
  misspellingWeight?: number;
  /** Share of the lexical query taken from pseudo-relevance feedback (0 disables). */
  feedbackWeight?: number;
  /** Weight of meaning-neighbour expansion for unknown words (0 disables). */
  expansionWeight?: number;
  /** Share of the best hit's score below which hits are dropped as filler (0 keeps all). */
  relativeFloor?: number;
  /** The ranker and level models to use; default: the profile fitted for the index's model, else the fallback profile. */
  profile?: SearchProfile;
  /** Answer-level models (for fitting and evaluation); default: the profile's. */
  levelModels?: LevelModels;
  /** The learned ranker over fused candidates in hybrid mode; null keeps the fused order. Default: the profile's. */
  ranker?: RankerModel | null;
  /** Receives every hybrid search's ranker features (for fitting the ranker). */
  onCandidates?: (question: string, candidates: RankedCandidate[]) => void;
}

/** One fused candidate with its ranker features, as given to `onCandidates`. */
export interface RankedCandidate {
  source: string;
  start: number;
  end: number;
  features: number[];
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
  const { index } = deps;
  const built = index.manifest.model;
  // Passage vectors carry the words the model lacks through their induced vectors; questions must too.
  const embedder = withInducedWords(deps.embedder, inducedWords(index.terms, built.dims));
  if (built.id !== embedder.info.id || built.dims !== embedder.info.dims || built.fingerprint !== embedder.info.fingerprint) {
    throw new IndexError(
      'INDEX_MODEL_MISMATCH',
      `The index was built with model ${built.id} (${built.dims} dims, fingerprint ${built.fingerprint}) but search uses ${embedder.info.id} (${embedder.info.dims} dims, fingerprint ${embedder.info.fingerprint}).`,
      { hint: `Rebuild the index with this model (npm run build-index -- --model ${embedder.info.id}) or search with ${built.id}.` },
    );
  }
  const fusion = deps.fusion ?? DEFAULT_FUSION;
  const dims = built.dims;
  const { passages, reports: reportStore, vectorRow, hnsw } = index;
  const n = passages.length;
  const textOf = (doc: number): string => passages.text(doc);
  // Built indexes carry their BM25 arrays; others (Postgres, in-memory) are indexed here from the texts.
  const bm25 = bm25FromData(index.bm25 ?? buildBm25Data(Array.from({ length: n }, (_, doc) => textOf(doc))), textOf);
  const typos = createTypoIndex(bm25.surfaceForms().keys());
  const latent = createLatentScorer(bm25, index.latent !== undefined ? index.latent : fitLatent(bm25));
  const denseNull = index.manifest.calibration.denseNull;
  const chosen = deps.profile ? { profile: deps.profile, fitted: isFittedFor(deps.profile, built.id) } : chooseProfile(built.id, readProfiles());
  const levelModels = deps.levelModels ?? chosen.profile.levels;
  /** The report a passage belongs to (metadata) and its text. */
  const reportInfo = (doc: number) => reportStore.info(passages.report(doc));
  /** Report text from `from` to `to` (report offsets) inside passage `doc`, cut from the passage alone. */
  const within = (doc: number, text: string, from: number, to: number): string => {
    const start = passages.start(doc);
    return text.slice(from - start, to - start);
  };
  // Which part of its paragraph each passage is (a long paragraph is cut into several passages).
  const part = new Uint32Array(n);
  const partsOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const continues = i > 0 && passages.report(i - 1) === passages.report(i) && passages.paragraph(i - 1) === passages.paragraph(i);
    part[i] = continues ? (part[i - 1] ?? 0) + 1 : 1;
  }
  for (let i = n - 1; i >= 0; i--) {
    const next = i + 1 < n && part[i + 1] === (part[i] ?? 0) + 1;
    partsOf[i] = next ? (partsOf[i + 1] ?? 0) : (part[i] ?? 0);
  }

  /**
   * Hits of neighbouring passages of one report become one hit spanning both, in report order, at
   * the better hit's place: two quotes that continue each other read better as one.
   */
  function mergeNeighbours(hits: SearchHit[], docs: number[]): SearchHit[] {
    const out: Array<{ hit: SearchHit; first: number; last: number }> = [];
    hits.forEach((hit, i) => {
      const doc = docs[i] ?? -1;
      const into = out.find((o) => o.hit.source === hit.source && (o.last === doc - 1 || o.first === doc + 1));
      if (!into) {
        out.push({ hit, first: doc, last: doc });
        return;
      }
      const r = reportStore.indexOf(hit.source);
      const text = r >= 0 ? reportStore.text(r) : '';
      const [a, b] = doc < into.first ? [hit, into.hit] : [into.hit, hit];
      into.hit = {
        ...a,
        end: b.end,
        text: text.slice(a.start, b.end),
        score: Math.max(a.score, b.score),
        comment: a.comment && b.comment,
        highlights: [...a.highlights, ...b.highlights],
      };
      into.first = Math.min(into.first, doc);
      into.last = Math.max(into.last, doc);
    });
    return out.map((o) => o.hit);
  }

  /** The fields a hit takes from its passage and report. */
  function hitOf(doc: number): Pick<SearchHit, 'passageId' | 'source' | 'title' | 'date' | 'url' | 'page' | 'endPage' | 'paragraph' | 'start' | 'end' | 'text'> {
    const report = reportInfo(doc);
    const start = passages.start(doc);
    const end = passages.end(doc);
    return {
      passageId: passages.id(doc),
      source: report.path,
      title: report.title,
      date: report.date,
      url: report.url,
      page: pageAt(report.pageStarts, start),
      endPage: pageAt(report.pageStarts, end - 1),
      paragraph: passages.paragraph(doc),
      start,
      end,
      text: textOf(doc),
    };
  }

  /** A passage's sentences (report offsets) with their content terms. */
  function analyseSentences(doc: number): PassageSentences {
    // Sentence splitting reads only the passage's own characters, so the passage text alone gives the same spans.
    const text = textOf(doc);
    const start = passages.start(doc);
    const spans = splitSentences(text).map((s) => ({ start: s.start + start, end: s.end + start }));
    return { spans, terms: spans.map((s) => new Set(contentTerms(text.slice(s.start - start, s.end - start)))) };
  }

  /**
   * Lexical evidence that a passage answers: coverage of the question by the passage and by its best
   * sentence (an answer usually has the key words together in one sentence), the share of known
   * question words it lacks, and whether the best sentence holds the kind of answer asked for.
   */
  function lexicalSignals(query: AnalyzedQuery, question: string, doc: number, sentences: PassageSentences) {
    const passageCoverage = coverage(query, (term) => bm25.contains(doc, term));
    let sentenceCoverage = 0;
    let bestSentence = 0;
    sentences.terms.forEach((terms, i) => {
      const c = coverage(query, (term) => terms.has(term));
      if (c > sentenceCoverage) [sentenceCoverage, bestSentence] = [c, i];
    });
    const span = sentences.spans[bestSentence];
    const typeMatch = holdsAnswerType(answerTypeOf(question), span ? within(doc, textOf(doc), span.start, span.end) : textOf(doc)) ? 1 : 0;
    return { passageCoverage, sentenceCoverage, missing: missingShare(query, (term) => bm25.contains(doc, term)), typeMatch };
  }

  const expander = createTermExpander(index.terms, dims);
  // Unknown words' nearest report words: a scan of every corpus word's vector, the same for a word each time it is asked.
  const nearestWords = createLruCache<string, Neighbour[]>(NEAREST_WORDS_CACHE);
  const englishRank = new Map(index.terms.words.map((w, i) => [w, index.terms.ranks?.[i] ?? 0]));

  /**
   * The largest log ratio, over the question's words found in the reports (or one typo away), of
   * how often the reports use the word to how often English does. null without English ranks.
   */
  function topicality(question: string): number | null {
    if (!index.terms.ranks) return null;
    const surface = bm25.surfaceForms();
    let best = 0;
    for (const token of tokenize(question)) {
      const candidates = surface.has(token) ? [token] : typos.neighbours(token).filter((w) => surface.has(w));
      for (const w of candidates) {
        const rank = englishRank.get(w);
        if (rank === undefined) continue;
        const df = bm25.df(surface.get(w) ?? w);
        if (df === 0) continue;
        best = Math.max(best, Math.log(df / n) + Math.log(rank === 0 ? 2 * ENGLISH_RANK_WORDS : rank));
      }
    }
    return best;
  }
  const feedbackWeight = deps.feedbackWeight ?? FEEDBACK_WEIGHT;
  const relativeFloor = deps.relativeFloor ?? RELATIVE_FLOOR;
  const expansionWeight = deps.expansionWeight ?? EXPANSION_WEIGHT;

  /** BM25 terms for the question's unknown words: the report words nearest in meaning. */
  async function meaningTerms(query: AnalyzedQuery): Promise<WeightedTerm[]> {
    if (expansionWeight <= 0) return [];
    const out = new Map<string, number>();
    const have = new Set(query.terms.map((t) => t.term));
    for (const token of query.unknown) {
      const own = stem(token);
      let nearest = nearestWords.get(token);
      if (!nearest) {
        nearest = expander.nearest(await embedder.embedQuery(token));
        nearestWords.set(token, nearest);
      }
      for (const n of pickNeighbours(nearest, (w) => { const s = stem(w); return s === own || have.has(s); })) {
        const s = stem(n.word);
        out.set(s, Math.max(out.get(s) ?? 0, expansionWeight * n.cosine));
      }
    }
    return [...out].map(([term, weight]) => ({ term, weight }));
  }

  const ranker = deps.ranker === undefined ? chosen.profile.ranker : deps.ranker;
  const passageAnalysis = createLruCache<number, PassageAnalysis>(RANK_CACHE_PASSAGES);
  const analysisOf = (doc: number): PassageAnalysis => passageAnalysis.getOrSet(doc, () => ({ sentences: analyseSentences(doc) }));
  const sentenceVectors = createLruCache<number, Float32Array[]>(SENTENCE_VECTOR_PASSAGES);
  const headingTerms = new Map<string, Set<string>>();

  /**
   * Reorders the best fused candidates by the learned ranker. Scores follow rank: the i-th candidate
   * takes the i-th best fused score, so the filler floor and the recency band keep their calibration.
   */
  function rerank(
    question: string,
    query: AnalyzedQuery,
    fused: ReadonlyArray<{ doc: number; score: number }>,
    lexical: ReadonlyMap<number, number>,
    dense: ReadonlyMap<number, number>,
    queryVector: Float32Array | null,
  ): Array<{ doc: number; score: number }> {
    const head = fused.slice(0, RERANK_DEPTH);
    const best = head[0]?.score ?? 0;
    if (head.length < 2 || best <= 0) return [...fused];
    const lexMax = Math.max(0, ...head.map((r) => lexical.get(r.doc) ?? 0));
    const denseValues = head.map((r) => dense.get(r.doc) ?? 0);
    const dMin = Math.min(...denseValues);
    const dMax = Math.max(...denseValues);
    const type = answerTypeOf(question);
    const termsOf = (doc: number): string[] => (analysisOf(doc).terms ??= contentTerms(textOf(doc)));
    const latentValues = latent ? latent.similarities(query.terms, head.map((r) => r.doc), termsOf) : head.map(() => 0);
    const lMin = Math.min(...latentValues);
    const lMax = Math.max(...latentValues);
    const scored = head.map((r, i) => {
      const text = textOf(r.doc);
      const cached = analysisOf(r.doc);
      const analysed = cached.sentences;
      const terms = termsOf(r.doc);
      const headingText = passages.heading(r.doc) ?? '';
      let heading = headingTerms.get(headingText);
      if (!heading) headingTerms.set(headingText, (heading = new Set(contentTerms(headingText))));
      const d = dense.get(r.doc) ?? 0;
      const features = rankFeatures(query, type, {
        fused: r.score / best,
        lexical: lexMax > 0 ? (lexical.get(r.doc) ?? 0) / lexMax : 0,
        dense: dMax > dMin ? (d - dMin) / (dMax - dMin) : 0,
        cosineZ: queryVector ? (d - denseNull.mean) / denseNull.std : 0,
        latent: lMax > lMin ? ((latentValues[i] ?? 0) - lMin) / (lMax - lMin) : 0,
        contains: (term) => bm25.contains(r.doc, term),
        terms,
        sentences: analysed.spans.map((span, j) => ({ text: within(r.doc, text, span.start, span.end), terms: analysed.terms[j] ?? new Set<string>() })),
        heading,
        comment: passages.comment(r.doc),
      });
      return { doc: r.doc, features, score: ranker ? rankScore(ranker, features) : -i, source: passages.source(r.doc), start: passages.start(r.doc), end: passages.end(r.doc) };
    });
    deps.onCandidates?.(question, scored.map(({ source, start, end, features }) => ({ source, start, end, features })));
    if (!ranker) return [...fused];
    scored.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return [...scored.map((r, i) => ({ doc: r.doc, score: head[i]?.score ?? 0 })), ...fused.slice(RERANK_DEPTH)];
  }

  async function search(raw: string, options: SearchOptions = {}): Promise<SearchResult> {
    const k = Math.max(1, Math.floor(options.k ?? 5));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const mode: SearchMode = options.mode ?? 'hybrid';
    const { question, truncated } = normaliseQuestion(raw);
    if (question.length === 0) throw new QueryError('The question is empty.');
    const wanted = offset + k + 1;
    const depth = Math.min(n, Math.max(MIN_CANDIDATES, wanted * 3));

    // The reports are English: Cyrillic names are searched in Latin spelling ("Покровськ" → "Pokrovsk").
    const recent = asksForRecent(question);
    const searchText = transliterateNames(recent ? withoutRecencyWords(question) : question);
    const query = analyzeQuery(searchText, bm25, typos, deps.misspellingWeight);
    const useLexical = mode !== 'dense';
    const useDense = mode !== 'lexical';
    const queryVector = useDense ? await embedder.embedQuery(query.spelled.length > 0 ? query.spelled : searchText) : null;

    const lexical = new Map<number, number>();
    const dense = new Map<number, number>();
    let lexicalTerms: WeightedTerm[] = query.terms;
    if (useLexical) {
      lexicalTerms = expandWithFeedback(bm25, [...query.terms, ...(await meaningTerms(query))], feedbackWeight);
      for (const { doc, score } of bm25.search(lexicalTerms, depth)) lexical.set(doc, score);
    }
    if (queryVector && n > 0) {
      const { neighbors, distances } = await hnsw.searchKnn(Array.from(queryVector), depth);
      neighbors.forEach((doc, i) => dense.set(doc, 1 - (distances[i] ?? 1)));
    }
    // Score every candidate on both sides so fusion compares like with like.
    if (useLexical && useDense) {
      const unscored = [...dense.keys()].filter((doc) => !lexical.has(doc));
      const unscoredScores = bm25.scoreDocs(lexicalTerms, unscored);
      unscored.forEach((doc, i) => lexical.set(doc, unscoredScores[i] ?? 0));
      for (const doc of lexical.keys()) if (!dense.has(doc) && queryVector) dense.set(doc, dot(queryVector, vectorRow(doc), 0));
    }
    const byRelevance =
      useLexical && useDense
        ? fuse(lexical, dense, fusion)
        : [...(useLexical ? lexical : dense)].map(([doc, score]) => ({ doc, score })).sort((a, b) => b.score - a.score || a.doc - b.doc);

    const reranked = useLexical && useDense && (ranker || deps.onCandidates) ? rerank(question, query, byRelevance, lexical, dense, queryVector) : byRelevance;
    // Reader comments rank below the report's own text.
    const demoted = reranked
      .map((r) => (passages.comment(r.doc) ? { doc: r.doc, score: r.score * COMMENT_FACTOR } : r))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
    const onTopic = (doc: number): boolean => {
      const known = query.content.filter((t) => t.matches.length > 0);
      return known.length > 0 && known.every((t) => t.matches.some((m) => bm25.contains(doc, m)));
    };
    const ranked = recent ? preferRecent(demoted, (doc) => reportInfo(doc).date, onTopic) : demoted;
    const unique: Array<{ doc: number; score: number }> = [];
    const duplicates = createDuplicateFilter(RESULT_DUPLICATE_JACCARD);
    // Recency raises relevant scores above the best, so the floor comes from relevance alone.
    const floor = (demoted[0]?.score ?? 0) * relativeFloor;
    for (const r of ranked) {
      if (useLexical && !useDense && r.score <= 0) continue;
      // Far below the best hit is filler, not an answer.
      if (unique.length > 0 && r.score < floor) break;
      if (duplicates.isDuplicate(textOf(r.doc))) continue;
      unique.push(r);
      if (unique.length >= wanted) break;
    }

    // Sentence analysis is shared by the ranker, the answer decision (top hit) and highlighting (page hits).
    const sentencesOf = (doc: number): PassageSentences => analysisOf(doc).sentences;
    // The answer decision rests on the most relevant passage, whichever report comes first by date.
    const top = recent ? demoted.find((r) => !(useLexical && !useDense && r.score <= 0)) : unique[0];
    const lexicalSide = top && useLexical ? lexicalSignals(query, searchText, top.doc, sentencesOf(top.doc)) : null;
    const signals: AnswerSignals = {
      passageCoverage: lexicalSide?.passageCoverage ?? (useLexical ? 0 : null),
      sentenceCoverage: lexicalSide?.sentenceCoverage ?? (useLexical ? 0 : null),
      missing: lexicalSide?.missing ?? (useLexical ? 1 : null),
      typeMatch: lexicalSide?.typeMatch ?? (useLexical ? 0 : null),
      shortQuestion: useLexical ? (query.content.length <= 2 ? 1 : 0) : null,
      topicality: useLexical ? topicality(searchText) : null,
      denseZ: top && queryVector ? ((dense.get(top.doc) ?? dot(queryVector, vectorRow(top.doc), 0)) - denseNull.mean) / denseNull.std : useDense ? -10 : null,
      unknown: useLexical ? unknownShare(query) : null,
    };
    // A question with no word left to look for (only small words, or a script the reports do not use) has no answer here.
    const { level, answered, confidence } =
      useLexical && query.content.length === 0 ? { level: 'none' as const, answered: false, confidence: 0 } : judgeAnswer(signals, levelModels);

    const page = unique.slice(offset, offset + k);
    const hits: SearchHit[] = [];
    for (const { doc, score } of page) {
      const text = textOf(doc);
      const { spans: sentences, terms } = sentencesOf(doc);
      let scores = scoreSentences(terms, query);
      // No sentence shares a word with the question (a purely semantic match): rank sentences by meaning.
      if (queryVector && sentences.length > 0 && Math.max(...scores) <= 0) {
        let sv = sentenceVectors.get(doc);
        if (!sv) sentenceVectors.set(doc, (sv = await embedder.embedPassages(sentences.map((s) => within(doc, text, s.start, s.end)))));
        scores = sv.map((v) => Math.max(0, dot(queryVector, v, 0)) + 1e-9);
      }
      const highlights = chooseHighlights(sentences, scores);
      hits.push({
        ...hitOf(doc),
        heading: passages.heading(doc),
        part: part[doc] ?? 1,
        parts: partsOf[doc] ?? 1,
        comment: passages.comment(doc),
        score: Number(score.toFixed(6)),
        highlights,
      });
    }
    return {
      question,
      truncated,
      answer: level,
      answered,
      confidence: Number(confidence.toFixed(4)),
      hits: mergeNeighbours(hits, page.map((r) => r.doc)),
      hasMore: unique.length > offset + k,
      signals,
    };
  }

  function context(passageId: string): PassageContext | null {
    const i = passages.indexOf(passageId);
    if (i < 0) return null;
    const r = passages.report(i);
    const own = { start: passages.start(i), end: passages.end(i) };
    let start = own.start;
    let end = own.end;
    if (i > 0 && passages.report(i - 1) === r && end - passages.start(i - 1) <= CONTEXT_MAX_CHARS) start = passages.start(i - 1);
    if (i + 1 < n && passages.report(i + 1) === r && passages.end(i + 1) - start <= CONTEXT_MAX_CHARS) end = passages.end(i + 1);
    const { source, title, date, url, page, endPage, paragraph } = hitOf(i);
    return { passageId, source, title, date, url, page, endPage, paragraph, start, end, text: reportStore.text(r).slice(start, end), focus: [own.start, own.end] };
  }

  function reports(): ReportSummary[] {
    return index.manifest.corpus.reports.map((r) => ({
      source: r.path,
      label: r.label,
      title: r.title,
      date: r.date,
      url: r.url,
      format: r.format,
      passages: r.passages,
    }));
  }

  function keyPassages(source: string, k: number): SearchHit[] {
    // Reader comments are not the report's key passages, unless the report is nothing else.
    const r = reportStore.indexOf(source);
    const all: number[] = [];
    if (r >= 0) for (let doc = 0; doc < n; doc++) if (passages.report(doc) === r) all.push(doc);
    const articles = all.filter((doc) => !passages.comment(doc));
    const own = articles.length > 0 ? articles : all;
    const chosen = mostInformative(own.map(textOf), (term) => bm25.idf(term), k);
    return chosen.flatMap((i) => {
      const doc = own[i];
      if (doc === undefined) return [];
      const where = { part: part[doc] ?? 1, parts: partsOf[doc] ?? 1, comment: passages.comment(doc) };
      return [{ ...hitOf(doc), heading: passages.heading(doc), ...where, score: 0, highlights: [] }];
    });
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
      reportsDir: m.reportsDir,
      searchProfile: chosen.profile.name,
      profileFitted: chosen.fitted,
    };
  }

  function* articleTexts(): Generator<string> {
    for (let doc = 0; doc < n; doc++) if (!passages.comment(doc)) yield textOf(doc);
  }
  let topicList: string[] | null = null;
  function topics(): string[] {
    topicList ??= frequentNames(articleTexts(), TOPIC_COUNT);
    return topicList;
  }

  const searcher: Searcher = { search, context, reports, topics, keyPassages, stats, snapshot: () => searcher };
  return searcher;
}
