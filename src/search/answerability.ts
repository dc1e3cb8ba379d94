/**
 * Decides how sure an answer is, from signals of the top hit (all computed by the searcher):
 * - passageCoverage / sentenceCoverage: IDF share of the question's words found in the passage, and
 *   in its best sentence (0..1);
 * - denseZ: how far its cosine lies above what off-topic probe questions reach in this index;
 * - unknown: IDF share of the question's words the reports never use, not even misspelt (0..1);
 * - missing: IDF share of the question's words the reports use but this passage lacks (0..1);
 * - typeMatch: 1 when the best sentence holds what the question asks for (a number for "how many",
 *   a date for "when", a name for "who"), else 0;
 * - shortQuestion: 1 for a question of one or two content words, whose signals are less reliable;
 * - topicality: how much more often the reports use the question's most on-topic word than English
 *   does (log ratio): "Kherson" or "missile" score high, "capital" or "cup" low.
 *
 * Three levels: `confident` (the quotes answer it), `unsure` (the reports' subject, but no passage
 * clearly answers: the closest passages are shown as such) and `none` (off-topic or nothing related).
 */

export type AnswerLevel = 'confident' | 'unsure' | 'none';

export const FEATURES = ['passageCoverage', 'sentenceCoverage', 'denseZ', 'unknown', 'missing', 'typeMatch', 'shortQuestion', 'topicality'] as const;
export type Feature = (typeof FEATURES)[number];

/** The evidence behind an answer level; a side the search mode does not use is null. */
export type AnswerSignals = Record<Feature, number | null>;

export interface LevelModel {
  bias: number;
  weights: Record<Feature, number>;
  /** Probability at or above which the level is reached. */
  threshold: number;
}

/** The two level models; each search profile (src/search/profiles.ts) carries its own, fitted for its model. */
export interface LevelModels {
  /** Separates answerable questions whose answer is in the top 3 from unanswerable ones. */
  confident: LevelModel;
  /** Separates questions about the reports' subject (answerable or near-domain) from off-topic ones. */
  related: LevelModel;
}

/** Stand-ins for a side the search mode does not use: midway between typical answerable and off-topic questions. */
const NEUTRAL: Record<Feature, number> = { passageCoverage: 0.48, sentenceCoverage: 0.48, denseZ: 1, unknown: 0, missing: 0.3, typeMatch: 1, shortQuestion: 0, topicality: 4 };
const MAX_Z = 10;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The feature values the models read, with stand-ins for missing sides. */
export function features(signals: AnswerSignals): Record<Feature, number> {
  const out = { ...NEUTRAL };
  for (const f of FEATURES) out[f] = signals[f] ?? NEUTRAL[f];
  out.denseZ = Math.max(-MAX_Z, Math.min(MAX_Z, out.denseZ));
  return out;
}

export function probability(model: Omit<LevelModel, 'threshold'>, signals: AnswerSignals): number {
  const f = features(signals);
  let z = model.bias;
  for (const name of FEATURES) z += model.weights[name] * f[name];
  return sigmoid(z);
}

/** The answer level, `answered` (anything but `none`) and the calibrated confidence that the top hit answers. */
export function judgeAnswer(signals: AnswerSignals, models: LevelModels): { level: AnswerLevel; answered: boolean; confidence: number } {
  const confidence = probability(models.confident, signals);
  const level: AnswerLevel =
    confidence >= models.confident.threshold ? 'confident' : probability(models.related, signals) >= models.related.threshold ? 'unsure' : 'none';
  return { level, answered: level !== 'none', confidence };
}
