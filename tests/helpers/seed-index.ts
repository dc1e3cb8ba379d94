import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSearcher } from '../../src/search/searcher';
import type { Searcher } from '../../src/search/types';
import { MODEL_CACHE_DIR } from './offline-embedder';
import { englishRanks } from '../../src/embed/english-ranks';
import { buildIndex, type BuildSummary } from '../../src/store/build-index';
import { loadIndex, type LoadedIndex } from '../../src/store/load-index';
import { getOfflineEmbedder } from './offline-embedder';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds');

let shared: Promise<{ dir: string; summary: BuildSummary; index: LoadedIndex; searcher: Searcher }> | undefined;

/** One offline-model index of the seed reports per test worker (in a temp folder). */
export function seedIndex(): Promise<{ dir: string; summary: BuildSummary; index: LoadedIndex; searcher: Searcher }> {
  shared ??= (async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await mkdtemp(path.join(tmpdir(), 'seed-index-'));
    const summary = await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder, englishRanks: await englishRanks(MODEL_CACHE_DIR) });
    const index = await loadIndex(dir);
    return { dir, summary, index, searcher: createSearcher({ index, embedder }) };
  })();
  return shared;
}
