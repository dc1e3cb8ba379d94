/**
 * Fits the answer-level models (src/search/answerability.ts) on one split of the blind question set,
 * with k-fold cross-validation so the reported figures are held out from the weights that made them.
 */
import { type AnswerSignals, type Feature, FEATURES, features, type LevelModel, type LevelModels } from '../../src/search/answerability';
import type { QuestionOutcome } from './questions';

interface Row {
  x: number[];
  y: 0 | 1;
}

const FOLDS = 5;

function vector(signals: AnswerSignals): number[] {
  const f = features(signals);
  return FEATURES.map((name) => f[name]);
}

type Weights = Omit<LevelModel, 'threshold'>;

/** L2-regularised logistic regression by gradient descent on standardised features (a few hundred rows). */
function fit(rows: readonly Row[]): Weights {
  const d = FEATURES.length;
  const mean = FEATURES.map((_, j) => rows.reduce((a, r) => a + (r.x[j] ?? 0), 0) / Math.max(1, rows.length));
  const sd = FEATURES.map((_, j) => Math.sqrt(rows.reduce((a, r) => a + ((r.x[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / Math.max(1, rows.length)) || 1);
  const xs = rows.map((r) => r.x.map((v, j) => (v - (mean[j] ?? 0)) / (sd[j] ?? 1)));
  const w = new Array<number>(d + 1).fill(0);
  const lr = 0.5;
  const l2 = 0.01;
  for (let epoch = 0; epoch < 3000; epoch++) {
    const g = new Array<number>(d + 1).fill(0);
    rows.forEach((r, i) => {
      const x = xs[i] ?? [];
      let z = w[0] ?? 0;
      for (let j = 0; j < d; j++) z += (w[j + 1] ?? 0) * (x[j] ?? 0);
      const e = 1 / (1 + Math.exp(-z)) - r.y;
      g[0] = (g[0] ?? 0) + e;
      for (let j = 0; j < d; j++) g[j + 1] = (g[j + 1] ?? 0) + e * (x[j] ?? 0);
    });
    for (let j = 0; j <= d; j++) w[j] = (w[j] ?? 0) - lr * ((g[j] ?? 0) / rows.length + (j > 0 ? l2 * (w[j] ?? 0) : 0));
  }
  // Back to the raw feature scale, so the product reads plain signals.
  const weights = {} as Record<Feature, number>;
  let bias = w[0] ?? 0;
  FEATURES.forEach((name, j) => {
    weights[name] = (w[j + 1] ?? 0) / (sd[j] ?? 1);
    bias -= weights[name] * (mean[j] ?? 0);
  });
  return { bias, weights };
}

function prob(w: Weights, x: readonly number[]): number {
  let z = w.bias;
  FEATURES.forEach((name, j) => {
    z += w.weights[name] * (x[j] ?? 0);
  });
  return 1 / (1 + Math.exp(-z));
}

const isConfidentTarget = (o: QuestionOutcome): 0 | 1 => (o.q.answerable && o.rank !== null ? 1 : 0);
const isRelatedTarget = (o: QuestionOutcome): 0 | 1 => (o.q.kind === 'off-topic' ? 0 : 1);

/** Out-of-fold probabilities for every outcome, from models trained on the other folds. */
function outOfFold(outcomes: readonly QuestionOutcome[], target: (o: QuestionOutcome) => 0 | 1): number[] {
  const probs = new Array<number>(outcomes.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = outcomes.filter((_, i) => i % FOLDS !== fold).map((o) => ({ x: vector(o.result.signals), y: target(o) }));
    const w = fit(train);
    outcomes.forEach((o, i) => {
      if (i % FOLDS === fold) probs[i] = prob(w, vector(o.result.signals));
    });
  }
  return probs;
}

/**
 * Held-out share of near-domain questions the confident threshold aims at: below the 10% limit by a
 * margin, since a threshold set right at the limit on one sample lands above it on the next about half the time.
 */
export const NEAR_CONFIDENT_TARGET = 0.075;

/**
 * The threshold for `confident` is the lowest that keeps held-out near-domain questions at or below
 * `maxNearConfident`; the `related` threshold is the highest that keeps held-out answerable questions
 * at or below `maxAnswerableNone` (then off-topic questions are as often `none` as that allows).
 */
export function fitLevels(outcomes: readonly QuestionOutcome[], maxNearConfident = NEAR_CONFIDENT_TARGET, maxAnswerableNone = 0.02): { folds: number; heldOut: unknown; models: LevelModels } {
  const pConf = outOfFold(outcomes, isConfidentTarget);
  const pRel = outOfFold(outcomes, isRelatedTarget);
  const idx = (pred: (o: QuestionOutcome) => boolean): number[] => outcomes.flatMap((o, i) => (pred(o) ? [i] : []));
  const near = idx((o) => o.q.kind === 'near-domain');
  const answerable = idx((o) => o.q.answerable);
  const off = idx((o) => o.q.kind === 'off-topic');
  const grid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const share = (list: number[], hit: (i: number) => boolean): number => list.filter(hit).length / Math.max(1, list.length);
  const tConf = grid.find((t) => share(near, (i) => (pConf[i] ?? 0) >= t) <= maxNearConfident) ?? 0.99;
  const tRel = [...grid].reverse().find((t) => share(answerable, (i) => (pConf[i] ?? 0) < tConf && (pRel[i] ?? 0) < t) <= maxAnswerableNone) ?? 0.01;
  const level = (i: number): string => ((pConf[i] ?? 0) >= tConf ? 'confident' : (pRel[i] ?? 0) >= tRel ? 'unsure' : 'none');
  const dist = (list: number[]) => ({
    confident: Number(share(list, (i) => level(i) === 'confident').toFixed(3)),
    unsure: Number(share(list, (i) => level(i) === 'unsure').toFixed(3)),
    none: Number(share(list, (i) => level(i) === 'none').toFixed(3)),
  });
  const all = (target: (o: QuestionOutcome) => 0 | 1): Weights => fit(outcomes.map((o) => ({ x: vector(o.result.signals), y: target(o) })));
  const round = (w: Weights, threshold: number): LevelModel => ({
    bias: Number(w.bias.toFixed(3)),
    weights: Object.fromEntries(FEATURES.map((name) => [name, Number(w.weights[name].toFixed(3))])) as Record<Feature, number>,
    threshold,
  });
  return {
    folds: FOLDS,
    heldOut: { answerable: dist(answerable), nearDomain: dist(near), offTopic: dist(off) },
    models: { confident: round(all(isConfidentTarget), tConf), related: round(all(isRelatedTarget), tRel) },
  };
}
