/**
 * Writes fitted weights into the search profile of the model that was evaluated: the profile that
 * names the model, or a new file for it that starts from the fallback profile's weights.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LevelModels } from '../../src/search/answerability';
import { chooseProfile, PROFILES_DIR, profileFileName, readProfiles, type SearchProfile } from '../../src/search/profiles';
import type { RankerModel } from '../../src/search/ranker';

/** Updates the model's profile with `change` and returns the file written. */
export async function writeProfile(modelId: string, change: { ranker?: RankerModel; levels?: LevelModels }, dir = PROFILES_DIR): Promise<string> {
  const { profile, fitted } = chooseProfile(modelId, readProfiles(dir));
  const file = fitted ? fileOf(profile, dir) : profileFileName(modelId);
  const next: SearchProfile = fitted
    ? { ...profile, ...change }
    : { name: file.replace(/\.json$/, ''), models: [modelId], ranker: change.ranker ?? profile.ranker, levels: change.levels ?? profile.levels };
  await writeFile(path.join(dir, file), `${JSON.stringify(next, null, 2)}\n`);
  return file;
}

function fileOf(profile: SearchProfile, dir: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.json') && (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { name?: string }).name === profile.name);
  if (!file) throw new Error(`No file holds search profile ${profile.name}.`);
  return file;
}
