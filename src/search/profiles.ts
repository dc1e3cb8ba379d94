/**
 * Search profiles: the learned ranker and the answer-level models fitted for one embedding model,
 * one JSON file each under `profile-weights/`. A model's cosines have their own scale (GloVe-SIF spreads
 * them wide, bge packs them near 0.8), so weights fitted on one model's questions are that model's.
 * `npm run eval -- fit-ranker --model ID --write` fits and writes the profile of the model it runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURES, type LevelModels } from './answerability';
import { RANK_FEATURES, type RankerModel } from './ranker';

export interface SearchProfile {
  name: string;
  /** Ids of the models this profile was fitted for. */
  models: string[];
  ranker: RankerModel;
  levels: LevelModels;
}

/** The profile a searcher uses, and whether it was fitted for the searcher's model. */
export interface ChosenProfile {
  profile: SearchProfile;
  fitted: boolean;
}

export const PROFILES_DIR = fileURLToPath(new URL('./profile-weights/', import.meta.url));

/**
 * Used for a model no profile names. Its dense features are z-scores against the index's own
 * off-topic probes (ranker `cosineZ`, level `denseZ`), so they mean the same on any model's scale.
 */
export const FALLBACK_PROFILE = 'offline';

function isWeights(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((n) => typeof (value as Record<string, unknown>)[n] === 'number');
}

/** Checks one parsed profile file; throws with the file and the first problem. */
export function parseProfile(value: unknown, file: string): SearchProfile {
  const p = value as Partial<SearchProfile> | null;
  const problem =
    typeof p?.name !== 'string'
      ? 'no "name"'
      : !Array.isArray(p.models) || !p.models.every((m) => typeof m === 'string')
        ? '"models" is not a list of model ids'
        : !isWeights(p.ranker?.weights, RANK_FEATURES)
          ? `"ranker.weights" lacks one of ${RANK_FEATURES.join(', ')}`
          : !(['confident', 'related'] as const).every(
                (l) => isWeights(p.levels?.[l]?.weights, FEATURES) && typeof p.levels?.[l]?.bias === 'number' && typeof p.levels?.[l]?.threshold === 'number',
              )
            ? '"levels" needs confident and related models with bias, weights and threshold'
            : null;
  if (problem) throw new Error(`Search profile ${file}: ${problem}.`);
  return p as SearchProfile;
}

/** Every profile in `dir` with its file name, by file name. */
export function readProfileFiles(dir = PROFILES_DIR): Array<{ file: string; profile: SearchProfile }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, profile: parseProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), file) }));
}

/** Every profile in `dir`, by file name. */
export function readProfiles(dir = PROFILES_DIR): SearchProfile[] {
  return readProfileFiles(dir).map((f) => f.profile);
}

/** True when `profile` was fitted for `modelId` (ids compare without case). */
export function isFittedFor(profile: SearchProfile, modelId: string): boolean {
  const id = modelId.toLowerCase();
  return profile.models.some((m) => m.toLowerCase() === id);
}

/** The profile fitted for `modelId`, or the fallback profile (not fitted for it). */
export function chooseProfile(modelId: string, profiles: readonly SearchProfile[]): ChosenProfile {
  const own = profiles.find((p) => isFittedFor(p, modelId));
  if (own) return { profile: own, fitted: true };
  const fallback = profiles.find((p) => p.name === FALLBACK_PROFILE);
  if (!fallback) throw new Error(`No search profile for ${modelId} and no "${FALLBACK_PROFILE}" profile to fall back on.`);
  return { profile: fallback, fitted: false };
}

/** The file a model's own profile is written to: its id with every run of other characters as "-". */
export function profileFileName(modelId: string): string {
  return `${modelId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.json`;
}
