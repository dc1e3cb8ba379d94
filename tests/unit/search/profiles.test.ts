import { copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../../src/embed/offline-model';
import { chooseProfile, FALLBACK_PROFILE, parseProfile, PROFILES_DIR, profileFileName, readProfiles } from '../../../src/search/profiles';
import { RANK_FEATURES } from '../../../src/search/ranker';
import { writeProfile } from '../../../scripts/eval/profile-file';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

describe('search profiles', () => {
  it('ships a profile fitted for the offline model, which is also the fallback', () => {
    const profiles = readProfiles();
    const chosen = chooseProfile(OFFLINE_MODEL_ID, profiles);
    expect(chosen.fitted).toBe(true);
    expect(chosen.profile.name).toBe(FALLBACK_PROFILE);
    expect(Object.keys(chosen.profile.ranker.weights).sort()).toEqual([...RANK_FEATURES].sort());
  });

  it('falls back, marked not fitted, for a model no profile names', () => {
    const chosen = chooseProfile('Xenova/bge-small-en-v1.5', readProfiles());
    expect(chosen).toMatchObject({ fitted: false, profile: { name: FALLBACK_PROFILE } });
  });

  it('names the file and the problem of a malformed profile', () => {
    const good = readProfiles()[0];
    expect(() => parseProfile({ ...good, ranker: { weights: { fused: 1 } } }, 'bad.json')).toThrow(/bad\.json: "ranker\.weights" lacks one of fused/);
    expect(() => parseProfile({ ...good, levels: { confident: good?.levels.confident } }, 'half.json')).toThrow(/half\.json: "levels" needs confident and related/);
    expect(() => parseProfile(null, 'empty.json')).toThrow(/empty\.json: no "name"/);
  });

  it('writes a fitted ranker into a new profile for another model, which it then uses', async () => {
    const dir = await tempDir();
    for (const f of await readdir(PROFILES_DIR)) await copyFile(path.join(PROFILES_DIR, f), path.join(dir, f));
    const fallback = chooseProfile('Xenova/e5-small-v2', readProfiles(dir)).profile;
    const weights = Object.fromEntries(RANK_FEATURES.map((name, i) => [name, i / 10])) as typeof fallback.ranker.weights;

    const file = await writeProfile('Xenova/e5-small-v2', { ranker: { weights } }, dir);
    expect(file).toBe(profileFileName('Xenova/e5-small-v2'));
    expect(file).toBe('xenova-e5-small-v2.json');
    const chosen = chooseProfile('xenova/E5-small-v2', readProfiles(dir));
    expect(chosen.fitted).toBe(true);
    expect(chosen.profile.ranker.weights).toEqual(weights);
    expect(chosen.profile.levels).toEqual(fallback.levels);
    // The fallback profile is untouched, and a second write updates the same file.
    expect(chooseProfile(OFFLINE_MODEL_ID, readProfiles(dir)).profile.ranker).toEqual(fallback.ranker);
    await writeProfile('Xenova/e5-small-v2', { levels: { ...fallback.levels, confident: { ...fallback.levels.confident, threshold: 0.5 } } }, dir);
    expect((await readdir(dir)).filter((f) => f === file)).toHaveLength(1);
    expect(chooseProfile('Xenova/e5-small-v2', readProfiles(dir)).profile).toMatchObject({ ranker: { weights }, levels: { confident: { threshold: 0.5 } } });
  });

  it('rejects a profiles folder whose file is not valid', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'x.json'), '{"name":"x","models":[]}');
    expect(() => readProfiles(dir)).toThrow(/x\.json: "ranker\.weights"/);
  });
});
