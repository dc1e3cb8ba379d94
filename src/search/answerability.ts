/**
 * Decides "answered" vs "not in the reports" from two calibrated signals of the top hit:
 * lexical coverage (IDF share of the question's words found in the passage, 0..1) and the dense
 * z-score (how far its cosine is above the cosines that off-topic probe questions reach in this index).
 */

export interface AnswerSignals {
  /** null when the mode has no lexical side. */
  coverage: number | null;
  /** null when the mode has no dense side. */
  denseZ: number | null;
}

/**
 * Logistic weights fitted on the seed question set (answerable, typo'd and unanswerable questions)
 * with scripts/eval-seeds.ts --fit; see docs/search-quality.md.
 */
export const ANSWER_MODEL = { bias: -4.4, coverage: 8.0, denseZ: 0.3, threshold: 0.5 };

/** Stand-in coverage for dense-only search, chosen so that the decision falls at a dense z-score of about 2. */
const DENSE_ONLY_COVERAGE = 0.48;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Calibrated probability that the top hit answers the question, and the yes/no decision. */
export function judgeAnswer(signals: AnswerSignals): { answered: boolean; confidence: number } {
  // A missing side gets a neutral value midway between typical answerable and off-topic questions.
  const coverage = signals.coverage ?? DENSE_ONLY_COVERAGE;
  const denseZ = signals.denseZ ?? 1;
  const confidence = sigmoid(ANSWER_MODEL.bias + ANSWER_MODEL.coverage * coverage + ANSWER_MODEL.denseZ * denseZ);
  return { answered: confidence >= ANSWER_MODEL.threshold, confidence };
}
