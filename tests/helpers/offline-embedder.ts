import { fileURLToPath } from 'node:url';
import { createEmbedder } from '../../src/embed/embedder.js';
import { OFFLINE_MODEL_ID } from '../../src/embed/offline-model.js';
import type { Embedder } from '../../src/embed/types.js';

/** The git-ignored model cache at the project root, shared by all test runs on this machine. */
export const MODEL_CACHE_DIR = fileURLToPath(new URL('../../.cache/models', import.meta.url));

let embedder: Promise<Embedder> | undefined;

/** The offline-model Embedder, loaded once per test worker. */
export function getOfflineEmbedder(): Promise<Embedder> {
  embedder ??= createEmbedder({ model: OFFLINE_MODEL_ID, cacheDir: MODEL_CACHE_DIR, allowFallback: false });
  return embedder;
}
