/**
 * Writes fitted weights into the search profile of the model that was evaluated: the profile that
 * names the model, or a new file for it that starts from the fallback profile's weights.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LevelModels } from '../../src/search/answerability';
import { chooseProfile, PROFILES_DIR, profileFileName, readProfileFiles, type SearchProfile } from '../../src/search/profiles';
import type { RankerModel } from '../../src/search/ranker';

/** Updates the model's profile with `change` and returns the file written. */
export async function writeProfile(modelId: string, change: { ranker?: RankerModel; levels?: LevelModels }, dir = PROFILES_DIR): Promise<string> {
  const files = readProfileFiles(dir);
  const { profile, fitted } = chooseProfile(modelId, files.map((f) => f.profile));
  const file = fitted ? (files.find((f) => f.profile === profile)?.file ?? profileFileName(modelId)) : profileFileName(modelId);
  const next: SearchProfile = fitted
    ? { ...profile, ...change }
    : { name: file.replace(/\.json$/, ''), models: [modelId], ranker: change.ranker ?? profile.ranker, levels: change.levels ?? profile.levels };
  await writeFile(path.join(dir, file), `${JSON.stringify(next, null, 2)}\n`);
  return file;
}
