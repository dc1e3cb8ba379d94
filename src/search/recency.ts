/**
 * Questions about the latest, recent or current state ("what's the latest on Pokrovsk?") prefer
 * newer reports among the relevant ones: relevance decides which passages qualify, dates their order.
 */

/** Words that ask for the newest state of things. */
const RECENCY_WORDS = /\b(?:latest|newest|most recent|recent(?:ly)?|current(?:ly)?|right now|nowadays|today|these days|so far|at present|presently|now)\b/gi;
/** Candidates scoring at least this share of the best one count as relevant, as do those on the question's topic. */
const RELEVANT_SHARE = 0.5;

/** True when the question asks for the newest state of things. */
export function asksForRecent(question: string): boolean {
  RECENCY_WORDS.lastIndex = 0;
  return RECENCY_WORDS.test(question);
}

/** The question without its recency words, for matching words against the reports (they never say "latest"). */
export function withoutRecencyWords(question: string): string {
  const stripped = question.replace(RECENCY_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return /[\p{L}\p{N}]/u.test(stripped) ? stripped : question;
}

/**
 * Reorders ranked candidates so that the relevant ones come first, newest report first (undated
 * count as oldest), by score within a date; the rest follow by score. A candidate is relevant when
 * it scores at least half the best or `onTopic` says it carries all of the question's topic words:
 * fused scores are relative, and a newer report that names the topic is what "latest" asks for.
 * Relevant candidates' scores are raised above the best by their date's rank to keep the order sorted.
 */
export function preferRecent<T extends { doc: number; score: number }>(
  ranked: readonly T[],
  dateOf: (doc: number) => string | null,
  onTopic: (doc: number) => boolean = () => false,
): T[] {
  const best = ranked[0]?.score ?? 0;
  if (ranked.length < 2 || best <= 0) return [...ranked];
  const isRelevant = (r: T): boolean => r.score >= best * RELEVANT_SHARE || onTopic(r.doc);
  const relevant = ranked.filter(isRelevant);
  const dates = [...new Set(relevant.map((r) => dateOf(r.doc)).filter((d): d is string => d !== null))].sort();
  if (dates.length === 0) return [...ranked];
  const dateRank = (doc: number): number => {
    const date = dateOf(doc);
    return date === null ? 0 : 1 + dates.indexOf(date);
  };
  return ranked
    .map((r) => (isRelevant(r) ? { ...r, score: Math.max(0, r.score) + best * (1 + dateRank(r.doc)) } : r))
    .sort((a, b) => b.score - a.score || a.doc - b.doc);
}
